/** The shapes the emulator hands out: generated calls, what each call should become, and the catalogue. */
import type { AsteriskEvent, EventType } from '@callpipe/events';

export type Direction = 'in' | 'out' | 'internal';

export interface GeneratedEvent {
  type: EventType;
  body: AsteriskEvent;
  /** Milliseconds after the call's first event, as the host would space them. */
  offsetMs: number;
  /** Which of the generated call's expected records the event belongs to (an index into `records`). */
  record: number;
}

/** What the pipeline should make of one call record: every id that belongs to it and its summary. */
export interface ExpectedOutcome {
  uniqueIds: string[];
  bridgeUniqueIds: string[];
  externalPhones: string[];
  direction: Direction;
  answered: boolean;
  durationSec: number;
  talkSec: number;
  /** ISO timestamps (UTC) of the first and the last event. */
  startedAt: string;
  endedAt: string;
  /** Extensions (and external phones) connected at the end of the call; empty when never answered. */
  finalParticipants: string[];
  eventCount: number;
  bridgeCount: number;
}

export interface GeneratedCall {
  patternId: string;
  events: GeneratedEvent[];
  /** The pattern's main call (records[0]): the customer's call the pattern is named after. */
  expected: ExpectedOutcome;
  /**
   * Every record the events must make, the main call first. More than one when the pattern holds
   * calls that nothing joins: a consultation that never became a transfer, a second line, a callback.
   */
  records: ExpectedOutcome[];
}

export interface GenerateOptions {
  token: string;
  seed: number;
  /** When the call's first event happens. */
  startTime: Date;
  /** Position of this call in a run; with the seed it decides the call's ids. Default 0. */
  callIndex?: number;
  /** First channel counter of this call (the part after the dot); default derived from seed and callIndex. */
  uniqueIdBase?: number;
  /** Add Linkedid to the events that carry a UniqueId (hosts' scripts may or may not forward it). */
  includeLinkedid?: boolean;
  /** At least three distinct extensions; default 150, 151, 152. */
  extensions?: readonly string[];
  /** External numbers: [0] the customer, [1] and [2] mobiles used by follow-me and transfers; missing ones are generated. */
  phones?: readonly string[];
  /** Line id put in Trunk; default "0001363". */
  trunk?: string;
  /** Offset of the PBX's clock from UTC for StartTime/EndTime; default +180 (Minsk). */
  utcOffsetMinutes?: number;
}

export interface PatternStats {
  events: number;
  uniqueIds: number;
  bridges: number;
  /** Distinct external numbers in Phone fields. */
  phones: number;
}

/** 1-x simple, 2-x transfers, 3-x internal (the seed's families); 4-x two separate calls that touch. */
export type PatternFamily = 'simple' | 'transfer' | 'internal' | 'separate';

export interface PatternInfo {
  id: string;
  family: PatternFamily;
  direction: Direction;
  description: string;
  /** What the generated events of this pattern count to. */
  stats: PatternStats;
  /** True for the patterns whose statistics the old system's docs list (and which must match them). */
  fromSeedTable: boolean;
}
