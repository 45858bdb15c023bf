/**
 * Phones formatted for people. Hosts send digits as dialled ("375296254070", "80296254070",
 * "+79161234567"); a chat shows "+375 (29) 625-40-70". Short numbers (extensions, services) stay as sent.
 */

const group = (d: string, ...sizes: number[]): string[] => {
  const parts: string[] = [];
  let at = 0;
  for (const n of sizes) {
    parts.push(d.slice(at, at + n));
    at += n;
  }
  return parts;
};

/** "+CC (AA) BBB-CC-DD" for a national number split as area + 3 + 2 + 2. */
function grouped(country: string, national: string, areaLength: number): string {
  const [area, a, b, c] = group(national, areaLength, 3, 2, 2);
  return `+${country} (${area}) ${a}-${b}-${c}`;
}

export function formatPhone(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length <= 6) return trimmed;
  // Belarus: +375 and two-digit operator/area codes; "80…" is the domestic form of the same number.
  if (digits.length === 12 && digits.startsWith('375')) return grouped('375', digits.slice(3), 2);
  if (digits.length === 11 && digits.startsWith('80')) return grouped('375', digits.slice(2), 2);
  // Ukraine: +380 and two-digit codes.
  if (digits.length === 12 && digits.startsWith('380')) return grouped('380', digits.slice(3), 2);
  // Russia and Kazakhstan: +7 and three-digit codes; "8…" is the domestic form (codes never start with 0).
  if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) return grouped('7', digits.slice(1), 3);
  // Anything else international-looking: the digits with a plus, never guessed into groups.
  if (trimmed.startsWith('+') || digits.length >= 11) return `+${digits}`;
  return digits;
}
