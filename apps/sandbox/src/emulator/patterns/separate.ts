/**
 * Family 4-x: two calls that touch but are not one — the same manager or the same customer in
 * both, close in time, and no id in common. Each pattern is two expected records.
 */
import { finish, inbound, outbound, separateCall } from '../steps.js';
import { definePattern, type PatternDef } from './pattern.js';

export const SEPARATE_PATTERNS: readonly PatternDef[] = [
  definePattern({
    id: '4-1', family: 'separate', direction: 'in', stats: [19, 4, 2, 2],
    description: 'Hold and call another customer: the manager answers customer X, puts X on hold and calls '
      + 'customer Y from a second line, talks, hangs up on Y and returns to X. Two calls.',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      separateCall({ customer: 'm1', direction: 'out' }, [outbound({ from: 'e1', answered: true }), finish()]),
      finish(),
    ],
  }),
  definePattern({
    id: '4-2', family: 'separate', direction: 'in', stats: [14, 4, 1, 1],
    description: 'Callback: customer X calls, nobody answers; 10 s after X hangs up X calls again and the '
      + 'same manager answers. Two calls.',
    steps: [
      inbound({ attempts: [['e1']] }),
      finish(),
      separateCall({ direction: 'in', gapMs: 10_000 }, [inbound({ attempts: [['e1']], answer: 'e1' }), finish()]),
    ],
  }),
];
