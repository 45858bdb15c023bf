/**
 * Hostile request bodies for the ingest, from a seed: random bytes and JSON, and real events broken
 * on purpose (wrong types, deep nesting, prototype keys, huge strings, many keys, bad encodings,
 * wrong content types, truncated bodies, odd paths). Pure: the same seed gives the same bytes.
 */

export interface FuzzBase {
  /** Event path segment ("dial", "hangup", …). */
  type: string;
  body: Record<string, unknown>;
}

export interface FuzzCase {
  kind: FuzzKind;
  /** Request path, e.g. "/dial" or "/recovery/hangup". */
  path: string;
  /** Content-Type header; undefined sends none. */
  contentType: string | undefined;
  body: Buffer;
  /** Declare the full length, send part of the body, then close: there is no answer to read. */
  cutShort: boolean;
}

export const FUZZ_KINDS = [
  'random-bytes', 'random-json', 'wrong-type', 'deep-nesting', 'prototype-keys', 'huge-string',
  'many-keys', 'bad-encoding', 'content-type', 'truncated', 'cut-short', 'odd-path', 'extra-fields',
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

export interface Rng {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRng(seed: number): Rng {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)]! };
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8');
const JSON_TYPE = 'application/json';
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'];

function randomString(rng: Rng, max: number): string {
  const alphabet = 'abcXYZ019 _-.:/\\"\'{}[]\u0000\u00e9\u044f\u20ac\ud83d\ude00';
  return Array.from({ length: rng.int(max) }, () => alphabet[rng.int(alphabet.length)]).join('');
}

function randomJson(rng: Rng, depth: number): unknown {
  const k = depth <= 0 ? rng.int(5) : rng.int(7);
  switch (k) {
    case 0: return null;
    case 1: return rng.next() < 0.5;
    case 2: return rng.pick([0, -1, 1e308, -0, 2 ** 53 + 1, 3.14, rng.int(1e9)]);
    case 3: return randomString(rng, 40);
    case 4: return '';
    case 5: return Array.from({ length: rng.int(5) }, () => randomJson(rng, depth - 1));
    default: return Object.fromEntries(Array.from({ length: rng.int(5) }, () => [randomString(rng, 12), randomJson(rng, depth - 1)]));
  }
}

/** Nested objects or arrays `depth` levels deep, built as text (no recursion). */
function nestedText(depth: number, arrays: boolean): string {
  return arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A base event with one more top-level field whose value is raw JSON text. */
function withRawField(body: Record<string, unknown>, key: string, rawValue: string): Buffer {
  const text = JSON.stringify(body);
  return Buffer.from(`${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${JSON.stringify(key)}:${rawValue}}`, 'utf8');
}

function wrongValue(rng: Rng): unknown {
  return rng.pick<unknown>([null, true, 0, -1, 1.5, '', 'x'.repeat(300), [], [[]], {}, { $gt: '' }, ['150', { a: 1 }], 'NaN', '1e999']);
}

function makeCase(kind: FuzzKind, rng: Rng, bases: readonly FuzzBase[]): FuzzCase {
  const base = rng.pick(bases);
  const path = `/${base.type}`;
  const plain = (body: Buffer, contentType: string | undefined = JSON_TYPE): FuzzCase => ({ kind, path, contentType, body, cutShort: false });
  switch (kind) {
    case 'random-bytes':
      return plain(Buffer.from(Array.from({ length: rng.int(2048) }, () => rng.int(256))), rng.pick([JSON_TYPE, undefined, 'application/octet-stream']));
    case 'random-json':
      return plain(json(randomJson(rng, 6)));
    case 'wrong-type': {
      const body = { ...base.body };
      const fields = Object.keys(body);
      for (let i = 0, n = 1 + rng.int(3); i < n; i += 1) body[rng.pick(fields)] = wrongValue(rng);
      return plain(json(body));
    }
    case 'deep-nesting': {
      const depth = rng.pick([32, 256, 1_000, 5_000, 9_000, 12_000]);
      const arrays = rng.next() < 0.5;
      const key = rng.next() < 0.7 ? 'Extra' : rng.pick(Object.keys(base.body));
      return plain(withRawField(base.body, key, nestedText(depth, arrays)));
    }
    case 'prototype-keys': {
      const key = rng.pick(PROTO_KEYS);
      const value = rng.pick<unknown>([{ Token: 'forged', isAdmin: true }, null, 1, 'x', { prototype: { polluted: true } }, []]);
      const where = rng.int(3);
      if (where === 0) return plain(withRawField(base.body, key, JSON.stringify(value)));
      if (where === 1) return plain(withRawField(base.body, 'Nested', `{${JSON.stringify(key)}:${JSON.stringify(value)}}`));
      return plain(Buffer.from(`{${JSON.stringify(key)}:${JSON.stringify(base.body)}}`, 'utf8'));
    }
    case 'huge-string': {
      const size = rng.pick([4_000, 30_000, 60_000, 70_000, 200_000]);
      const key = rng.next() < 0.5 ? 'Note' : rng.pick(Object.keys(base.body));
      return plain(json({ ...base.body, [key]: 'z'.repeat(size) }));
    }
    case 'many-keys': {
      const count = rng.pick([500, 2_000, 5_000, 9_000]);
      const extra = Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));
      return plain(json(rng.next() < 0.5 ? { ...base.body, Extra: extra } : { ...extra, ...base.body }));
    }
    case 'bad-encoding': {
      const text = JSON.stringify(base.body);
      const variant = rng.int(5);
      if (variant === 0) return plain(Buffer.from(text, 'utf16le'));
      if (variant === 1) return plain(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
      if (variant === 2) return plain(Buffer.from(`${text.slice(0, -1)},"Bad":"\\ud800\\udfff\\ud800"}`));
      const bad = Buffer.from(rng.pick([[0xc3, 0x28], [0xff, 0xfe], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0x00]]));
      const at = text.indexOf('"', 2) + 1; // inside the first key
      return plain(Buffer.concat([Buffer.from(text.slice(0, at)), bad, Buffer.from(text.slice(at))]), rng.pick([JSON_TYPE, 'application/json; charset=latin1']));
    }
    case 'content-type': {
      const variant = rng.int(5);
      if (variant === 0) return plain(json(base.body), 'text/plain');
      if (variant === 1) {
        const form = new URLSearchParams(Object.entries(base.body).map(([k, v]): [string, string] => [k, String(v)])).toString();
        return plain(Buffer.from(form), 'application/x-www-form-urlencoded');
      }
      if (variant === 2) return plain(Buffer.from(`--b\r\nContent-Disposition: form-data; name="Token"\r\n\r\n${String(base.body.Token)}\r\n--b--\r\n`), 'multipart/form-data; boundary=b');
      if (variant === 3) return plain(Buffer.from(`<dial><Token>${String(base.body.Token)}</Token></dial>`), 'application/xml');
      return plain(json(base.body), undefined);
    }
    case 'truncated': {
      const text = JSON.stringify(base.body);
      return plain(Buffer.from(text.slice(0, rng.int(text.length))));
    }
    case 'cut-short':
      return { kind, path, contentType: JSON_TYPE, body: json(base.body), cutShort: true };
    case 'odd-path': {
      const odd = rng.pick(['/nope', '/%ZZ', '/dial%00', `/${'a'.repeat(5_000)}`, '/recovery/', '/recovery/%E0%A4%A', '/__proto__', '/constructor', `/recovery/${base.type}`, '/DIAL', '/dial/extra']);
      return { kind, path: odd, contentType: JSON_TYPE, body: json(base.body), cutShort: false };
    }
    case 'extra-fields':
      return plain(json({ ...base.body, Extra: randomJson(rng, 4), 'x-y': 1, '': 'empty key' }));
  }
}

/** `count` cases from `seed`, every kind in turn so that a short run still covers them all. */
export function fuzzCases(seed: number, count: number, bases: readonly FuzzBase[]): FuzzCase[] {
  if (!bases.length) throw new RangeError('fuzzCases needs at least one base event');
  const rng = seededRng(seed);
  return Array.from({ length: count }, (_, i) => makeCase(FUZZ_KINDS[i % FUZZ_KINDS.length]!, rng, bases));
}
