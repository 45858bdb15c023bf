/**
 * The correlation's view of one event: its identity, type, body as the host sent it, and when it
 * happened (ingest's receivedAt, epoch ms). Fields are read defensively: hosts' scripts differ, and
 * outside callers of /log/event send bodies the ingest never checked.
 */
export interface CorrelationEvent {
  /** The event's identity (its content key); the same event delivered twice has the same key. */
  key: string;
  type: string;
  body: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds. */
  at: number;
  /** The ingest's sequence, when known: orders events received within the same millisecond (a replay burst). */
  seq?: number;
}

/** A field as a non-empty string (numbers as sent by hosts become strings), or undefined. */
export function field(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = body[name];
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A numeric field (CallType, CallStatus arrive as numbers or strings). */
export function numberField(body: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const v = body[name];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  return undefined;
}

/** A list of strings (Extensions; a single value counts as a list of one). */
export function listField(body: Readonly<Record<string, unknown>>, name: string): string[] {
  const v = body[name];
  const items = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return items.flatMap((x) => (typeof x === 'string' && x !== '' ? [x] : typeof x === 'number' ? [String(x)] : []));
}
