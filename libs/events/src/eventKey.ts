/**
 * The identity of an event: a hash of its type and its canonical content. A host that resends
 * the same event (same content) produces the same key, whether live or as recovery.
 */
import { hash } from 'node:crypto';
import type { EventType } from './eventTypes.js';

/** JSON with object keys sorted, so that key order in the host's body does not change the key. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function eventKey(type: EventType, body: object): string {
  // One-shot hash (no Hash object per event); sha256 truncated to 160 bits is ample for identity.
  return hash('sha256', `${type}\n${canonicalJson(body)}`, 'hex').slice(0, 40);
}
