/**
 * Bookkeeping for one emulated call: allocates UniqueIds and BridgeUniqueids, keeps the clock,
 * tracks bridge membership and linkedids, and writes the event bodies a host would post.
 * Scenario steps (steps.ts) drive it; it knows nothing about transfers. Every channel, bridge and
 * event is filed under the record that is current when it is made (a pattern may hold calls that
 * nothing joins, each its own record).
 */
import type { AsteriskEvent, CallType, EventType } from '@callpipe/events';
import { formatHostTime } from './hostTime.js';
import { isExternalNumber } from './numbers.js';
import { deterministicUuid, type Rng } from './random.js';
import type { GeneratedEvent } from './types.js';

export type PartyKind = 'ext' | 'external' | 'local';

/** Who is behind a channel: an extension, an outside number, or a PBX-internal Local channel. */
export interface Party {
  kind: PartyKind;
  number: string;
}

export interface Channel {
  readonly uid: string;
  /** The expected record the channel belongs to. */
  readonly record: number;
  readonly party: Party;
  readonly name: string;
  /** The oldest UniqueId of the channel's call group; changes when bridged with an older group. */
  linkedid: string;
}

export interface Bridge {
  readonly id: string;
  readonly record: number;
  readonly kind: 'basic' | 'holding';
  /** Current members, in the order they entered. */
  readonly members: Channel[];
}

export interface BuilderContext {
  token: string;
  rng: Rng;
  startMs: number;
  /** First channel counter (the part of a UniqueId after the dot). */
  uidCounterBase: number;
  /** Parts that make this call's bridge ids unique (seed, call index...). */
  idSalt: readonly (string | number)[];
  includeLinkedid: boolean;
  trunk: string;
  utcOffsetMinutes: number;
}

export interface DialFields {
  phone: string;
  callType: CallType;
  extensions: readonly string[];
  trunk: string;
  callerIdNum: string;
  /**
   * The channel the dial created, when it is one channel that is not the phone rung (a queue's Local
   * member channel): sent as AMI DialBegin's DestUniqueid/DestChannel.
   */
  dest?: Channel;
}

export interface HangupFields {
  callStatus: number;
  callType: CallType;
  phone: string;
  extensions: readonly string[];
  trunk: string;
  startMs: number;
  /** When the call was picked up; the start time for calls nobody answered. */
  receivedMs: number;
  externalInitiated: boolean;
  recordUrl?: string;
}

/** UniqueIds order by creation: seconds first, then the host's counter. */
export function compareUniqueIds(a: string, b: string): number {
  const [as = '0', ac = '0'] = a.split('.');
  const [bs = '0', bc = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(ac) - Number(bc);
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

export class CallBuilder {
  readonly events: GeneratedEvent[] = [];
  readonly channels: Channel[] = [];
  readonly bridges: Bridge[] = [];
  /** Distinct outside numbers put in Phone fields, in order of appearance. */
  readonly externalPhones: string[] = [];
  /** The same, per record. */
  readonly recordPhones: string[][] = [[]];
  private now: number;
  private counter: number;
  private current = 0;
  /** The pause before the next event was already taken (a new record starts at its first event). */
  private gapTaken = false;

  constructor(readonly ctx: BuilderContext) {
    this.now = ctx.startMs;
    this.counter = ctx.uidCounterBase;
  }

  /** Current emulated time (epoch ms). */
  get clock(): number {
    return this.now;
  }

  get rng(): Rng {
    return this.ctx.rng;
  }

  /** The record new channels, bridges and events are filed under. */
  get record(): number {
    return this.current;
  }

  /**
   * Starts a new record (a call nothing joins to the others) and makes it current. The pause before
   * its first event is taken now, so `clock` is then the moment the new call begins.
   */
  openRecord(): number {
    if (this.events.length > 0 && !this.gapTaken) this.wait(3, 25);
    this.gapTaken = this.events.length > 0;
    this.recordPhones.push([]);
    this.current = this.recordPhones.length - 1;
    return this.current;
  }

  useRecord(record: number): void {
    if (record < 0 || record >= this.recordPhones.length) throw new RangeError(`no record ${record}`);
    this.current = record;
  }

  /** Lets time pass: ringing, talking, music on hold. */
  wait(minMs: number, maxMs: number): void {
    this.now += this.ctx.rng.int(minMs, maxMs);
  }

  hostTime(epochMs: number): string {
    return formatHostTime(epochMs, this.ctx.utcOffsetMinutes);
  }

  /** A new channel; a dialed channel inherits the linkedid of the channel that dialed it. */
  channel(party: Party, dialedBy?: Channel, localLeg?: 1 | 2, localContext = 'transfer'): Channel {
    const counter = this.counter;
    this.counter += 1;
    const uid = `${Math.floor(this.now / 1000)}.${counter}`;
    let name: string;
    // The two halves of a Local pair share one name and differ in ;1 / ;2.
    if (party.kind === 'local') name = `Local/${party.number}@${localContext}-${hex8(localLeg === 2 ? counter - 1 : counter)};${localLeg ?? 1}`;
    else if (party.kind === 'external') name = `SIP/${this.ctx.trunk}-${hex8(counter)}`;
    else name = `SIP/${party.number}-${hex8(counter)}`;
    const ch: Channel = { uid, record: this.current, party, name, linkedid: dialedBy?.linkedid ?? uid };
    this.channels.push(ch);
    return ch;
  }

  start(ch: Channel, phone: string): void {
    this.notePhone(phone);
    this.emit('start', () => ({
      UniqueId: ch.uid, ...this.linked(ch), Channel: ch.name, Phone: phone, CallerIDNum: phone,
      CallType: 0, Trunk: this.ctx.trunk, StartTime: this.hostTime(this.now),
    }));
  }

  dial(ch: Channel, f: DialFields): void {
    this.notePhone(f.phone);
    this.emit('dial', () => ({
      UniqueId: ch.uid, ...this.linked(ch), Channel: ch.name, Phone: f.phone, CallType: f.callType,
      Extensions: [...f.extensions], Trunk: f.trunk, CallerIDNum: f.callerIdNum,
      ...(f.dest ? { DestUniqueid: f.dest.uid, DestChannel: f.dest.name } : {}),
    }));
  }

  /** A channel announcing its caller id: a newly dialed channel, or a connected-line update. */
  newCallerid(ch: Channel, connected?: Party): void {
    this.emit('new_callerid', () => ({
      UniqueId: ch.uid, ...this.linked(ch), Channel: ch.name,
      CallerIDNum: ch.party.number, CallerIDName: nameOf(ch.party),
      ConnectedLineNum: connected?.number ?? '', ConnectedLineName: connected ? nameOf(connected) : '',
    }));
  }

  createBridge(kind: Bridge['kind']): Bridge {
    const bridge: Bridge = { id: deterministicUuid('bridge', ...this.ctx.idSalt, this.bridges.length), record: this.current, kind, members: [] };
    this.bridges.push(bridge);
    this.emit('bridge_create', () => ({ BridgeUniqueid: bridge.id, ...bridgeFields(bridge) }));
    return bridge;
  }

  enter(ch: Channel, bridge: Bridge): void {
    bridge.members.push(ch);
    // Bridged channels take the oldest linkedid among them (Asterisk's rule).
    const oldest = bridge.members.map((m) => m.linkedid).sort(compareUniqueIds)[0] ?? ch.linkedid;
    for (const m of bridge.members) m.linkedid = oldest;
    this.emit('bridge', () => this.memberBody(ch, bridge));
  }

  leave(ch: Channel, bridge: Bridge): void {
    const at = bridge.members.indexOf(ch);
    if (at < 0) throw new Error(`channel ${ch.uid} is not in bridge ${bridge.id}`);
    bridge.members.splice(at, 1);
    this.emit('bridge_leave', () => this.memberBody(ch, bridge));
  }

  destroy(bridge: Bridge): void {
    if (bridge.members.length > 0) throw new Error(`bridge ${bridge.id} destroyed with members`);
    this.emit('bridge_destroy', () => ({ BridgeUniqueid: bridge.id, ...bridgeFields(bridge) }));
  }

  /** Everyone leaves in the order they entered, then the bridge goes. */
  teardown(bridge: Bridge): void {
    for (const m of [...bridge.members]) this.leave(m, bridge);
    this.destroy(bridge);
  }

  hangup(ch: Channel, f: HangupFields): void {
    this.notePhone(f.phone);
    this.emit('hangup', () => ({
      UniqueId: ch.uid, ...this.linked(ch), CallStatus: f.callStatus, CallType: f.callType, Phone: f.phone,
      Extensions: [...f.extensions], Trunk: f.trunk, StartTime: this.hostTime(f.startMs),
      DateReceived: this.hostTime(f.receivedMs), EndTime: this.hostTime(this.now),
      ExternalInitiated: f.externalInitiated,
      ...(f.recordUrl === undefined ? {} : { RecordUrl: f.recordUrl }),
    }));
  }

  private notePhone(phone: string): void {
    if (!isExternalNumber(phone)) return;
    if (!this.externalPhones.includes(phone)) this.externalPhones.push(phone);
    const own = this.recordPhones[this.current]!;
    if (!own.includes(phone)) own.push(phone);
  }

  private linked(ch: Channel): { Linkedid?: string } {
    return this.ctx.includeLinkedid ? { Linkedid: ch.linkedid } : {};
  }

  private memberBody(ch: Channel, bridge: Bridge): Record<string, unknown> {
    const other = bridge.members.find((m) => m !== ch);
    return {
      UniqueId: ch.uid, ...this.linked(ch), BridgeUniqueid: bridge.id, Channel: ch.name,
      CallerIDNum: ch.party.number, ConnectedLineNum: other?.party.number ?? '', ...bridgeFields(bridge),
    };
  }

  /** Fields are built after the clock moves, so times inside a body match the event's offset. */
  private emit(type: EventType, fields: () => Record<string, unknown>): void {
    // The host needs a few milliseconds between consecutive events.
    if (this.events.length > 0 && !this.gapTaken) this.wait(3, 25);
    this.gapTaken = false;
    const body: AsteriskEvent = { Token: this.ctx.token, ...fields() };
    this.events.push({ type, body, offsetMs: this.now - this.ctx.startMs, record: this.current });
  }
}

function nameOf(p: Party): string {
  if (p.kind === 'ext') return `Manager ${p.number}`;
  if (p.kind === 'local') return '';
  return p.number;
}

function bridgeFields(b: Bridge): Record<string, unknown> {
  return b.kind === 'holding'
    ? { BridgeType: 'holding', BridgeTechnology: 'holding_bridge', BridgeNumChannels: b.members.length }
    : { BridgeType: 'basic', BridgeTechnology: 'simple_bridge', BridgeNumChannels: b.members.length };
}
