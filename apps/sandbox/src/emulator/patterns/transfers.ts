/**
 * Family 2-x: forwards, pickups and transfers. The patterns marked `seed` reproduce the old
 * system's recorded statistics exactly; the others fill its distribution (phones per call, bridges).
 */
import { attendedTransfer, blindTransfer, busy, consult, finish, inbound, outbound, pickup } from '../steps.js';
import { definePattern, type PatternDef } from './pattern.js';

export const TRANSFER_PATTERNS: readonly PatternDef[] = [
  definePattern({
    id: '2-1', family: 'transfer', direction: 'in', stats: [12, 3, 1, 1],
    description: 'Forward on no answer: the extension rings out, the call goes to a colleague who answers.',
    steps: [inbound({ attempts: [['e1'], ['e2']], answer: 'e2' }), finish()],
  }),
  definePattern({
    id: '2-2', family: 'transfer', direction: 'in', stats: [12, 3, 1, 1],
    description: 'Forward on busy: the extension is busy, the call goes to a colleague who answers.',
    steps: [inbound({ attempts: [busy('e1'), ['e2']], answer: 'e2' }), finish()],
  }),
  definePattern({
    id: '2-3', family: 'transfer', direction: 'in', stats: [18, 3, 2, 1],
    description: 'Blind transfer: the answering manager sends the caller to a colleague (new dial, new bridge).',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      blindTransfer({ attempts: [['e2']], answer: 'e2' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-4', family: 'transfer', direction: 'in', stats: [20, 4, 2, 1],
    description: 'Attended transfer: the manager consults a colleague in a second bridge, then the bridges merge.',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      attendedTransfer({ to: 'e2', mode: 'merge' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-5', family: 'transfer', direction: 'in', stats: [14, 4, 1, 3],
    description: 'Follow-me through two mobiles: the extension and the first mobile ring out, the second mobile answers.',
    steps: [inbound({ attempts: [['e1'], ['m1'], ['m2']], answer: 'm2' }), finish()],
  }),
  definePattern({
    id: '2-6', family: 'transfer', direction: 'in', stats: [15, 5, 1, 3],
    description: 'Ring group rings out, forward to a busy mobile, then to a second mobile that answers.',
    steps: [inbound({ attempts: [['e1', 'e2'], busy('m1'), ['m2']], answer: 'm2' }), finish()],
  }),
  definePattern({
    id: '2-7', family: 'transfer', direction: 'in', seed: true, stats: [31, 9, 3, 3],
    description: 'Music while a ring group rings; the answering manager fails to reach a colleague, then '
      + 'blind-transfers to an extension that forwards to two mobiles in turn; the second answers.',
    steps: [
      inbound({ attempts: [['e1', 'e2', 'e3']], answer: 'e1', hold: true }),
      consult({ to: 'e2', answered: false }),
      blindTransfer({ attempts: [['e3'], ['m1'], ['m2']], answer: 'm2' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-8', family: 'transfer', direction: 'in', seed: true, stats: [37, 9, 3, 3],
    description: 'Blind transfer to a mobile that rings out, a second mobile that rings out, then an '
      + 'extension that answers and completes an attended transfer by linking the two bridges.',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      blindTransfer({ attempts: [['m1'], ['m2'], ['e3']], answer: 'e3' }),
      attendedTransfer({ to: 'e2', mode: 'link', connectedLineUpdate: true }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-9', family: 'transfer', direction: 'in', seed: true, stats: [27, 8, 2, 3],
    description: 'The manager tries to consult one mobile (no answer), then consults a second mobile and '
      + 'completes the attended transfer by linking the bridges.',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      consult({ to: 'm1', answered: false }),
      attendedTransfer({ to: 'm2', mode: 'link' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-10', family: 'transfer', direction: 'out', stats: [20, 5, 2, 3],
    description: 'Outbound call; the manager fails to reach a mobile, then blind-transfers the customer to another mobile.',
    steps: [
      outbound({ from: 'e1', answered: true }),
      consult({ to: 'm1', answered: false }),
      blindTransfer({ attempts: [['m2']], answer: 'm2' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-11', family: 'transfer', direction: 'in', stats: [20, 4, 2, 3],
    description: 'Blind transfer to a mobile that rings out and forwards to a second mobile that answers.',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      blindTransfer({ attempts: [['m1'], ['m2']], answer: 'm2' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-12', family: 'transfer', direction: 'in', stats: [11, 3, 1, 1],
    description: 'Call pickup: the extension rings, a colleague picks the call up from their own phone.',
    steps: [inbound({ attempts: [['e1']] }), pickup({ by: 'e2' }), finish()],
  }),
  definePattern({
    id: '2-13', family: 'transfer', direction: 'in', stats: [29, 6, 3, 3],
    description: 'The manager consults a mobile and hangs up on it, then transfers the caller to another mobile (attended, merge).',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      consult({ to: 'm1', answered: true }),
      attendedTransfer({ to: 'm2', mode: 'merge' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-14', family: 'transfer', direction: 'in', stats: [16, 5, 1, 3],
    description: 'Forward chain: extension, first mobile and second mobile ring out, a colleague\'s extension answers.',
    steps: [inbound({ attempts: [['e1'], ['m1'], ['m2'], ['e2']], answer: 'e2' }), finish()],
  }),
  definePattern({
    id: '2-15', family: 'transfer', direction: 'out', stats: [26, 5, 3, 3],
    description: 'Outbound call; the manager consults a mobile and hangs up on it, then blind-transfers the customer to another mobile.',
    steps: [
      outbound({ from: 'e1', answered: true }),
      consult({ to: 'm1', answered: true }),
      blindTransfer({ attempts: [['m2']], answer: 'm2' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-18', family: 'transfer', direction: 'in', seed: true, stats: [45, 8, 5, 1],
    description: 'Chain of transfers: a ring group answers, an attended transfer (merge), then three blind transfers in a row.',
    steps: [
      inbound({ attempts: [['e1', 'e2']], answer: 'e1' }),
      attendedTransfer({ to: 'e2', mode: 'merge' }),
      blindTransfer({ attempts: [['e3']], answer: 'e3' }),
      blindTransfer({ attempts: [['e1']], answer: 'e1' }),
      blindTransfer({ attempts: [['e2']], answer: 'e2' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-20', family: 'transfer', direction: 'in', seed: true, stats: [27, 6, 3, 1],
    description: 'Music while ringing; the manager fails to reach one colleague, then transfers to another (attended, merge).',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1', hold: true }),
      consult({ to: 'e3', answered: false }),
      attendedTransfer({ to: 'e2', mode: 'merge' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-23', family: 'transfer', direction: 'in', seed: true, stats: [39, 8, 4, 2],
    description: 'Blind transfer to a ring group, then two attended transfers (merge): back to the first manager, then to a mobile.',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      blindTransfer({ attempts: [['e2', 'e3']], answer: 'e3' }),
      attendedTransfer({ to: 'e1', mode: 'merge' }),
      attendedTransfer({ to: 'm1', mode: 'merge' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-24', family: 'transfer', direction: 'out', seed: true, stats: [27, 6, 4, 2],
    description: 'Outbound call blind-transferred into a queue (holding bridge, members dialed via Local channels): '
      + 'a colleague rings out, a mobile answers; afterwards the customer is put back on hold and hangs up.',
    steps: [
      outbound({ from: 'e1', answered: true }),
      blindTransfer({ attempts: [['e2'], ['m1']], answer: 'm1', viaQueue: true }),
      finish({ requeue: true }),
    ],
  }),
  definePattern({
    id: '2-25', family: 'transfer', direction: 'in', seed: true, stats: [34, 9, 3, 2],
    description: 'Blind transfer to a three-phone ring group, then an attended transfer to a mobile completed by linking the bridges.',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      blindTransfer({ attempts: [['e1', 'e2', 'e3']], answer: 'e2' }),
      attendedTransfer({ to: 'm1', mode: 'link' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-26', family: 'transfer', direction: 'in', stats: [10, 2, 1, 2],
    description: 'Forward-all: the line forwards straight to the manager\'s mobile, which answers.',
    steps: [inbound({ attempts: [['m1']], answer: 'm1' }), finish()],
  }),
  definePattern({
    id: '2-27', family: 'transfer', direction: 'in', stats: [12, 3, 1, 2],
    description: 'Forward on busy to the manager\'s mobile, which answers.',
    steps: [inbound({ attempts: [busy('e1'), ['m1']], answer: 'm1' }), finish()],
  }),
  definePattern({
    id: '2-28', family: 'transfer', direction: 'in', seed: true, stats: [30, 6, 3, 2],
    description: 'Two attended transfers (merge): to a colleague, who then hands the caller to a mobile.',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      attendedTransfer({ to: 'e2', mode: 'merge' }),
      attendedTransfer({ to: 'm1', mode: 'merge' }),
      finish(),
    ],
  }),
  definePattern({
    id: '2-29', family: 'transfer', direction: 'in', stats: [18, 3, 2, 2],
    description: 'Blind transfer of the caller to a mobile number.',
    steps: [
      inbound({ attempts: [['e1']], answer: 'e1' }),
      blindTransfer({ attempts: [['m1']], answer: 'm1' }),
      finish(),
    ],
  }),
];
