import { describe, expect, it } from 'vitest';
import { eventKey } from '@callpipe/events';
import { newEventJob } from '@callpipe/queues';
import { callEventOf } from './callEvent.js';

const envelope = { token: '375293332255', uniqueId: '1759230684.16' };

describe('a dispatched call event as the host event it carries', () => {
  it('fills Token, UniqueId and RecordUrl from the envelope where raw lacks them, and coerces like ingest', () => {
    const r = callEventOf({ ...envelope, event_type: 'hangup', record_url: 'https://rec/1', raw: { Phone: '375296254070', CallType: '1', CallStatus: '2' } });
    expect(r).toEqual({ ok: true, event: { Phone: '375296254070', CallType: 1, CallStatus: 2, Token: envelope.token, UniqueId: envelope.uniqueId, RecordUrl: 'https://rec/1' } });
  });

  it('keeps a bridge_create without a UniqueId (it has only a BridgeUniqueid), so its content key matches the host\'s own post', () => {
    const raw = { Token: envelope.token, BridgeUniqueid: 'b-1' };
    const r = callEventOf({ ...envelope, event_type: 'bridge_create', raw });
    expect(r).toEqual({ ok: true, event: raw });
    if (!r.ok) return;
    const job = newEventJob('bridge_create', r.event, '0367', 'live', new Date('2026-01-01T00:00:00Z'));
    expect(job).toMatchObject({ eventType: 'bridge_create', enterprise: '0367', body: raw, source: 'live', receivedAt: '2026-01-01T00:00:00.000Z', eventKey: eventKey('bridge_create', raw) });
  });

  it('refuses raw fields that contradict the envelope, and raw that fails the event schema, naming the field', () => {
    expect(callEventOf({ ...envelope, event_type: 'dial', raw: { Token: 'other' } })).toMatchObject({ ok: false, error: { field: 'raw.Token' } });
    expect(callEventOf({ ...envelope, event_type: 'dial', raw: { UniqueId: 'x' } })).toMatchObject({ ok: false, error: { field: 'raw.UniqueId' } });
    expect(callEventOf({ ...envelope, event_type: 'dial', raw: { Phone: '1', CallType: 9 } })).toMatchObject({ ok: false, error: { field: 'raw.CallType' } });
  });


});
