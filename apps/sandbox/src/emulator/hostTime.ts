/** Timestamps in the hosts' format: "YYYY-MM-DD HH:MM:SS" in the PBX's local time. */

/** Belarus is UTC+3 all year (no daylight saving since 2011). */
export const MINSK_UTC_OFFSET_MINUTES = 180;

const pad = (n: number): string => String(n).padStart(2, '0');

export function formatHostTime(epochMs: number, utcOffsetMinutes = MINSK_UTC_OFFSET_MINUTES): string {
  const d = new Date(epochMs + utcOffsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} `
    + `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
