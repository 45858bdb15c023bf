/** Family 3-x: calls between extensions (CallType 2, no outside number). */
import { blindTransfer, finish, internal } from '../steps.js';
import { definePattern, type PatternDef } from './pattern.js';

export const INTERNAL_PATTERNS: readonly PatternDef[] = [
  definePattern({
    id: '3-1', family: 'internal', direction: 'internal', stats: [9, 2, 1, 0],
    description: 'Internal call answered: one extension calls another.',
    steps: [internal({ from: 'e1', attempts: [['e2']], answer: 'e2' }), finish()],
  }),
  definePattern({
    id: '3-2', family: 'internal', direction: 'internal', stats: [3, 2, 0, 0],
    description: 'Internal call missed: the called extension does not answer.',
    steps: [internal({ from: 'e1', attempts: [['e2']] }), finish()],
  }),
  definePattern({
    id: '3-3', family: 'internal', direction: 'internal', stats: [17, 3, 2, 0],
    description: 'Internal call blind-transferred by the callee to a third extension.',
    steps: [
      internal({ from: 'e1', attempts: [['e2']], answer: 'e2' }),
      blindTransfer({ attempts: [['e3']], answer: 'e3' }),
      finish(),
    ],
  }),
];
