/** Family 1-x: calls without transfers (answered, missed, busy, ring groups, follow-me). */
import { busy, finish, inbound, outbound } from '../steps.js';
import { definePattern, type PatternDef } from './pattern.js';

export const SIMPLE_PATTERNS: readonly PatternDef[] = [
  definePattern({
    id: '1-1', family: 'simple', direction: 'out', seed: true, stats: [9, 2, 1, 1],
    description: 'Outbound call answered: the manager dials the customer, they talk, the manager hangs up.',
    steps: [outbound({ from: 'e1', answered: true }), finish()],
  }),
  definePattern({
    id: '1-2', family: 'simple', direction: 'in', stats: [12, 3, 1, 2],
    description: 'Follow-me: the extension rings out, then the manager\'s mobile is dialed and answers.',
    steps: [inbound({ attempts: [['e1'], ['m1']], answer: 'm1' }), finish()],
  }),
  definePattern({
    id: '1-3', family: 'simple', direction: 'in', stats: [10, 2, 1, 1],
    description: 'Inbound call answered by the extension it rings.',
    steps: [inbound({ attempts: [['e1']], answer: 'e1' }), finish()],
  }),
  definePattern({
    id: '1-4', family: 'simple', direction: 'in', stats: [4, 2, 0, 1],
    description: 'Inbound call missed: the extension rings until the caller gives up.',
    steps: [inbound({ attempts: [['e1']] }), finish()],
  }),
  definePattern({
    id: '1-5', family: 'simple', direction: 'in', stats: [4, 2, 0, 1],
    description: 'Inbound call to a busy extension (CallStatus 1).',
    steps: [inbound({ attempts: [busy('e1')] }), finish()],
  }),
  definePattern({
    id: '1-6', family: 'simple', direction: 'out', stats: [3, 2, 0, 1],
    description: 'Outbound call the customer does not answer.',
    steps: [outbound({ from: 'e1' }), finish()],
  }),
  definePattern({
    id: '1-7', family: 'simple', direction: 'out', stats: [3, 2, 0, 1],
    description: 'Outbound call to a busy customer (CallStatus 1).',
    steps: [outbound({ from: 'e1', busy: true }), finish()],
  }),
  definePattern({
    id: '1-8', family: 'simple', direction: 'in', stats: [12, 4, 1, 1],
    description: 'Ring group: one dial rings three extensions at once (a channel each), the second one answers.',
    steps: [inbound({ attempts: [['e1', 'e2', 'e3']], answer: 'e2' }), finish()],
  }),
  definePattern({
    id: '1-9', family: 'simple', direction: 'in', stats: [6, 4, 0, 1],
    description: 'Ring group nobody answers: three ringing channels, the caller gives up.',
    steps: [inbound({ attempts: [['e1', 'e2', 'e3']] }), finish()],
  }),
  definePattern({
    id: '1-10', family: 'simple', direction: 'in', stats: [14, 2, 2, 1],
    description: 'Inbound call that hears music in a holding bridge while the extension rings, then answered.',
    steps: [inbound({ attempts: [['e1']], answer: 'e1', hold: true }), finish()],
  }),
];
