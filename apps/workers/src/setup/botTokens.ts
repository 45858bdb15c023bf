/**
 * Bot tokens as an operator typed them, checked for shape in both tables that hold one: the
 * enterprise's (enterprises.bot_token) and each recipient's (telegram_users.bot_token). A typo in
 * either stops that enterprise's Telegram messages, which no retry fixes; this says so, naming the
 * field and the recipients, never the token. The shape check is pure; the read is one query per table.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import { isBotTokenShape } from '@callpipe/telegram';

export interface BotTokenRows {
  enterprise: string;
  /** enterprises.bot_token; null or empty: the enterprise has no bot (not a fault). */
  enterpriseToken: string | null;
  /** Active recipients filed under this enterprise (telegram_users.enterprise_number). */
  recipients: ReadonlyArray<{ tgId: string; token: string }>;
}

export interface BotTokenProblem {
  enterprise: string;
  reason: string;
  /** The enterprise's own token is bad: no recipient gets anything. */
  sendsNothing: boolean;
}

const SHAPE = 'is not a bot token ("<bot id>:<secret>" as BotFather gives it)';
const MAX_NAMED = 5;

export function botTokenProblem(rows: BotTokenRows): BotTokenProblem | null {
  const reasons: string[] = [];
  const own = rows.enterpriseToken?.trim() ? rows.enterpriseToken : null;
  const sendsNothing = own !== null && !isBotTokenShape(own);
  if (sendsNothing) reasons.push(`enterprises.bot_token ${SHAPE}`);
  const bad = [...new Set(rows.recipients.filter((r) => !isBotTokenShape(r.token)).map((r) => r.tgId))].sort();
  if (bad.length) {
    const named = bad.slice(0, MAX_NAMED).join(', ') + (bad.length > MAX_NAMED ? ` and ${bad.length - MAX_NAMED} more` : '');
    reasons.push(`telegram_users.bot_token of recipient ${named} ${SHAPE}`);
  }
  return reasons.length ? { enterprise: rows.enterprise, reason: reasons.join('; '), sendsNothing } : null;
}

/** Every active enterprise's problem, from two queries (the periodic audit). */
export async function botTokenProblems(db: Kysely<Database>): Promise<{ checked: string[]; problems: BotTokenProblem[] }> {
  const [enterprises, users] = await Promise.all([
    db.selectFrom('enterprises').select(['number', 'bot_token']).where('active', '=', true).execute(),
    db.selectFrom('telegram_users').select(['enterprise_number', 'tg_id', 'bot_token'])
      .where('active', '=', true).where('enterprise_number', 'is not', null).execute(),
  ]);
  const byEnterprise = new Map<string, Array<{ tgId: string; token: string }>>();
  for (const u of users) {
    const list = byEnterprise.get(u.enterprise_number!) ?? [];
    list.push({ tgId: String(u.tg_id), token: u.bot_token });
    byEnterprise.set(u.enterprise_number!, list);
  }
  const problems = enterprises
    .map((e) => botTokenProblem({ enterprise: e.number, enterpriseToken: e.bot_token, recipients: byEnterprise.get(e.number) ?? [] }))
    .filter((p): p is BotTokenProblem => p !== null);
  return { checked: enterprises.map((e) => e.number), problems };
}

/** One enterprise's problem (a telegram job that met a malformed token): the same words as the audit. */
export async function botTokenProblemOf(db: Kysely<Database>, enterprise: string): Promise<BotTokenProblem | null> {
  const [e, users] = await Promise.all([
    db.selectFrom('enterprises').select('bot_token').where('number', '=', enterprise).executeTakeFirst(),
    db.selectFrom('telegram_users').select(['tg_id', 'bot_token'])
      .where('enterprise_number', '=', enterprise).where('active', '=', true).execute(),
  ]);
  return botTokenProblem({
    enterprise, enterpriseToken: e?.bot_token ?? null, recipients: users.map((u) => ({ tgId: String(u.tg_id), token: u.bot_token })),
  });
}
