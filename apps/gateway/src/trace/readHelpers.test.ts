import { describe, expect, it } from 'vitest';
import { logBodyToJob } from '../logRoutes/toJob.js';
import { maskSecrets, maskText } from './mask.js';
import { parseDay, parseSearch } from './searchParams.js';

describe('masking trace data', () => {
  it('masks secret keys at any depth, bot tokens and keys in URLs, and leaves the rest', () => {
    expect(maskSecrets({ body: { Token: '375293332255', Phone: '375296254070' }, headers: { 'X-API-KEY': 'abcdefghijkl' }, list: [{ api_key: 'k' }] }))
      .toEqual({ body: { Token: '3752…(12)', Phone: '375296254070' }, headers: { 'X-API-KEY': 'abcd…(12)' }, list: [{ api_key: '…' }] });
    expect(maskText('https://api.telegram.org/bot123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345/sendMessage')).toBe('https://api.telegram.org/bot<redacted>/sendMessage');
    expect(maskText('https://x.retailcrm.ru/api/v5/telephony/call/event?apiKey=Sup3rS3cretKey&site=a')).toBe('https://x.retailcrm.ru/api/v5/telephony/call/event?apiKey=Sup3…(14)&site=a');
  });
});

describe('search parameters', () => {
  it('takes a day as a whole UTC day, a phone in any format, and defaults', () => {
    const p = parseSearch({ enterprise: '0367', phone: '+375 (29) 625-40-70', from: '2025-10-03', to: '2025-10-03' });
    expect(p).toEqual({ ok: true, value: { enterprise: '0367', phone: '375296254070', from: new Date('2025-10-03T00:00:00Z'), to: new Date('2025-10-04T00:00:00Z'), direction: undefined, status: undefined, limit: 50, offset: 0 } });
  });

  it.each([
    [{}, 'enterprise'], [{ enterprise: '03 67' }, 'enterprise'], [{ enterprise: '0367', limit: '501' }, 'limit'],
    [{ enterprise: '0367', status: 'lost' }, 'status'], [{ enterprise: '0367', phone: '+7' }, 'phone'],
    [{ enterprise: '0367', from: '2025-10-04', to: '2025-10-03T00:00:00Z' }, 'to'],
  ])('refuses %j naming %s', (q, field) => {
    expect(parseSearch(q)).toMatchObject({ ok: false, field });
  });

  it('reads the day of /enterprise/{n}/events, today by default', () => {
    expect(parseDay('0367', {}, new Date('2026-11-21T23:59:00Z'))).toMatchObject({ ok: true, value: { date: '2026-11-21', from: new Date('2026-11-21T00:00:00Z'), to: new Date('2026-11-22T00:00:00Z') } });
    expect(parseDay('0367', { date: '2026-02-30' }, new Date())).toMatchObject({ ok: false, field: 'date' });
  });
});

describe('old /log bodies as call-log jobs', () => {
  const now = new Date('2026-11-21T10:00:00Z');

  it('files a bridge-only event under its bridge id and keeps the host\'s fields', () => {
    const job = logBodyToJob('event', { enterprise_number: '0367', unique_id: 'b-1', event_type: 'bridge_create', event_data: { BridgeType: 'basic' } }, now, 1);
    expect(job).toMatchObject({ kind: 'event', eventType: 'bridge_create', body: { BridgeUniqueid: 'b-1', BridgeType: 'basic' }, receivedAt: now.toISOString(), source: 'log-api' });
  });

  it('uses the body\'s timestamp and leaves out what the caller did not send', () => {
    const job = logBodyToJob('sql', { enterprise_number: '0367', unique_id: '1.1', query: 'SELECT 1', timestamp: '2025-10-03T11:29:15Z' }, now, 1);
    expect(job).toEqual({ kind: 'sql', enterprise: '0367', callRef: '1.1', at: '2025-10-03T11:29:15.000Z', query: 'SELECT 1' });
  });
});
