/** A private database for the benchmark: created and migrated at start, dropped at the end. */
import { createDb, createPool } from '@callpipe/db';
import { migrateToLatest } from '@callpipe/migrations';

export const BENCH_ENTERPRISE = { number: '0367', name: 'june', token: 'bench-375293332255' };

export async function createBenchDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = new URL(baseUrl);
  const name = `callpipe_bench_gateway_${process.pid}`;
  url.pathname = `/${name}`;
  await migrateToLatest(url.toString());
  const db = createDb(createPool({ connectionString: url.toString(), max: 1, applicationName: 'bench-gateway' }));
  await db.insertInto('enterprises').values({
    number: BENCH_ENTERPRISE.number, name: BENCH_ENTERPRISE.name, name2: BENCH_ENTERPRISE.token, active: true,
    integrations_config: JSON.stringify({
      retailcrm: { enabled: true, domain: 'https://example.retailcrm.ru', api_key: 'bench-api-key-0000000000', user_extensions: { 19: '150', 18: '151' } },
      ms: { enabled: false, api_token: 'bench-ms-token' },
      uon: { enabled: true, api_key: 'bench-uon-key' },
      smart: { primary: 'retailcrm' },
    }),
  }).execute();
  await db.destroy();
  return {
    url: url.toString(),
    async drop() {
      const admin = new URL(baseUrl);
      admin.pathname = '/postgres';
      const pool = createPool({ connectionString: admin.toString(), max: 1, applicationName: 'bench-gateway' });
      await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await pool.end();
    },
  };
}
