import { describe, expect, it } from 'vitest';
import { eventKey } from '@callpipe/events';
import { eventJobSchema, newEventJob, nextSeq } from '../index.js';
import { Ajv } from 'ajv';

describe('newEventJob', () => {
  it('makes a job that passes the events payload schema, keyed by content', () => {
    const body = { Token: 't', UniqueId: '1.1', Phone: '375296254070', CallType: 0 as const };
    const job = newEventJob('dial', body, '0367', 'recovery', new Date('2026-01-01T00:00:00Z'));
    expect(job).toMatchObject({ eventType: 'dial', enterprise: '0367', source: 'recovery', receivedAt: '2026-01-01T00:00:00.000Z', eventKey: eventKey('dial', body) });
    expect(new Ajv().compile(eventJobSchema)(job)).toBe(true);
  });

  it('numbers events strictly increasing within the process', () => {
    const seqs = Array.from({ length: 1000 }, () => nextSeq());
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
  });
});
