/** Which fields are secrets, and how a secret is shown when it must be shown at all. */

/** Field names whose values are secrets wherever they appear in a logged object. */
export const SECRET_KEYS = [
  'Token', 'token', 'bot_token', 'botToken', 'api_key', 'apiKey', 'api_token', 'apiToken',
  'password', 'secret', 'authorization', 'Authorization', 'x-api-key', 'X-API-KEY', 'cookie',
] as const;

/** pino redact paths: the keys at the top level and up to three levels down. */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const dot = k.startsWith('[') ? '' : '.';
    paths.push(k, `*${dot}${k}`, `*.*${dot}${k}`, `*.*.*${dot}${k}`);
  }
  return paths;
}

/** Shows enough of a secret to tell two apart, never the whole: "1234…(12)". */
export function maskSecret(value: string | null | undefined): string {
  if (!value) return '';
  if (value.length <= 6) return '…';
  return `${value.slice(0, 4)}…(${value.length})`;
}

/** Replaces a Telegram bot token inside a URL or message ("/bot123:ABC/sendMessage"). */
export function scrubBotTokens(text: string): string {
  return text.replace(/bot\d+:[A-Za-z0-9_-]{20,}/g, 'bot<redacted>');
}
