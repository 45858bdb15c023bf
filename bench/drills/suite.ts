/**
 * What all drills of one run share, made at the start and removed at the end (also on failure): a
 * private PostgreSQL database (migrated, one enterprise per drill), a TCP proxy in front of
 * PostgreSQL that every process connects through, and a private Redis with AOF.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, type Database } from '@callpipe/db';
import { migrateToLatest } from '@callpipe/migrations';
import { TcpProxy } from '../../test/support/tcpProxy.js';
import { freePort } from './ports.js';
import { PrivateRedis } from '../support/privateRedis.js';

export interface SuiteEnterprise {
  number: string;
  token: string;
}

export class Suite {
  readonly dbName = `callpipe_drills_${process.pid}_${randomBytes(3).toString('hex')}`;
  readonly pgProxy: TcpProxy;
  redis: PrivateRedis | null = null;
  db: Kysely<Database> | null = null;
  private created = false;

  constructor(readonly root: string, private readonly adminUrl: string) {
    const admin = new URL(adminUrl);
    this.pgProxy = new TcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
  }

  /** The database, reached directly (the harness's own checks). */
  get directUrl(): string {
    const u = new URL(this.adminUrl);
    u.pathname = `/${this.dbName}`;
    return u.toString();
  }

  /** The database through the fault proxy (what every process is given). */
  get proxiedUrl(): string {
    const u = new URL(this.directUrl);
    u.hostname = '127.0.0.1';
    u.port = String(this.pgProxy.port);
    return u.toString();
  }

  async open(): Promise<void> {
    this.created = true;
    await migrateToLatest(this.directUrl);
    this.db = createDb(createPool({ connectionString: this.directUrl, max: 4, applicationName: 'drills' }));
    await this.pgProxy.start();
    this.redis = new PrivateRedis(await freePort(), { appendfsync: 'always', dirPrefix: 'callpipe-drill-redis-', stopSignal: 'SIGKILL' });
    await this.redis.start();
  }

  /** An active enterprise of the drill's own; its token is in the token set the workers publish. */
  async addEnterprise(number: string, botToken: string | null = null): Promise<SuiteEnterprise> {
    const e = { number, token: `drill-${number}-token` };
    await this.db!.insertInto('enterprises').values({ number: e.number, name: `drill ${number}`, name2: e.token, bot_token: botToken, active: true }).execute();
    return e;
  }

  /** Every row of call_events for the enterprise, counted by event key. */
  async storedKeys(enterprise: string): Promise<Map<string, number>> {
    const rows = await sql<{ event_key: string | null; n: number }>`
      SELECT event_key, count(*)::int AS n FROM call_events WHERE enterprise_number = ${enterprise} GROUP BY event_key`.execute(this.db!);
    return new Map(rows.rows.map((r) => [r.event_key ?? '', r.n]));
  }

  /** Rows beyond the first with the same event type and body: the same event stored twice. */
  async contentDuplicates(enterprise: string): Promise<number> {
    const r = await sql<{ dup: number }>`
      SELECT (count(*) - count(DISTINCT (event_type, raw_data)))::int AS dup FROM call_events WHERE enterprise_number = ${enterprise}`.execute(this.db!);
    return r.rows[0]?.dup ?? 0;
  }

  async close(): Promise<void> {
    await this.pgProxy.close().catch(() => undefined);
    await this.redis?.destroy().catch(() => undefined);
    await this.db?.destroy().catch(() => undefined);
    if (!this.created) return;
    const admin = createDb(createPool({ connectionString: this.adminUrl, max: 1, applicationName: 'drills-admin' }));
    try {
      await sql.raw(`DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`).execute(admin);
    } finally {
      await admin.destroy();
    }
  }
}
