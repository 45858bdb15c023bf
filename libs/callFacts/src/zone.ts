/** The zone a PBX's clock is read in when neither the enterprise nor PBX_TIME_ZONE says otherwise (Belarus, UTC+3). */
export const DEFAULT_TIME_ZONE = 'Europe/Minsk';
