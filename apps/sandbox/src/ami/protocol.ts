/**
 * The AMI wire format: messages are "Key: Value" lines ending in CRLF, a blank line ends a message.
 * Pure helpers for the sandbox server: split a byte stream into messages and write one.
 */
export type AmiFields = Record<string, string>;

export const BANNER = 'Asterisk Call Manager/5.0.1\r\n';

/** Takes the complete messages off the front of a buffer; returns them and what is left. */
export function takeMessages(buffer: string): { messages: AmiFields[]; rest: string } {
  const messages: AmiFields[] = [];
  let rest = buffer;
  for (let end = rest.indexOf('\r\n\r\n'); end !== -1; end = rest.indexOf('\r\n\r\n')) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 4);
    const fields: AmiFields = {};
    for (const line of block.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      // Header names are case-insensitive in AMI; keep the first spelling, match on lower case.
      fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (Object.keys(fields).length) messages.push(fields);
  }
  return { messages, rest };
}

export function formatMessage(fields: Record<string, string | number>): string {
  return `${Object.entries(fields).map(([k, v]) => `${k}: ${String(v)}`).join('\r\n')}\r\n\r\n`;
}
