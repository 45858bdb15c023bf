/**
 * A dedicated connection that LISTENs on PostgreSQL channels and reconnects on its own.
 * After every (re)connect it calls onReconnect, because notifications sent while it was away are lost.
 */
import pg from 'pg';

export interface ListenerOptions {
  connectionString: string;
  channels: readonly string[];
  onNotify: (channel: string, payload: string) => void;
  onReconnect: () => void;
  onError: (err: Error) => void;
  /** The connection is gone (a reconnect follows): notifications are missed until onReconnect. */
  onDisconnect?: () => void;
  retryMs?: number;
}

export class PgListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly o: ListenerOptions) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.o.connectionString, application_name: 'listener' });
    client.on('notification', (n) => this.o.onNotify(n.channel, n.payload ?? ''));
    client.on('error', (err) => {
      this.o.onError(err);
      this.scheduleReconnect();
    });
    client.on('end', () => this.scheduleReconnect());
    try {
      await client.connect();
      for (const ch of this.o.channels) await client.query(`LISTEN "${ch.replace(/"/g, '""')}"`);
      this.client = client;
      this.o.onReconnect();
    } catch (err) {
      this.o.onError(err as Error);
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    this.client = null;
    this.o.onDisconnect?.();
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, this.o.retryMs ?? 1000);
    this.retry.unref();
  }
}
