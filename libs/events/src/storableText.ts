/**
 * Text PostgreSQL cannot store in a json/jsonb column: U+0000 (jsonb has no NUL) and UTF-16
 * surrogates without their pair (JSON.stringify writes them as `\udXXX` escapes, which PostgreSQL
 * refuses). A body carrying either would be acked and then refused by the database on every retry,
 * so it is refused up front, naming the field. Asterisk never sends these; only a broken or hostile
 * sender does. Run after checkShape, which bounds depth and size.
 */
import type { FieldError } from './validate.js';

// A NUL (matching it is the point here), a high surrogate not followed by a low one, or a low
// surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function what(text: string): string {
  return text.includes('\u0000') ? 'a NUL character (\\u0000)' : 'an unpaired UTF-16 surrogate';
}

/** The first key or string value PostgreSQL could not store, named by its path; null when all can be stored. */
export function checkStorableText(body: object): FieldError | null {
  const pending: Array<{ value: object; path: string }> = [{ value: body, path: '' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    const children: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value);
    for (const [key, child] of children) {
      const at = path ? `${path}.${key}` : key;
      if (UNSTORABLE.test(key)) {
        const field = path || '(body)';
        return { field, message: `${field} has a key with ${what(key)}` };
      }
      if (typeof child === 'string' && UNSTORABLE.test(child)) {
        return { field: at, message: `${at} contains ${what(child)}` };
      }
      if (child !== null && typeof child === 'object') pending.push({ value: child, path: at });
    }
  }
  return null;
}
