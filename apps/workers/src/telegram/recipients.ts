/** Who gets an enterprise's call messages: active telegram_users of its bot. */
import type { Kysely } from 'kysely';
import { NOTIFY, PgListener, type Database, type RecipientRole } from '@callpipe/db';

export interface Recipient { chatId: string; role: RecipientRole }

export async function recipientsOf(db: Kysely<Database>, enterprise: string): Promise<Recipient[]> {
  const rows = await db.selectFrom('telegram_users as u')
    .innerJoin('enterprises as e', 'e.bot_token', 'u.bot_token')
    .select(['u.tg_id', 'u.role'])
    .where('e.number', '=', enterprise).where('u.active', '=', true)
    .execute();
  const seen = new Map<string, RecipientRole>();
  for (const r of rows) if (!seen.has(String(r.tg_id))) seen.set(String(r.tg_id), r.role);
  return [...seen].map(([chatId, role]) => ({ chatId, role }));
}

/**
 * How long a workers process reuses an enterprise's recipients when it queues syncs. While its
 * listener hears telegram_users and enterprises changes (migration 0011), every change drops the lists
 * at once and RECIPIENTS_CACHE_LIVE_MS (60 s) only bounds what a lost notification could leave; without
 * it (not started, or reconnecting) RECIPIENTS_CACHE_MS (2 s): a chat linked that recently may miss a
 * sync of a call already running, one unlinked may be named once more (it answers 403 and is marked
 * inactive again). One read an applied event was a third of the telegram phase's statements (issue 12);
 * the 2 s reuse still left ~4 reads a call at 400 enterprises.
 */
export const RECIPIENTS_CACHE_MS = 2_000;
export const RECIPIENTS_CACHE_LIVE_MS = 60_000;
const RECIPIENTS_CACHE_ENTRIES = 10_000;

export class RecipientsCache {
  private items = new Map<string, { value: Recipient[]; expiresAt: number }>();
  /** Bumped by every drop: a read that began before it is not kept. */
  private generation = 0;
  private listener: PgListener | undefined;
  /** True while the listener is connected: changes reach this process as they happen. */
  live = false;

  constructor(private readonly ttl = { liveMs: RECIPIENTS_CACHE_LIVE_MS, fallbackMs: RECIPIENTS_CACHE_MS }) {}

  /** Forgets every enterprise's recipients. */
  drop(): void {
    this.generation += 1;
    this.items.clear();
  }

  async of(db: Kysely<Database>, enterprise: string): Promise<Recipient[]> {
    const hit = this.items.get(enterprise);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    const generation = this.generation;
    const value = await recipientsOf(db, enterprise);
    if (generation === this.generation) {
      this.items.delete(enterprise);
      if (this.items.size >= RECIPIENTS_CACHE_ENTRIES) this.items.delete(this.items.keys().next().value!);
      this.items.set(enterprise, { value, expiresAt: Date.now() + (this.live ? this.ttl.liveMs : this.ttl.fallbackMs) });
    }
    return value;
  }

  /** Listens for changes on a connection of its own; `onError` reports the connection's errors. */
  async listen(databaseUrl: string, onError: (err: Error) => void): Promise<void> {
    const state = (live: boolean) => () => { this.live = live; this.drop(); };
    this.listener = new PgListener({
      connectionString: databaseUrl, channels: [NOTIFY.telegramUsersChanged, NOTIFY.enterprisesChanged],
      onNotify: () => this.drop(), onReconnect: state(true), onDisconnect: state(false), onError,
    });
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
    this.live = false;
  }
}

/** The enterprise's recipients through the process's cache when there is one, else read now. */
export function recipientsVia(db: Kysely<Database>, enterprise: string, cache?: RecipientsCache): Promise<Recipient[]> {
  return cache ? cache.of(db, enterprise) : recipientsOf(db, enterprise);
}

/** 403 from Telegram: the user blocked the bot (or it left the group); stop sending there. */
export async function deactivateRecipient(db: Kysely<Database>, token: string, chatId: string): Promise<void> {
  await db.updateTable('telegram_users').set({ active: false }).where('bot_token', '=', token).where('tg_id', '=', chatId).execute();
}
