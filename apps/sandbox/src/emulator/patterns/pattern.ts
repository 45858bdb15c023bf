/** A pattern: its catalogue entry plus the scenario steps that generate its events. */
import type { Step } from '../steps.js';
import type { Direction, PatternFamily, PatternInfo } from '../types.js';

export interface PatternDef extends PatternInfo {
  steps: readonly Step[];
}

export interface PatternSpec {
  id: string;
  family: PatternFamily;
  direction: Direction;
  description: string;
  /** events / UniqueIds / bridges / distinct external phones the steps produce. */
  stats: readonly [events: number, uniqueIds: number, bridges: number, phones: number];
  /** Listed in the old system's pattern table, so the stats above are the seed's. */
  seed?: boolean;
  steps: readonly Step[];
}

export function definePattern(spec: PatternSpec): PatternDef {
  const [events, uniqueIds, bridges, phones] = spec.stats;
  return {
    id: spec.id, family: spec.family, direction: spec.direction, description: spec.description,
    stats: { events, uniqueIds, bridges, phones }, fromSeedTable: spec.seed ?? false, steps: spec.steps,
  };
}
