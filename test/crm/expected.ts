/**
 * What the sandbox RetailCRM must have received for a call, from the call's final facts and the
 * adapter's own pure mapping, whatever order the events arrived in: the popups (once per manager,
 * before the hangup, each with the call's own number, type and line, together naming every manager
 * rung), one hangup last, one history row with the right type, result, manager and host duration;
 * nothing for internal calls. And per scenario: nothing under any other callExternalId than the calls'
 * own, except a consultation a transfer joined to its call (its own popup, taken down), and no popup
 * left on any manager's screen.
 */
import { callFacts, DEFAULT_TIME_ZONE, type CallFacts } from '@callpipe/call-facts';
import { field, numberField, type CorrelationEvent } from '@callpipe/correlation';
import { hangupEvent, popupEvent, type CallEvent } from '../../libs/crm/src/retailcrm/callEvent.js';
import { isSkip } from '../../libs/crm/src/retailcrm/callType.js';
import { uploadCall, type UploadCall } from '../../libs/crm/src/retailcrm/callsUpload.js';
import { isExternal, popupManagers } from '../../apps/workers/src/crm/plan.js';
import type { RetailCrmSandbox } from '../../apps/sandbox/src/crm/retailcrm/index.js';

export interface Received {
  events: { seq: number; atMs: number; event: CallEvent }[];
  uploads: { seq: number; atMs: number; call: UploadCall }[];
}

/** Every request the account took (status 200) about this call, in arrival order. */
export function receivedFor(sandbox: RetailCrmSandbox, account: string, callRef: string): Received {
  const all = sandbox.state.requestLog({ account }).filter((r) => r.status === 200);
  const events = all.filter((r) => r.path === 'telephony/call/event')
    .map((r) => ({ seq: r.seq, atMs: r.atMs, event: r.params.event as CallEvent }))
    .filter((e) => e.event.callExternalId === callRef);
  const uploads = all.filter((r) => r.path === 'telephony/calls/upload')
    .flatMap((r) => (r.params.calls as UploadCall[]).map((call) => ({ seq: r.seq, atMs: r.atMs, call })))
    .filter((u) => u.call.externalId === callRef);
  return { events, uploads };
}

const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].sort();
const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
/** What a popup says about the call, codes aside. */
const face = (e: CallEvent) => JSON.stringify({ phone: e.phone, type: e.type, callExternalId: e.callExternalId, externalPhone: e.externalPhone ?? null });

/** Popups of one callExternalId against the expected one: each with its face, codes within, none twice, together all. */
function popupProblems(id: string, popups: readonly CallEvent[], expected: CallEvent): string[] {
  const p: string[] = [];
  if (popups.length === 0) p.push(`${id}: no popup`);
  for (const e of popups) if (face(e) !== face(expected)) p.push(`${id}: popup ${face(e)} is not ${face(expected)}`);
  const codes = popups.flatMap((e) => e.codes ?? []);
  const twice = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (twice.length) p.push(`${id}: managers shown twice: ${twice.join(', ')}`);
  if (popups.some((e) => e.userIds !== undefined)) p.push(`${id}: popup by userIds though every code is known`);
  if (!same([...new Set(codes)], expected.codes)) p.push(`${id}: popups named ${sorted([...new Set(codes)]).join(',')}, not every manager rung: ${sorted(expected.codes).join(',')}`);
  return p;
}

/** The problems with what the CRM got for one call ([] when it is right), in any arrival order. */
export function problemsOf(f: CallFacts, got: Received, users: ReadonlyMap<string, number>): string[] {
  const p: string[] = [];
  const id = `${f.callRef} (${f.direction}, ${f.outcome})`;
  if (!isExternal(f)) {
    if (got.events.length || got.uploads.length) p.push(`${id}: internal call got ${got.events.length} events and ${got.uploads.length} history rows`);
    return p;
  }
  const popups = got.events.filter((e) => e.event.type !== 'hangup').map((e) => e.event);
  const hangups = got.events.filter((e) => e.event.type === 'hangup').map((e) => e.event);
  const expectedPopup = popupEvent(f, popupManagers(f), users);
  const expectedHangup = hangupEvent(f, users);
  if (isSkip(expectedPopup)) {
    if (popups.length) p.push(`${id}: popups sent though the mapping skips them (${expectedPopup.skip})`);
  } else {
    p.push(...popupProblems(id, popups, expectedPopup));
  }
  if (isSkip(expectedHangup)) {
    if (hangups.length) p.push(`${id}: hangup sent though the mapping skips it`);
  } else if (hangups.length !== 1) {
    p.push(`${id}: ${hangups.length} hangups`);
  } else {
    const h = hangups[0]!;
    if (got.events.at(-1)!.event.type !== 'hangup') p.push(`${id}: the hangup is not the last event: ${got.events.map((e) => e.event.type).join(' ')}`);
    if (face(h) !== face(expectedHangup) || h.hangupStatus !== expectedHangup.hangupStatus || !same(h.codes, expectedHangup.codes)) {
      p.push(`${id}: hangup ${JSON.stringify(h)} is not ${JSON.stringify(expectedHangup)}`);
    }
  }
  const row = uploadCall(f, users);
  if (isSkip(row)) {
    if (got.uploads.length) p.push(`${id}: history sent though the mapping skips it (${row.skip})`);
  } else if (got.uploads.length !== 1) {
    p.push(`${id}: ${got.uploads.length} history rows`);
  } else {
    if (JSON.stringify(got.uploads[0]!.call) !== JSON.stringify(row)) p.push(`${id}: history row ${JSON.stringify(got.uploads[0]!.call)} is not ${JSON.stringify(row)}`);
    const hangupSeq = got.events.find((e) => e.event.type === 'hangup')?.seq;
    if (hangupSeq !== undefined && got.uploads[0]!.seq < hangupSeq) p.push(`${id}: history went before the hangup`);
  }
  return p;
}

/**
 * A manager's consultation inside a finished call: its own dial (CallType 1 or 2 from an extension)
 * from a channel other than the call's first. Alone it is a call of its own (a second line), so it may
 * have had a popup before the transfer joined it; these are the facts that popup was made from.
 */
export function consultations(events: readonly CorrelationEvent[], callRef: string): CallFacts[] {
  return events
    .filter((e) => e.type === 'dial' && [1, 2].includes(numberField(e.body, 'CallType') ?? -1)
      && /^\d{1,6}$/.test(field(e.body, 'CallerIDNum') ?? '') && field(e.body, 'UniqueId') !== callRef)
    .map((e) => callFacts([e], { timeZone: DEFAULT_TIME_ZONE })!)
    .filter((f) => f.rooted && isExternal(f));
}

/** Events under a joined consultation's callRef: none, or its own popup then one hangup taking it down. */
function consultationProblems(c: CallFacts, events: readonly CallEvent[], users: ReadonlyMap<string, number>): string[] {
  if (events.length === 0) return [];
  const id = `consultation ${c.callRef}`;
  const expectedPopup = popupEvent(c, popupManagers(c), users);
  if (isSkip(expectedPopup)) return [`${id}: got ${events.length} events though its mapping skips them`];
  const popups = events.filter((e) => e.type !== 'hangup');
  const hangups = events.filter((e) => e.type === 'hangup');
  const p = popupProblems(id, popups, expectedPopup);
  if (hangups.length !== 1 || events.at(-1)!.type !== 'hangup') p.push(`${id}: its popup not taken down by one hangup last: ${events.map((e) => e.type).join(' ')}`);
  else if (hangups[0]!.phone !== expectedPopup.phone) p.push(`${id}: hangup for ${hangups[0]!.phone}, popup for ${expectedPopup.phone}`);
  return p;
}

export interface ScenarioCalls {
  account: string;
  users: ReadonlyMap<string, number>;
  calls: readonly { pattern: string; records: readonly CallFacts[]; call: { records: readonly { events: readonly CorrelationEvent[] }[] } }[];
}

/** call/event requests under a callExternalId that is none of the scenario's records' callRef, by that id. */
export function eventsUnderOtherIds(sandbox: RetailCrmSandbox, s: ScenarioCalls): Map<string, CallEvent[]> {
  const own = new Set(s.calls.flatMap((c) => c.records.map((f) => f.callRef)));
  const out = new Map<string, CallEvent[]>();
  for (const r of sandbox.state.requestLog({ account: s.account, path: 'telephony/call/event' }).filter((x) => x.status === 200)) {
    const e = r.params.event as CallEvent;
    if (!own.has(e.callExternalId)) out.set(e.callExternalId, [...(out.get(e.callExternalId) ?? []), e]);
  }
  return out;
}

/** Every record of every call exactly (problemsOf), nothing under a stranger callExternalId, no popup left open. */
export function scenarioProblems(sandbox: RetailCrmSandbox, s: ScenarioCalls): string[] {
  const p: string[] = [];
  const joined = new Map<string, CallFacts>();
  for (const c of s.calls) {
    c.records.forEach((f, i) => {
      p.push(...problemsOf(f, receivedFor(sandbox, s.account, f.callRef), s.users).map((x) => `${c.pattern}: ${x}`));
      for (const k of consultations(c.call.records[i]?.events ?? [], f.callRef)) joined.set(k.callRef, k);
    });
  }
  for (const [ref, events] of eventsUnderOtherIds(sandbox, s)) {
    const k = joined.get(ref);
    if (!k) p.push(`events under ${ref}, which is no call's first channel: ${events.map((e) => `${e.type} ${e.phone}`).join('; ')}`);
    else p.push(...consultationProblems(k, events, s.users));
  }
  const account = sandbox.state.account(s.account);
  for (const [user, popups] of account?.popups ?? []) {
    for (const popup of popups.values()) p.push(`popup left open on user ${user}'s screen: ${popup.callExternalId} ${popup.type} ${popup.phone}`);
  }
  return p;
}
