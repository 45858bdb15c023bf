/**
 * The ids an event carries that tie it to a call: channel ids, bridge ids and the linked id.
 * Read defensively (a number becomes its string, empty is absent): the call log also reads bodies
 * that outside callers sent to /log/event, which no schema checked.
 */
export interface CallIds {
  uniqueId: string | null;
  bridgeUniqueId: string | null;
  linkedId: string | null;
}

type Body = Readonly<Record<string, unknown>>;

function idField(body: Body, name: string): string | null {
  const v = body[name];
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function callIds(body: Body): CallIds {
  return {
    uniqueId: idField(body, 'UniqueId'),
    bridgeUniqueId: idField(body, 'BridgeUniqueid'),
    linkedId: idField(body, 'Linkedid'),
  };
}

/** The id an event is filed under: the channel id, or the bridge id for bridge-only events ('' if none). */
export function primaryId(body: Body): string {
  const ids = callIds(body);
  return ids.uniqueId ?? ids.bridgeUniqueId ?? '';
}
