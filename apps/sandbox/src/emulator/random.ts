/**
 * Seeded randomness for the emulator: a small PRNG and hash-derived UUIDs, so that the same seed
 * always produces the same calls and different (seed, call) pairs never share an id.
 */
import { createHash } from 'node:crypto';

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

function digest(parts: readonly (string | number)[]): Buffer {
  return createHash('sha256').update(parts.join('|')).digest();
}

/** mulberry32: tiny, fast and good enough for picking ring times and phone digits. */
export function createRng(...seedParts: (string | number)[]): Rng {
  let state = digest(seedParts).readUInt32BE(0);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

/**
 * A version-4-shaped UUID taken from a hash of its parts. A hash of the full (seed, call, n) tuple
 * rather than PRNG output, because two PRNG streams can collide while distinct tuples practically cannot.
 */
export function deterministicUuid(...parts: (string | number)[]): string {
  const b = digest(parts).subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
