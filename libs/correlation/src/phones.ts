/** Outside numbers versus extensions: extensions are short (2–5 digits), anything of 7+ digits came through a trunk. */
export function isExternalNumber(value: string): boolean {
  return /^\+?\d{7,15}$/.test(value);
}

/** The form phones are stored and searched in: digits only ("+375 29 625-40-70" → "375296254070"). */
export function normalizePhone(value: string): string {
  return value.replace(/\D/g, '');
}
