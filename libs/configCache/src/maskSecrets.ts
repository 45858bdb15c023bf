/**
 * Integration settings as shown to a caller not authenticated for secrets: every value under a
 * secret-looking key (api_key, api_token, token, password, secret, client secret, webhook uuid…)
 * is replaced by its first characters and length; everything else is kept.
 */
import { maskSecret } from '@callpipe/logging';

const SECRET_KEY = /password|passwd|^pass$|secret|token|api[_-]?key|private[_-]?key|authorization|credential|webhook[_-]?(uuid|url)/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function maskSecrets<T>(value: T): T {
  return maskValue(value) as T;
}

function maskValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskValue);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!isSecretKey(key) || v === null || v === undefined || v === '') out[key] = maskValue(v);
    else out[key] = typeof v === 'object' ? '[masked]' : maskSecret(String(v));
  }
  return out;
}
