/**
 * Secrets out of trace data before it is shown: host Tokens in event bodies, bot tokens in Bot API
 * URLs, API keys in headers, bodies and query strings. Shows enough to tell two apart. Pure.
 */
import { maskSecret, scrubBotTokens, SECRET_KEYS } from '@callpipe/logging';

const SECRET = new Set<string>(SECRET_KEYS.map((k) => k.toLowerCase()));
const IN_QUERY = /([?&](?:api_?key|apikey|token|access_token|secret|password)=)([^&#\s"]+)/gi;

export function maskText(text: string): string {
  return scrubBotTokens(text).replace(IN_QUERY, (_m, name: string, value: string) => `${name}${maskSecret(value)}`);
}

export function maskSecrets(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET.has(k.toLowerCase()) ? (typeof v === 'string' ? maskSecret(v) : '…') : maskSecrets(v);
  }
  return out;
}
