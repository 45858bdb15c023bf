import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producers, queues, type CallLogJob } from '@callpipe/queues';
import { postJson } from '../../../../test/support/httpClient.js';
import { serveGateway } from '../../../../test/support/gatewayServer.js';
import { testConfig } from '../../../../test/support/testEnv.js';

/** The old Call Logger's documented example bodies, one per route. */
const examples = {
  event: { enterprise_number: '0367', unique_id: '1759490248.0', event_type: 'dial', event_data: { Phone: '375296254070', Extensions: ['150'], Trunk: '0001363', CallType: 1 } },
  http: { enterprise_number: '0367', unique_id: '1759490248.0', method: 'GET', url: 'http://localhost:8020/metadata/0367/manager/150', response_data: { full_name: 'Dzhunovy Dzhulai', internal_phone: '150' }, status_code: 200, duration_ms: 245.3 },
  sql: { enterprise_number: '0367', unique_id: '1759490248.0', query: "SELECT raw_data->'ConnectedLineNum' FROM call_events WHERE raw_data->>'Token' = $1", parameters: ['375293332255'], result: { internal_num: '150' }, duration_ms: 12.5 },
  telegram: { enterprise_number: '0367', unique_id: '1759490248.0', chat_id: 7055556176, message_type: 'dial', message_id: 13165, message_text: '📞 Outgoing call...', action: 'send' },
  integration: { enterprise_number: '0367', unique_id: '1759490248.0', integration: 'retailcrm', request_type: 'call_event', status: 'success', status_code: 200, request_data: { phone: '375296254070' }, response_data: { success: true }, duration_ms: 180 },
} as const;

describe('old Call Logger routes: POST /log/*', () => {
  const config = testConfig();
  let base: string;
  let close: () => Promise<void>;
  let redis: Redis;
  let producers: Producers;

  beforeAll(async () => {
    ({ base, close } = await serveGateway(config, false));
    redis = new Redis(config.redisUrl);
    producers = new Producers(redis, config.queuePrefix);
  });
  afterAll(async () => {
    await close();
    await producers.queue('callLog').obliterate({ force: true });
    await producers.close();
    redis.disconnect();
  });

  async function queued(): Promise<CallLogJob[]> {
    return (await producers.queue('callLog').getWaiting(0, 100)).map((j) => j.data);
  }

  it.each(Object.keys(examples) as (keyof typeof examples)[])('takes the documented %s body with 202 and queues one call-log entry for the call', async (route) => {
    const before = (await queued()).length;
    const reply = await postJson(base, `/log/${route}`, examples[route]);
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({ status: 'queued', kind: route, enterprise_number: '0367' });
    const jobs = await queued();
    expect(jobs).toHaveLength(before + 1);
    const job = jobs.find((j) => j.kind === route)!;
    expect(queues.callLog.validate(job)).toBe(true);
    if (job.kind === 'event') expect(job).toMatchObject({ eventType: 'dial', body: { UniqueId: '1759490248.0', Phone: '375296254070' }, source: 'log-api' });
    else expect(job).toMatchObject({ enterprise: '0367', callRef: '1759490248.0' });
    if (job.kind === 'telegram') expect(job).toMatchObject({ chatId: '7055556176', action: 'send', messageId: 13165, text: '📞 Outgoing call...' });
    if (job.kind === 'integration') expect(job).toMatchObject({ integration: 'retailcrm', operation: 'call_event', status: 'success', httpStatus: 200, durationMs: 180 });
  });

  it.each([
    ['http', { ...examples.http, url: undefined }, 'url'],
    ['telegram', { ...examples.telegram, chat_id: undefined }, 'chat_id'],
    ['sql', { ...examples.sql, duration_ms: 'slow' }, 'duration_ms'],
    ['event', { ...examples.event, event_data: 'dial' }, 'event_data'],
    ['integration', { ...examples.integration, enterprise_number: '03 67' }, 'enterprise_number'],
    ['event', { ...examples.event, timestamp: 'yesterday' }, 'timestamp'],
    ['sql', { ...examples.sql, query: 'SELECT 1\u0000' }, 'query'],
    ['integration', { ...examples.integration, response_data: { text: 'x\uD800' } }, 'response_data.text'],
  ] as const)('refuses a bad /log/%s body with 400 naming %s and queues nothing', async (route, body, field) => {
    const before = (await queued()).length;
    const reply = await postJson(base, `/log/${route}`, body);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ status: 'error', error: 'invalid_body', field });
    expect(await queued()).toHaveLength(before);
  });

  it('refuses malformed JSON with 400', async () => {
    const reply = await postJson(base, '/log/sql', '{"enterprise_number":');
    expect(reply).toMatchObject({ status: 400, body: { error: 'malformed_json', field: '(body)' } });
  });

  it('files an event logged for one recipient apart from the same event logged for another', async () => {
    await postJson(base, '/log/event', { ...examples.event, unique_id: '1759490300.1', chat_id: 1 });
    await postJson(base, '/log/event', { ...examples.event, unique_id: '1759490300.1', chat_id: 2 });
    const keys = (await queued()).filter((j) => j.kind === 'event' && j.body.UniqueId === '1759490300.1').map((j) => (j.kind === 'event' ? j.eventKey : ''));
    expect(new Set(keys).size).toBe(2);
  });
});
