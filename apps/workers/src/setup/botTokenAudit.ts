/**
 * The periodic check of every active enterprise's bot tokens (both tables): a malformed one is
 * reported to the misconfiguration registry (logged once per enterprise and change), a fixed one
 * cleared. Periodic because a typo on `enterprises` alone produces no job that could notice it:
 * the enterprise simply has no recipients, and nothing would ever be sent or logged.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import type { MisconfigRegistry } from '@callpipe/queues';
import { noteFixed, noteMisconfigured } from '../misconfigured.js';
import { botTokenProblems, type BotTokenProblem } from './botTokens.js';

export const BOT_TOKEN_AUDIT_MS = 30_000;

export class BotTokenAudit {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly registry: MisconfigRegistry,
    private readonly log: Logger,
    private readonly everyMs = BOT_TOKEN_AUDIT_MS,
  ) {}

  /** Runs once now, then every everyMs; a failed run (PostgreSQL or Redis away) waits for the next. */
  start(): void {
    const tick = () => {
      this.running = this.runOnce().catch((err: unknown) => this.log.debug({ err }, 'bot token audit skipped: a dependency did not answer'));
    };
    tick();
    this.timer = setInterval(tick, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async runOnce(): Promise<BotTokenProblem[]> {
    const { problems } = await botTokenProblems(this.db);
    for (const p of problems) await noteMisconfigured(this.registry, this.log, p.enterprise, 'telegram', p.reason);
    const bad = new Set(problems.map((p) => p.enterprise));
    for (const m of await this.registry.list()) {
      if (m.integration === 'telegram' && !bad.has(m.enterprise)) await noteFixed(this.registry, this.log, m.enterprise, 'telegram');
    }
    return problems;
  }
}
