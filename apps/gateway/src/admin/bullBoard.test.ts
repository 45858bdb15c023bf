import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEventJob, Producers, queues } from '@callpipe/queues';
import { deleteKeys, serveGateway } from '../../../../test/support/gatewayServer.js';
import { testConfig } from '../../../../test/support/testEnv.js';
import { showable } from './bullBoard.js';

const HOST_TOKEN = '375293332255-host-token';
const login = { authorization: `Basic ${Buffer.from('ops:s3cret-pass').toString('base64')}` };

describe('Bull Board shows no secret in full', () => {
  const config = testConfig({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 's3cret-pass' });
  let base: string;
  let close: () => Promise<void>;
  let redis: Redis;
  let jobId: string;

  beforeAll(async () => {
    redis = new Redis(config.redisUrl);
    const producers = new Producers(redis, config.queuePrefix);
    const body = { Token: HOST_TOKEN, UniqueId: '1759230684.16', Phone: '375296254070', CallType: 0 as const };
    const job = await producers.add('events', 'dial', newEventJob('dial', body, '0367', 'live'));
    jobId = job.id!;
    await producers.close();
    ({ base, close } = await serveGateway(config, false));
  });

  afterAll(async () => {
    await close();
    await deleteKeys(redis, `${config.queuePrefix}*`);
    redis.disconnect();
  });

  it('masks the host Token in the job list and in the job view', async () => {
    const list = await fetch(`${base}/admin/queues/api/queues?activeQueue=${queues.events.name}&status=waiting&page=1&jobsPerPage=10`, { headers: login });
    const listText = await list.text();
    expect(list.status).toBe(200);
    expect(listText).toContain('"UniqueId":"1759230684.16"');
    expect(listText).toContain('"Token":"3752…(23)"');
    expect(listText).not.toContain(HOST_TOKEN);
    const one = await fetch(`${base}/admin/queues/api/queues/${queues.events.name}/${jobId}`, { headers: login });
    const oneText = await one.text();
    expect(one.status).toBe(200);
    expect(oneText).toContain('"Token":"3752…(23)"');
    expect(oneText).not.toContain(HOST_TOKEN);
  });

  it('masks secrets at any depth and shows nothing of data too deep to walk', () => {
    expect(showable({ settings: { api_key: 'NsX6ZE1W6C8vOkkcNm2NBNLzwVJxLNvl', domain: 'x' } }))
      .toEqual({ settings: { api_key: 'NsX6…(32)', domain: 'x' } });
    let deep: unknown = { token: 'secret-secret' };
    for (let i = 0; i < 100_000; i += 1) deep = { d: deep };
    expect(showable(deep)).toBe('[job data not shown: nested too deep to mask]');
  });
});
