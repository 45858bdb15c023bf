/**
 * Keeps the Redis token set (read by ingest) equal to the active enterprises in PostgreSQL:
 * at start, on every enterprises NOTIFY (debounced), and periodically in case a notify was lost.
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

export class TokenSync {
  private listener: PgListener;
  private timer: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly store: TokenStore,
    databaseUrl: string,
    private readonly log: Logger,
    private readonly refreshMs: number,
  ) {
    this.listener = new PgListener({
      connectionString: databaseUrl,
      channels: [NOTIFY.enterprisesChanged],
      onNotify: () => this.soon(),
      onReconnect: () => this.soon(),
      onError: (err) => log.warn({ err }, 'enterprises listener error; reconnecting'),
    });
  }

  async start(): Promise<void> {
    await this.sync();
    await this.listener.start();
    this.timer = setInterval(() => void this.sync(), this.refreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    await this.listener.stop();
  }

  async sync(): Promise<void> {
    try {
      const tokens = await loadActiveTokens(this.db);
      await this.store.replace(tokens);
      this.log.debug({ tokens: tokens.size }, 'token set written to redis');
    } catch (err) {
      this.log.warn({ err }, 'token set sync failed; will retry');
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
