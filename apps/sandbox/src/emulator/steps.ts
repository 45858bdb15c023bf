/**
 * The small scenario language the patterns are written in: how a call opens (inbound, outbound,
 * internal), what happens during it (blind and attended transfers, consultations) and how it ends.
 * Each step moves a shared Scene forward on a CallBuilder.
 *
 * Host conventions the steps follow (they are what makes the seed's counts come out):
 * - a new channel announces itself with exactly one event: `start` (inbound trunk channel), `dial`
 *   (a channel that originates: the caller, a consultation) or `new_callerid` (a channel that was
 *   dialed, or a Local channel made to link two bridges). A queue dials each member from the
 *   waiting caller's channel (app_queue's DialBegin) and names the Local channel it made for the
 *   member in the dial's Dest fields;
 * - the host sends one summary `hangup` per linkedid group that ended on its own: the main call's,
 *   plus one for each consultation that never joined the main call. Legs merged or linked into the
 *   main call are reported by its hangup.
 *
 * Records: a linkedid group that nothing joins to the main call (a consultation that did not become
 * a transfer, a second line, a callback) is a call of its own, so it is its own expected record.
 */
import type { CallType } from '@callpipe/events';
import type { Bridge, CallBuilder, Channel, Party } from './callBuilder.js';
import { deterministicUuid } from './random.js';
import type { Direction } from './types.js';

/** This call's extensions e1..e3 and outside mobiles m1, m2 (resolved per call from the options). */
export type Target = 'e1' | 'e2' | 'e3' | 'm1' | 'm2';

/** Phones rung at once (a ring group); a busy attempt is rejected at once instead of ringing out. */
export interface Attempt {
  to: readonly Target[];
  busy?: boolean;
}
export type AttemptSpec = readonly Target[] | Attempt;

export const busy = (...to: Target[]): Attempt => ({ to, busy: true });

export type Outcome = 'answered' | 'missed' | 'busy' | 'noanswer';

export const CALL_TYPE: Record<Direction, CallType> = { in: 0, out: 1, internal: 2 };

/** How a record other than the main call ended (its ids and events the builder files under it). */
export interface SideRecord {
  record: number;
  direction: Direction;
  outcome: Outcome;
  answeredAt?: number;
  talkEndedAt?: number;
  finalParticipants: string[];
}

export interface Scene {
  readonly call: CallBuilder;
  /** The record this scene's call is filed under (0: the pattern's main call). */
  readonly record: number;
  /** When this scene's call began (epoch ms). */
  readonly startMs: number;
  /** The other records of the pattern, shared by every scene of it. */
  readonly side: SideRecord[];
  /** The outside party of an inbound or outbound call. */
  readonly customer: Party;
  resolve(target: Target): Party;
  readonly direction: Direction;
  readonly callType: CallType;
  /** The channel the summary hangup is filed under: the call's first channel. */
  origin?: Channel;
  /** The side that stays through transfers: the customer's channel, or the caller's for internal calls. */
  far?: Channel;
  /** The channel currently talking with `far` (the transferer when a transfer starts). */
  near?: Channel;
  /** Talk bridges still up; two after an attended transfer completed by linking. */
  active: Bridge[];
  /** Extensions of the main call group, first-seen order (the hangup's Extensions). */
  extensions: string[];
  /** Internal calls: the extension called first (the hangup's Phone). */
  peer?: string;
  outcome: Outcome;
  answeredAt?: number;
  talkEndedAt?: number;
  finalParticipants: string[];
}

export type Step = (scene: Scene) => void;

/** Emulated durations in ms: [min, max]. */
const TIME = {
  setup: [40, 250],
  ringAnswered: [3_000, 12_000],
  ringOut: [15_000, 25_000],
  busy: [300, 1_500],
  talk: [15_000, 120_000],
  consultTalk: [6_000, 25_000],
  queueWait: [4_000, 15_000],
  hangupDelay: [60, 400],
} as const satisfies Record<string, readonly [number, number]>;

const wait = (call: CallBuilder, [min, max]: readonly [number, number]): void => call.wait(min, max);

const normalize = (spec: AttemptSpec): Attempt => ('to' in spec ? (spec as Attempt) : { to: spec as readonly Target[] });

function noteExtension(s: Scene, party: Party): void {
  if (party.kind === 'ext' && !s.extensions.includes(party.number)) s.extensions.push(party.number);
}

interface DialLeg {
  callType: CallType;
  /** Phone of the dial; default: the outside number rung, else the customer (or the callee, internal). */
  phone?: string;
  /** Extensions of the dial; default: the extensions rung, else the last extension involved. */
  extensions?: readonly string[];
  /** Part of the main call group (its extensions go into the summary hangup). */
  main: boolean;
  /** Dial through a new Local channel (a queue's member), not from `from` itself. */
  viaLocal?: boolean;
  /** Trunk of the dial; default the line when an outside number is involved. */
  trunk?: string;
}

/** One dial from `from` and one new channel per phone rung. Returns the ringing channels. */
function ring(s: Scene, from: Channel, parties: readonly Party[], leg: DialLeg): Channel[] {
  const { call } = s;
  const exts = parties.filter((p) => p.kind === 'ext').map((p) => p.number);
  const outside = parties.find((p) => p.kind === 'external');
  const phone = leg.phone ?? outside?.number
    ?? (s.direction === 'internal' ? (exts[0] ?? from.party.number) : s.customer.number);
  // A dial to an outside number on a manager's behalf (follow-me, forwarding) names that manager.
  const owner = s.extensions.at(-1) ?? s.resolve('e1').number;
  const extensions = leg.extensions ?? (exts.length > 0 ? exts : [owner]);
  const trunk = leg.trunk ?? (outside !== undefined || s.direction !== 'internal' ? call.ctx.trunk : '');
  // A queue member is reached through a Local channel the queue makes on the caller's behalf: the
  // caller's channel dials it (app_queue's DialBegin), its other half dials the phone.
  const local = leg.viaLocal ? call.channel({ kind: 'local', number: parties[0]?.number ?? '' }, from, 1, 'from-queue') : undefined;
  call.dial(from, {
    phone, callType: leg.callType, extensions, trunk, callerIdNum: from.party.number, ...(local ? { dest: local } : {}),
  });
  const dialer = local ?? from;
  if (leg.main) for (const e of extensions) noteExtension(s, { kind: 'ext', number: e });
  return parties.map((p) => {
    wait(call, TIME.setup);
    const ch = call.channel(p, dialer);
    call.newCallerid(ch, from.party);
    return ch;
  });
}

/** Two channels start talking in a new basic bridge (the answering side enters first). */
function talkBridge(s: Scene, answering: Channel, waiting: Channel): Bridge {
  const bridge = s.call.createBridge('basic');
  s.call.enter(answering, bridge);
  s.call.enter(waiting, bridge);
  s.answeredAt ??= s.call.clock;
  s.outcome = 'answered';
  return bridge;
}

function connected(s: Scene, near: Channel, bridge: Bridge): void {
  s.near = near;
  s.active = [bridge];
  s.finalParticipants = [s.far?.party.number ?? '', near.party.number];
}

interface RingOptions {
  /** The caller waits in a holding bridge: after the first dial (music while ringing) or before it (a queue). */
  hold?: 'whileRinging' | 'queue';
  viaLocal?: boolean;
}

/** Rings the attempts in turn from `from`; the `answer` target (rung in the last attempt) picks up. */
function ringUntilAnswered(
  s: Scene, from: Channel, attempts: readonly AttemptSpec[], answer: Target | undefined, opts: RingOptions = {},
): void {
  const { call } = s;
  let holding: Bridge | undefined;
  if (opts.hold === 'queue') {
    holding = call.createBridge('holding');
    call.enter(from, holding);
    wait(call, TIME.queueWait);
  }
  let rung = new Map<Target, Channel>();
  let lastBusy = false;
  attempts.forEach((spec, i) => {
    const attempt = normalize(spec);
    const channels = ring(s, from, attempt.to.map((t) => s.resolve(t)), {
      callType: s.callType, main: true, viaLocal: opts.viaLocal ?? false,
    });
    rung = new Map(attempt.to.map((t, k) => [t, channels[k]!]));
    if (opts.hold === 'whileRinging' && !holding) {
      holding = call.createBridge('holding');
      call.enter(from, holding);
    }
    const answeredHere = i === attempts.length - 1 && answer !== undefined;
    wait(call, attempt.busy ? TIME.busy : answeredHere ? TIME.ringAnswered : TIME.ringOut);
    lastBusy = attempt.busy ?? false;
  });
  if (holding) {
    call.leave(from, holding);
    call.destroy(holding);
  }
  if (answer === undefined) {
    s.outcome = lastBusy ? 'busy' : s.direction === 'out' ? 'noanswer' : 'missed';
    return;
  }
  const answering = rung.get(answer);
  if (!answering) throw new Error(`pattern error: ${answer} is not rung by the last attempt`);
  connected(s, answering, talkBridge(s, answering, from));
}

function requireTalking(s: Scene): { far: Channel; near: Channel; bridge: Bridge } {
  const [bridge] = s.active;
  if (!s.far || !s.near || !bridge || s.active.length !== 1) {
    throw new Error('pattern error: a transfer needs exactly one answered conversation');
  }
  return { far: s.far, near: s.near, bridge };
}

// ---- openings ----

/** A call from outside: `start`, then the attempts are rung in turn from the caller's trunk channel. */
export function inbound(o: { attempts: readonly AttemptSpec[]; answer?: Target; hold?: boolean }): Step {
  return (s) => {
    const caller = s.call.channel(s.customer);
    s.origin = caller;
    s.far = caller;
    s.call.start(caller, s.customer.number);
    ringUntilAnswered(s, caller, o.attempts, o.answer, o.hold ? { hold: 'whileRinging' } : {});
  };
}

/** A manager calls the customer: `dial` from the extension, `new_callerid` of the trunk channel. */
export function outbound(o: { from: Target; answered?: boolean; busy?: boolean }): Step {
  return (s) => {
    const { call } = s;
    const agent = call.channel(s.resolve(o.from));
    s.origin = agent;
    noteExtension(s, agent.party);
    const remote = ring(s, agent, [s.customer], {
      callType: 1, phone: s.customer.number, extensions: [agent.party.number], main: true,
    })[0]!;
    s.far = remote;
    s.near = agent;
    if (o.busy || !o.answered) {
      wait(call, o.busy ? TIME.busy : TIME.ringOut);
      s.outcome = o.busy ? 'busy' : 'noanswer';
      return;
    }
    wait(call, TIME.ringAnswered);
    connected(s, agent, talkBridge(s, remote, agent));
  };
}

/** Extension to extension (CallType 2, no outside number). */
export function internal(o: { from: Target; attempts: readonly AttemptSpec[]; answer?: Target }): Step {
  return (s) => {
    const caller = s.call.channel(s.resolve(o.from));
    s.origin = caller;
    s.far = caller;
    noteExtension(s, caller.party);
    const first = o.attempts[0];
    s.peer = first ? s.resolve(normalize(first).to[0] ?? 'e2').number : undefined;
    ringUntilAnswered(s, caller, o.attempts, o.answer);
  };
}

/**
 * Call pickup: while the call rings unanswered, another phone picks it up. The picking phone's
 * channel originates (a `dial`) and is bridged with the caller.
 */
export function pickup(o: { by: Target }): Step {
  return (s) => {
    const { call } = s;
    const caller = s.far;
    if (!caller || s.outcome === 'answered') throw new Error('pattern error: pickup needs a ringing call');
    const party = s.resolve(o.by);
    const picker = call.channel(party);
    call.dial(picker, {
      phone: s.customer.number, callType: s.callType, extensions: [party.number],
      trunk: call.ctx.trunk, callerIdNum: party.number,
    });
    noteExtension(s, party);
    wait(call, TIME.setup);
    connected(s, picker, talkBridge(s, picker, caller));
  };
}

// ---- during the call ----

/**
 * Blind transfer: the transferee is redirected into the dialplan, so the old bridge is left and
 * destroyed and a new dial from the transferee's channel makes new channels and a new bridge.
 * `viaQueue`: the transferee waits in a queue's holding bridge whose members are dialed via Local channels.
 */
export function blindTransfer(o: { attempts: readonly AttemptSpec[]; answer: Target; viaQueue?: boolean }): Step {
  return (s) => {
    const { far, near, bridge } = requireTalking(s);
    wait(s.call, TIME.talk);
    s.call.leave(far, bridge);
    s.call.leave(near, bridge);
    s.call.destroy(bridge);
    s.active = [];
    ringUntilAnswered(s, far, o.attempts, o.answer, o.viaQueue ? { hold: 'queue', viaLocal: true } : {});
  };
}

/** The transferer calls someone from the same phone: a new call with its own linkedid. */
function startConsultation(s: Scene, transferer: Channel, to: Target): { own: Channel; target: Channel; toExt: boolean } {
  const party = s.resolve(to);
  const toExt = party.kind === 'ext';
  const own = s.call.channel(transferer.party);
  const target = ring(s, own, [party], {
    callType: toExt ? 2 : 1, phone: party.number, trunk: toExt ? '' : s.call.ctx.trunk,
    extensions: toExt ? [party.number] : [transferer.party.number], main: false,
  })[0]!;
  return { own, target, toExt };
}

/**
 * Attended transfer: the transferer consults `to` in a second bridge, then completes. `merge`
 * moves the consulted party into the caller's bridge and drops the consultation bridge; `link`
 * keeps both bridges and joins them with a pair of Local channels (two linkedid groups meet).
 */
export function attendedTransfer(o: { to: Target; mode: 'merge' | 'link'; connectedLineUpdate?: boolean }): Step {
  return (s) => {
    const { call } = s;
    const { far, near, bridge } = requireTalking(s);
    wait(call, TIME.talk);
    const { own, target } = startConsultation(s, near, o.to);
    wait(call, TIME.ringAnswered);
    const consultBridge = talkBridge(s, target, own);
    wait(call, TIME.consultTalk);
    if (o.mode === 'merge') {
      call.leave(near, bridge);
      call.leave(own, consultBridge);
      call.leave(target, consultBridge);
      call.enter(target, bridge);
      call.destroy(consultBridge);
      s.active = [bridge];
    } else {
      const local = { kind: 'local', number: target.party.number } as const;
      const half1 = call.channel(local, near, 1);
      const half2 = call.channel(local, own, 2);
      call.newCallerid(half1, far.party);
      call.newCallerid(half2, target.party);
      call.enter(half1, bridge);
      call.leave(near, bridge);
      call.enter(half2, consultBridge);
      call.leave(own, consultBridge);
      s.active = [bridge, consultBridge];
    }
    s.near = target;
    noteExtension(s, target.party);
    s.finalParticipants = [far.party.number, target.party.number];
    // The caller's phone is told who it is now talking to.
    if (o.connectedLineUpdate) call.newCallerid(far, target.party);
  };
}

/**
 * A consultation that does not become a transfer: nobody answers, or the transferer talks and
 * hangs up. It is its own call group, so the host reports it with its own hangup, and nothing joins
 * it to the call it was made from (no id: the phone's second line is a new channel with a new
 * linkedid); so it is a record of its own — to Asterisk, the same as calling anyone else while the
 * customer waits on hold (see separateCall).
 */
export function consult(o: { to: Target; answered: boolean }): Step {
  return (s) => {
    const { call } = s;
    const { near } = requireTalking(s);
    wait(call, TIME.talk);
    const record = call.openRecord();
    const startedAt = call.clock;
    const { own, target, toExt } = startConsultation(s, near, o.to);
    let receivedAt = startedAt;
    if (o.answered) {
      wait(call, TIME.ringAnswered);
      const consultBridge = call.createBridge('basic');
      call.enter(target, consultBridge);
      call.enter(own, consultBridge);
      receivedAt = call.clock;
      wait(call, TIME.consultTalk);
      call.teardown(consultBridge);
    } else {
      wait(call, TIME.ringOut);
    }
    const talkEndedAt = call.clock;
    wait(call, TIME.hangupDelay);
    call.hangup(own, {
      callStatus: o.answered ? 2 : 0, callType: toExt ? 2 : 1, phone: target.party.number,
      extensions: toExt ? [near.party.number, target.party.number] : [near.party.number],
      trunk: toExt ? '' : call.ctx.trunk, startMs: startedAt, receivedMs: receivedAt, externalInitiated: false,
    });
    s.side.push({
      record, direction: toExt ? 'internal' : 'out', outcome: o.answered ? 'answered' : toExt ? 'missed' : 'noanswer',
      ...(o.answered ? { answeredAt: receivedAt, talkEndedAt } : {}),
      finalParticipants: o.answered ? [near.party.number, target.party.number] : [],
    });
    call.useRecord(s.record);
  };
}

/**
 * A second, separate call made during this one (or after it): its own channels, its own linkedid,
 * its own summary hangup, and no id shared with this call. `customer` is the other call's outside
 * party (default: this call's customer); `gapMs` a fixed pause before it starts (default: a talk).
 * A manager who puts the customer on hold and calls someone else from a second line makes such a
 * call; so does a customer who calls back.
 */
export function separateCall(o: { customer?: Target; direction: Direction; gapMs?: number }, steps: readonly Step[]): Step {
  return (s) => {
    const { call } = s;
    if (o.gapMs !== undefined) call.wait(o.gapMs, o.gapMs);
    else wait(call, TIME.talk);
    const record = call.openRecord();
    const other: Scene = {
      call, record, startMs: call.clock, side: s.side, customer: o.customer ? s.resolve(o.customer) : s.customer, resolve: s.resolve,
      direction: o.direction, callType: CALL_TYPE[o.direction], active: [], extensions: [], outcome: 'missed', finalParticipants: [],
    };
    for (const step of steps) step(other);
    s.side.push({
      record, direction: other.direction, outcome: other.outcome,
      ...(other.answeredAt === undefined ? {} : { answeredAt: other.answeredAt }),
      ...(other.talkEndedAt === undefined ? {} : { talkEndedAt: other.talkEndedAt }),
      finalParticipants: other.outcome === 'answered' ? other.finalParticipants : [],
    });
    call.useRecord(s.record);
  };
}

// ---- the end ----

/**
 * The last conversation ends: every talk bridge is torn down, then the summary hangup.
 * `requeue`: the customer is put back into a queue's holding bridge and hangs up there.
 */
export function finish(o: { requeue?: boolean } = {}): Step {
  return (s) => {
    const { call } = s;
    if (s.active.length > 0) {
      wait(call, TIME.talk);
      s.talkEndedAt = call.clock;
      for (const bridge of s.active) call.teardown(bridge);
      s.active = [];
    }
    if (o.requeue && s.far) {
      const holding = call.createBridge('holding');
      call.enter(s.far, holding);
      wait(call, TIME.queueWait);
      call.leave(s.far, holding);
      call.destroy(holding);
    }
    if (!s.origin) throw new Error('pattern error: finish() before the call opened');
    wait(call, TIME.hangupDelay);
    const answered = s.outcome === 'answered';
    call.hangup(s.origin, {
      callStatus: answered ? 2 : s.outcome === 'busy' ? 1 : 0,
      callType: s.callType,
      phone: s.direction === 'internal' ? (s.peer ?? '') : s.customer.number,
      extensions: s.extensions,
      trunk: s.direction === 'internal' ? '' : call.ctx.trunk,
      startMs: s.startMs,
      receivedMs: s.answeredAt ?? s.startMs,
      externalInitiated: s.direction === 'in',
      ...(answered ? { recordUrl: `https://records.example.com/${deterministicUuid('record', ...call.ctx.idSalt, ...(s.record > 0 ? [s.record] : []))}.mp3` } : {}),
    });
  };
}
