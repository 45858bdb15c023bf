/**
 * Phone numbers as callers send them ("+375296254070", "375296254070", "80296254070",
 * "+375 (29) 625-40-70") reduced to E.164, and the forms a customers row may hold.
 * The one national rule is Belarus's: 80 + 9 digits is +375 + the 9 digits (the old system's market).
 */

/** "+375296254070", or null when the text is not a phone number (5 to 15 digits, an optional leading +). */
export function toE164(raw: string): string | null {
  const compact = raw.trim().replace(/[\s()\-.]/g, '');
  if (!/^\+?\d{5,15}$/.test(compact)) return null;
  const digits = compact.replace(/^\+/, '');
  if (!compact.startsWith('+') && digits.length === 11 && digits.startsWith('80')) return `+375${digits.slice(2)}`;
  return `+${digits}`;
}

/** The values of customers.phone_e164 that mean this number: with and without the +. */
export function phoneForms(e164: string): string[] {
  return [e164, e164.slice(1)];
}
