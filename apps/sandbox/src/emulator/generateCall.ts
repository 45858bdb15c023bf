/**
 * Turns a pattern into one concrete call: ids, numbers and times drawn from a seeded PRNG, plus
 * the records the pipeline should make of it (one, or more when the pattern holds calls nothing
 * joins). Pure: same options, same call.
 */
import { CallBuilder, type Party } from './callBuilder.js';
import { MINSK_UTC_OFFSET_MINUTES } from './hostTime.js';
import { DEFAULT_EXTENSIONS, DEFAULT_TRUNK, randomBelarusNumber } from './numbers.js';
import { findPattern } from './patterns/index.js';
import { createRng, type Rng } from './random.js';
import { CALL_TYPE, type Outcome, type Scene, type Target } from './steps.js';
import type { Direction, ExpectedOutcome, GenerateOptions, GeneratedCall } from './types.js';

/** Channel counters reserved per call; the busiest pattern uses 9. */
export const UIDS_PER_CALL = 16;
/** Counters reserved per seed, so that runs with different seeds do not overlap either. */
const COUNTERS_PER_SEED = 1_000_000;
/** Calls one seed can number without its counters running into the next seed's. */
export const MAX_CALLS_PER_SEED = COUNTERS_PER_SEED / UIDS_PER_CALL;

/**
 * Each seed owns a range of a million counters and each call 16 of them, so two calls differ in
 * their UniqueIds whenever (seed, callIndex) differ, for seeds 0..2^31-1 (the largest base, about
 * 2.1e15, is still a safe integer).
 */
export function defaultUniqueIdBase(seed: number, callIndex: number): number {
  return (Math.abs(Math.trunc(seed)) % 2 ** 31) * COUNTERS_PER_SEED + callIndex * UIDS_PER_CALL;
}

function pickPhones(rng: Rng, given: readonly string[]): [string, string, string] {
  const phones = [...given];
  while (phones.length < 3) {
    const candidate = randomBelarusNumber(rng);
    if (!phones.includes(candidate)) phones.push(candidate);
  }
  return [phones[0]!, phones[1]!, phones[2]!];
}

function checkOptions(opts: GenerateOptions, callIndex: number, extensions: readonly string[]): void {
  if (!opts.token) throw new RangeError('token is required');
  if (!Number.isInteger(callIndex) || callIndex < 0) throw new RangeError('callIndex must be a non-negative integer');
  if (opts.uniqueIdBase === undefined && callIndex >= MAX_CALLS_PER_SEED) {
    throw new RangeError(`callIndex must stay below ${MAX_CALLS_PER_SEED} unless uniqueIdBase is given`);
  }
  if (Number.isNaN(opts.startTime.getTime())) throw new RangeError('startTime is not a valid date');
  if (new Set(extensions).size < 3) throw new RangeError('at least three distinct extensions are needed');
  if (opts.phones && new Set(opts.phones).size !== opts.phones.length) throw new RangeError('phones must be distinct');
}

interface RecordEnd {
  record: number;
  direction: Direction;
  outcome: Outcome;
  answeredAt?: number | undefined;
  talkEndedAt?: number | undefined;
  finalParticipants: string[];
}

/** One expected record: the builder's channels, bridges, phones and events filed under it, and how its call ended. */
function expectedRecord(call: CallBuilder, startMs: number, end: RecordEnd): ExpectedOutcome {
  const events = call.events.filter((e) => e.record === end.record);
  const firstAt = startMs + (events[0]?.offsetMs ?? 0);
  const lastAt = startMs + (events.at(-1)?.offsetMs ?? 0);
  const answered = end.outcome === 'answered';
  const bridges = call.bridges.filter((b) => b.record === end.record);
  return {
    uniqueIds: call.channels.filter((c) => c.record === end.record).map((c) => c.uid),
    bridgeUniqueIds: bridges.map((b) => b.id),
    externalPhones: [...(call.recordPhones[end.record] ?? [])],
    direction: end.direction,
    answered,
    durationSec: Math.round((lastAt - firstAt) / 1000),
    talkSec: answered && end.answeredAt !== undefined ? Math.round(((end.talkEndedAt ?? lastAt) - end.answeredAt) / 1000) : 0,
    startedAt: new Date(firstAt).toISOString(),
    endedAt: new Date(lastAt).toISOString(),
    finalParticipants: answered ? end.finalParticipants : [],
    eventCount: events.length,
    bridgeCount: bridges.length,
  };
}

export function generateCall(patternId: string, opts: GenerateOptions): GeneratedCall {
  const pattern = findPattern(patternId);
  if (!pattern) throw new RangeError(`unknown pattern: ${patternId}`);
  const callIndex = opts.callIndex ?? 0;
  const allExtensions = opts.extensions ?? DEFAULT_EXTENSIONS;
  checkOptions(opts, callIndex, allExtensions);

  const rng = createRng('call', opts.seed, callIndex, patternId);
  const uidBase = opts.uniqueIdBase ?? defaultUniqueIdBase(opts.seed, callIndex);
  const startMs = opts.startTime.getTime();
  const call = new CallBuilder({
    token: opts.token, rng, startMs, uidCounterBase: uidBase,
    idSalt: [opts.seed, callIndex, uidBase, patternId],
    includeLinkedid: opts.includeLinkedid ?? false,
    trunk: opts.trunk ?? DEFAULT_TRUNK,
    utcOffsetMinutes: opts.utcOffsetMinutes ?? MINSK_UTC_OFFSET_MINUTES,
  });

  // Which manager plays e1, e2, e3 rotates from call to call.
  const rotation = rng.int(0, allExtensions.length - 1);
  const ext = (k: number): Party => ({ kind: 'ext', number: allExtensions[(rotation + k) % allExtensions.length]! });
  const [customer, mobile1, mobile2] = pickPhones(rng, opts.phones ?? []);
  const roles: Record<Target, Party> = {
    e1: ext(0), e2: ext(1), e3: ext(2),
    m1: { kind: 'external', number: mobile1 }, m2: { kind: 'external', number: mobile2 },
  };

  const scene: Scene = {
    call, record: 0, startMs, side: [], customer: { kind: 'external', number: customer }, resolve: (t) => roles[t],
    direction: pattern.direction, callType: CALL_TYPE[pattern.direction],
    active: [], extensions: [], outcome: 'missed', finalParticipants: [],
  };
  for (const step of pattern.steps) step(scene);

  const main: RecordEnd = {
    record: 0, direction: pattern.direction, outcome: scene.outcome, answeredAt: scene.answeredAt,
    talkEndedAt: scene.talkEndedAt, finalParticipants: scene.finalParticipants,
  };
  const records = [main, ...[...scene.side].sort((a, b) => a.record - b.record)].map((end) => expectedRecord(call, startMs, end));
  return { patternId, events: call.events, expected: records[0]!, records };
}
