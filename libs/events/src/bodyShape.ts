/**
 * Bounds on a body's shape that a JSON schema cannot state for fields it does not name: how deep
 * values nest and how many keys and items there are in all. Checked iteratively, so a body nested
 * thousands of levels deep (small enough for the size limit) is refused instead of overflowing the
 * stack of whatever walks it next (the content key, JSON.stringify of the job).
 */
import type { FieldError } from './validate.js';

export interface ShapeLimits {
  /** The body itself is depth 1; `{"a":{"b":1}}` is depth 2 at `a`. */
  maxDepth: number;
  /** Object keys and array items, counted over the whole body. */
  maxNodes: number;
}

/** Hosts send flat bodies with one list (Extensions); these bounds leave room for any script's extras. */
export const EVENT_SHAPE_LIMITS: ShapeLimits = { maxDepth: 8, maxNodes: 1000 };

/** The first bound the body breaks, naming the top-level field it happens under; null when within. */
export function checkShape(body: object, limits: ShapeLimits = EVENT_SHAPE_LIMITS): FieldError | null {
  // Each entry: a container, its depth, and the top-level field it sits under.
  const pending: Array<{ value: object; depth: number; field: string }> = [{ value: body, depth: 1, field: '(body)' }];
  let nodes = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth, field } = next;
    const children: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value);
    nodes += children.length;
    if (nodes > limits.maxNodes) {
      return { field: '(body)', message: `(body) has more than ${limits.maxNodes} keys and list items in all` };
    }
    for (const [key, child] of children) {
      if (child === null || typeof child !== 'object') continue;
      const at = depth === 1 ? key : field;
      if (depth + 1 > limits.maxDepth) {
        return { field: at, message: `${at} nests deeper than ${limits.maxDepth} levels` };
      }
      pending.push({ value: child, depth: depth + 1, field: at });
    }
  }
  return null;
}
