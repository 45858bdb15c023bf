/** The pattern catalogue: every emulated call shape, in the old system's numbering (4-x are ours: two separate calls). */
import { INTERNAL_PATTERNS } from './internal.js';
import type { PatternDef } from './pattern.js';
import { SEPARATE_PATTERNS } from './separate.js';
import { SIMPLE_PATTERNS } from './simple.js';
import { TRANSFER_PATTERNS } from './transfers.js';

export type { PatternDef } from './pattern.js';

export const PATTERNS: readonly PatternDef[] = [...SIMPLE_PATTERNS, ...TRANSFER_PATTERNS, ...INTERNAL_PATTERNS, ...SEPARATE_PATTERNS];

export const PATTERN_IDS: readonly string[] = PATTERNS.map((p) => p.id);

export function findPattern(id: string): PatternDef | undefined {
  return PATTERNS.find((p) => p.id === id);
}
