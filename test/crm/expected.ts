/**
 * What the sandbox RetailCRM must have received for a call, from the call's final facts and the
 * adapter's own pure mapping: the popups (once per manager, before the hangup), one hangup last,
 * one history row with the right type, result, manager and host duration; nothing for internal calls.
 */
import type { CallFacts } from '@callpipe/call-facts';
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

/**
 * The problems with what the CRM got for one call ([] when it is right). `inOrder`: events were applied
 * in the host's order, so every rung manager must be in the popups and each popup must name the final
 * customer and direction. Shuffled, a transfer's dial applied before the call's first dial makes a
 * record that cannot tell the customer yet: its popup's number is what the record said then.
 */
export function problemsOf(f: CallFacts, got: Received, users: ReadonlyMap<string, number>, inOrder: boolean): string[] {
  const p: string[] = [];
  const id = `${f.callRef} (${f.direction}, ${f.outcome})`;
  if (!isExternal(f)) {
    if (got.events.length || got.uploads.length) p.push(`${id}: internal call got ${got.events.length} events and ${got.uploads.length} history rows`);
    return p;
  }
  const popups = got.events.filter((e) => e.event.type !== 'hangup');
  const hangups = got.events.filter((e) => e.event.type === 'hangup');
  const expectedPopup = popupEvent(f, popupManagers(f), users);
  const expectedHangup = hangupEvent(f, users);
  if (isSkip(expectedPopup)) {
    if (popups.length) p.push(`${id}: popups sent though the mapping skips them (${expectedPopup.skip})`);
  } else {
    if (popups.length === 0) p.push(`${id}: no popup`);
    const codes = popups.flatMap((e) => e.event.codes ?? []);
    const twice = codes.filter((c, i) => codes.indexOf(c) !== i);
    if (twice.length) p.push(`${id}: managers shown twice: ${twice.join(', ')}`);
    const allowed = new Set(expectedPopup.codes ?? []);
    const stray = codes.filter((c) => !allowed.has(c));
    if (stray.length) p.push(`${id}: popup for managers never rung: ${stray.join(', ')}`);
    if (inOrder && [...allowed].some((c) => !codes.includes(c))) p.push(`${id}: rung managers without a popup: ${[...allowed].filter((c) => !codes.includes(c)).join(', ')}`);
    if (inOrder) for (const e of popups) if (e.event.type !== expectedPopup.type || e.event.phone !== expectedPopup.phone) p.push(`${id}: popup ${JSON.stringify(e.event)} is not ${expectedPopup.type} ${expectedPopup.phone}`);
  }
  if (isSkip(expectedHangup)) {
    if (hangups.length) p.push(`${id}: hangup sent though the mapping skips it`);
  } else {
    if (hangups.length !== 1) p.push(`${id}: ${hangups.length} hangups`);
    else {
      if (got.events.at(-1)!.event.type !== 'hangup') p.push(`${id}: the hangup is not the last event: ${got.events.map((e) => e.event.type).join(' ')}`);
      if (hangups[0]!.event.hangupStatus !== expectedHangup.hangupStatus) p.push(`${id}: hangupStatus ${hangups[0]!.event.hangupStatus} not ${expectedHangup.hangupStatus}`);
    }
  }
  const row = uploadCall(f, users);
  if (isSkip(row)) {
    if (got.uploads.length) p.push(`${id}: history sent though the mapping skips it (${row.skip})`);
  } else if (got.uploads.length !== 1) {
    p.push(`${id}: ${got.uploads.length} history rows`);
  } else if (JSON.stringify(got.uploads[0]!.call) !== JSON.stringify(row)) {
    p.push(`${id}: history row ${JSON.stringify(got.uploads[0]!.call)} is not ${JSON.stringify(row)}`);
  }
  return p;
}
