import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, eventKey, requiredFields, validateEvent, type EventType } from './index.js';

const T = '375293332255';
/** A minimal valid body per event type, as hosts send it (numbers as strings included). */
const valid: Record<EventType, Record<string, unknown>> = {
  start: { Token: T, UniqueId: '1759230684.16', Phone: '375296254070', CallType: '0', Trunk: '0001363' },
  dial: { Token: T, UniqueId: '1759230684.16', Phone: '375296254070', CallType: 0, Extensions: ['150', '151'] },
  bridge: { Token: T, UniqueId: '1759230684.16', BridgeUniqueid: '6d2c3a1e-0b7e-4c11-9b1a-1f2e3d4c5b6a', CallerIDNum: '375296254070', ConnectedLineNum: '150' },
  hangup: { Token: T, UniqueId: '1759230684.16', CallStatus: '2', CallType: 0, Phone: '152', Extensions: ['150'], ExternalInitiated: true, StartTime: '', DateReceived: '2025-09-30 11:15:02', EndTime: '2025-09-30 11:15:12', Trunk: '' },
  bridge_create: { Token: T, BridgeUniqueid: '6d2c3a1e-0b7e-4c11-9b1a-1f2e3d4c5b6a', BridgeType: 'basic', BridgeTechnology: 'simple_bridge' },
  bridge_leave: { Token: T, UniqueId: '1759230684.16', BridgeUniqueid: '6d2c3a1e-0b7e-4c11-9b1a-1f2e3d4c5b6a', BridgeNumChannels: '1' },
  bridge_destroy: { Token: T, BridgeUniqueid: '6d2c3a1e-0b7e-4c11-9b1a-1f2e3d4c5b6a' },
  new_callerid: { Token: T, UniqueId: '1759230684.17', CallerIDNum: '150', ConnectedLineNum: '375296254070' },
};

const clone = (o: object) => structuredClone(o) as Record<string, unknown>;

describe.each(EVENT_TYPES)('schema of %s', (type) => {
  it('accepts the body hosts send, keeping unknown fields', () => {
    const body = { ...clone(valid[type]), HostScriptVersion: '3928', Context: 'from-out' };
    const r = validateEvent(type, body);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.event.HostScriptVersion).toBe('3928');
      expect(r.event.Context).toBe('from-out');
    }
  });

  it.each(requiredFields(type).map((f) => [f]))('rejects a body without %s, naming it', (field) => {
    const body = clone(valid[type]);
    delete body[field];
    const r = validateEvent(type, body);
    expect(r).toEqual({ ok: false, error: { field, message: `${field} is required` } });
  });

  it('rejects a non-object body', () => {
    expect(validateEvent(type, ['x'])).toMatchObject({ ok: false, error: { field: '(body)' } });
    expect(validateEvent(type, 'x')).toMatchObject({ ok: false, error: { field: '(body)' } });
  });

  it('rejects an empty Token', () => {
    expect(validateEvent(type, { ...clone(valid[type]), Token: '' })).toMatchObject({ ok: false, error: { field: 'Token' } });
  });
});

describe('coercion and field errors', () => {
  it('coerces numbers sent as strings and a single extension to a list', () => {
    const r = validateEvent('hangup', { ...clone(valid.hangup), CallStatus: '2', CallType: '1', Extensions: '150', ExternalInitiated: 'true' });
    expect(r.ok && r.event).toMatchObject({ CallStatus: 2, CallType: 1, Extensions: ['150'], ExternalInitiated: true });
  });

  it.each([
    ['dial', { CallType: '7' }, 'CallType', 'CallType must be one of 0, 1, 2'],
    ['dial', { CallType: 'in' }, 'CallType', undefined],
    ['hangup', { CallStatus: 'answered' }, 'CallStatus', undefined],
    ['dial', { Extensions: [{ ext: 150 }] }, 'Extensions.0', undefined],
    ['bridge', { BridgeUniqueid: { id: 42 } }, 'BridgeUniqueid', undefined],
    ['bridge_leave', { BridgeNumChannels: 'two' }, 'BridgeNumChannels', undefined],
    ['start', { UniqueId: 'x'.repeat(129) }, 'UniqueId', undefined],
  ] as const)('%s with %j is rejected naming %s', (type, patch, field, message) => {
    const r = validateEvent(type, { ...clone(valid[type]), ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.field).toBe(field);
      if (message) expect(r.error.message).toBe(message);
    }
  });
});

describe('eventKey', () => {
  it('is the same for the same content in another key order and differs by type or content', () => {
    const a = eventKey('dial', { Token: T, UniqueId: '1.1', Phone: '1', CallType: 0 });
    const b = eventKey('dial', { CallType: 0, Phone: '1', UniqueId: '1.1', Token: T });
    expect(a).toBe(b);
    expect(eventKey('start', { Token: T, UniqueId: '1.1', Phone: '1', CallType: 0 })).not.toBe(a);
    expect(eventKey('dial', { Token: T, UniqueId: '1.2', Phone: '1', CallType: 0 })).not.toBe(a);
  });
});
