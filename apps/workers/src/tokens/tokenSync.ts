/**
 * Keeps the Redis token set (read by ingest) equal to the active enterprises in PostgreSQL:
 * at start, on every enterprises NOTIFY (debounced), periodically in case a notify was lost, and
 * within seconds when the set vanished from Redis (keys lost): ingest answers 503 until it is back.
 */
import type { Kysely } from 'kysely';
import { NOTIFY, PgListener, type Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import type { TokenStore } from '@callpipe/queues';

export async function loadActiveTokens(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('enterprises').select(['name2', 'number'])
    .where('active', '=', true).where('name2', 'is not', null).where('name2', '<>', '').execute();
  return new Map(rows.map((r) => [r.name2!, r.number]));
}

/** Where connection errors go (the workers' outage log); anything else is logged here. */
export type ReportDependencyError = (err: unknown) => boolean;

export class TokenSync {
  private listener: PgListener;
  private timer: NodeJS.Timeout | null = null;
  private lostCheck: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly store: TokenStore,
    databaseUrl: string,
    private readonly log: Logger,
    private readonly refreshMs: number,
    private readonly report: ReportDependencyError = () => false,
    /** How often to check that the published set is still in Redis. */
    private readonly lostCheckMs = 2000,
  ) {
    this.listener = new PgListener({
      connectionString: databaseUrl,
      channels: [NOTIFY.enterprisesChanged],
      onNotify: () => this.soon(),
      onReconnect: () => this.soon(),
      onError: (err) => { if (!report(err)) log.warn({ err }, 'enterprises listener error; reconnecting'); },
    });
  }

  async start(): Promise<void> {
    await this.sync();
    await this.listener.start();
    this.timer = setInterval(() => void this.sync(), this.refreshMs);
    this.timer.unref();
    this.lostCheck = setInterval(() => void this.republishIfLost(), this.lostCheckMs);
    this.lostCheck.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.lostCheck) clearInterval(this.lostCheck);
    if (this.debounce) clearTimeout(this.debounce);
    await this.listener.stop();
  }

  async sync(): Promise<boolean> {
    try {
      const tokens = await loadActiveTokens(this.db);
      await this.store.replace(tokens);
      this.log.debug({ tokens: tokens.size }, 'token set written to redis');
      return true;
    } catch (err) {
      if (!this.report(err)) this.log.warn({ err }, 'token set sync failed; will retry');
      return false;
    }
  }

  private checking = false;

  private async republishIfLost(): Promise<void> {
    // One check at a time: while Redis is away a check waits for it instead of piling up.
    if (this.checking) return;
    this.checking = true;
    try {
      if (!(await this.store.isPublished()) && await this.sync()) {
        this.log.info('token set was missing from redis (keys lost?); published it again');
      }
    } catch {
      // Redis away: its outage is logged by the connection.
    } finally {
      this.checking = false;
    }
  }

  private soon(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.sync();
    }, 100);
  }
}
