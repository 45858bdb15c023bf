/**
 * The identity of an event: a hash of its type and its canonical content. A host that resends
 * the same event (same content) produces the same key, whether live or as recovery.
 */
import { hash } from 'node:crypto';
import type { EventType } from './eventTypes.js';

type Frame =
  | { items: readonly unknown[]; keys: null; at: number }
  | { items: Record<string, unknown>; keys: string[]; at: number };

/**
 * JSON with object keys sorted, so that key order in the host's body does not change the key.
 * Iterative (an explicit stack): no input nests deep enough to overflow the call stack.
 */
export function canonicalJson(value: unknown): string {
  let out = '';
  const stack: Frame[] = [];
  let next: unknown = value;
  for (;;) {
    if (next === null || typeof next !== 'object') {
      out += JSON.stringify(next) ?? 'null';
    } else if (Array.isArray(next)) {
      out += '[';
      stack.push({ items: next, keys: null, at: 0 });
    } else {
      const obj = next as Record<string, unknown>;
      out += '{';
      stack.push({ items: obj, keys: Object.keys(obj).filter((k) => obj[k] !== undefined).sort(), at: 0 });
    }
    // Climb until a container has a next member to write, closing the finished ones.
    for (;;) {
      const top = stack.at(-1);
      if (!top) return out;
      if (top.keys === null) {
        if (top.at < top.items.length) {
          if (top.at > 0) out += ',';
          next = top.items[top.at++];
          break;
        }
        out += ']';
      } else {
        if (top.at < top.keys.length) {
          const key = top.keys[top.at++]!;
          out += `${top.at > 1 ? ',' : ''}${JSON.stringify(key)}:`;
          next = top.items[key];
          break;
        }
        out += '}';
      }
      stack.pop();
    }
  }
}

export function eventKey(type: EventType, body: object): string {
  // One-shot hash (no Hash object per event); sha256 truncated to 160 bits is ample for identity.
  return hash('sha256', `${type}\n${canonicalJson(body)}`, 'hex').slice(0, 40);
}
