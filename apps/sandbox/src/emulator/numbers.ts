/** Numbers as hosts send them: Belarusian phone numbers without "+", short extensions, the line id. */
import type { Rng } from './random.js';

/** The seeded demo managers' extensions. */
export const DEFAULT_EXTENSIONS: readonly string[] = ['150', '151', '152'];
/** The line (trunk) id hosts put in Trunk. */
export const DEFAULT_TRUNK = '0001363';

// Mobile operators' codes (A1, MTS, life:) and the Minsk landline code.
const AREA_CODES = ['29', '33', '44', '25', '17'];

/** A number like "375296254070": country code, area code, seven digits not starting with 0. */
export function randomBelarusNumber(rng: Rng): string {
  let digits = String(rng.int(1, 9));
  for (let i = 0; i < 6; i += 1) digits += String(rng.int(0, 9));
  return `375${rng.pick(AREA_CODES)}${digits}`;
}

/**
 * Whether a Phone value is an outside number rather than an extension. Extensions are short
 * (2 to 5 digits); anything with 7 or more digits went through a trunk.
 */
export function isExternalNumber(value: string): boolean {
  return /^\+?\d{7,15}$/.test(value);
}
