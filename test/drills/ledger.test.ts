import { describe, expect, it } from 'vitest';
import { ACK_BODY, eventKey, validateEvent } from '@callpipe/events';
import { Ledger } from '../../bench/drills/ledger.js';

const ack = JSON.stringify(ACK_BODY);
const dial = { Token: 'good', UniqueId: '1.1', Phone: '375291234567', CallType: '0', Extensions: ['150'] };

describe('drill ledger', () => {
  it('keys an acked event as the ingest does (after the schema coerces it)', () => {
    const ledger = new Ledger(new Set(['good']));
    ledger.record('/dial', JSON.stringify(dial), { status: 200, text: ack });
    const coerced = structuredClone(dial);
    expect(validateEvent('dial', coerced).ok).toBe(true);
    expect([...ledger.ackedKeys]).toEqual([eventKey('dial', coerced)]);
    expect(ledger.acked).toBe(1);
  });

  it('counts a 403 to a valid event with an active token, not one to an unknown token', () => {
    const ledger = new Ledger(new Set(['good']));
    const forbidden = JSON.stringify({ status: 'error', error: 'unknown_token' });
    ledger.record('/dial', JSON.stringify(dial), { status: 403, text: forbidden });
    ledger.record('/dial', JSON.stringify({ ...dial, Token: 'stranger' }), { status: 403, text: forbidden });
    expect(ledger.validAnswered403).toBe(1);
  });

  it('counts 5xx, 500 and answers that are not JSON; no answer is not a status', () => {
    const ledger = new Ledger(new Set(['good']));
    ledger.record('/dial', '{', { status: 500, text: '<!DOCTYPE html><pre>RangeError: Maximum call stack size exceeded' });
    ledger.record('/dial', '{}', { status: 503, text: '{"status":"error"}' });
    ledger.record('/dial', '{}', { status: 0, text: '', error: 'ECONNREFUSED' });
    expect([ledger.posted, ledger.answers5xx, ledger.answers500, ledger.nonJsonAnswers, ledger.acked]).toEqual([3, 2, 1, 1, 0]);
    expect(ledger.statusSummary()).toBe('500×1, 503×1, ECONNREFUSED×1');
  });
});
