/**
 * One press of a missed call's "📞 Перезвонить" button: who pressed (their telegram_users link to an
 * extension), which call (callback_data), a claim nobody else holds (claims.ts), then the press is
 * answered at once, every chat of the call is synced (the note replaces the button), and the PBX rings
 * the presser's extension first and then the customer (libs/ami placeCall, the click-to-call path).
 * How the PBX answered is stored, logged, put on both calls' traces, and synced into the messages.
 * Every refusal is answered to the presser in words; none rings anything.
 */
import type { Kysely } from 'kysely';
import { placeCall, type AmiSettings, type OriginateTimeouts } from '@callpipe/ami';
import { callFacts } from '@callpipe/call-facts';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import type { Producers, TelegramUpdateJob } from '@callpipe/queues';
import { callBackAnswers, readCallBackData } from '@callpipe/telegram';
import { eventsOfCall } from '../callEvents.js';
import type { TelegramSyncDeps } from '../deps.js';
import { enqueueSyncs } from '../fanOut.js';
import { recordCallBackAttempt } from './callBackAttempt.js';
import { claimCallBack, finishCallBack } from './claims.js';

export interface CallBackDeps {
  telegram: TelegramSyncDeps;
  /** The enterprise's AMI settings (integrations_config.ami through the config cache); null: none usable. */
  amiSettingsOf: (enterprise: string) => Promise<AmiSettings | null>;
  timeouts: OriginateTimeouts;
  /** PBX_TIME_ZONE, for enterprises whose time_zone is empty. */
  defaultTimeZone: string;
}

export type PressOutcome =
  | 'foreign' | 'unknown-bot' | 'not-linked' | 'unknown-call' | 'not-missed' | 'no-ami' | 'already-handled' | 'repeat' | 'placed' | 'failed';

interface Ctx { db: Kysely<Database>; producers: Producers; log: Logger }

/** The bot whose id the update came to (its token is in enterprises.bot_token). */
async function tokenOfBot(db: Kysely<Database>, botId: string): Promise<string | null> {
  const row = await db.selectFrom('enterprises').select('bot_token').where('bot_token', 'like', `${botId}:%`).executeTakeFirst();
  return row?.bot_token ?? null;
}

const nameOf = (f: TelegramUpdateJob['callbackQuery']['from']): string =>
  [f.first_name, f.last_name].filter((p) => p && p.trim()).join(' ').trim() || (f.username ? `@${f.username}` : `id ${f.id}`);

export async function handlePress(d: CallBackDeps, job: TelegramUpdateJob, c: Ctx): Promise<PressOutcome> {
  const q = job.callbackQuery;
  const token = await tokenOfBot(c.db, job.botId);
  if (!token) {
    c.log.warn({ botId: job.botId }, 'button press for a bot no enterprise has; not answered');
    return 'unknown-bot';
  }
  const bot = d.telegram.clientFor(token, c.log);
  const answer = async (text: string, alert: boolean) => {
    const r = await bot.answerCallback(q.id, text, alert, { log: c.log });
    if (r.action !== 'ok') c.log.info({ action: r.action }, 'button press not answered (too old, or Telegram refused)');
  };
  const target = readCallBackData(q.data);
  if (!target) {
    await answer('', false);
    return 'foreign';
  }
  const log = c.log.child({ enterprise: target.enterprise, callId: target.callRef, tgUserId: q.from.id });
  const ent = await c.db.selectFrom('enterprises').select(['bot_token', 'time_zone']).where('number', '=', target.enterprise).executeTakeFirst();
  // The press must come to the enterprise's own bot: a button can't call back another enterprise's customer.
  if (!ent || ent.bot_token !== token) {
    await answer(callBackAnswers.unknownCall(), true);
    return 'unknown-call';
  }
  const timeZone = ent.time_zone ?? d.defaultTimeZone;
  const presser = await c.db.selectFrom('telegram_users').select(['extension', 'active'])
    .where('bot_token', '=', token).where('tg_id', '=', String(q.from.id)).executeTakeFirst();
  if (!presser?.active || !presser.extension) {
    log.info('call-back refused: the presser has no extension linked');
    await answer(callBackAnswers.notLinked(), true);
    return 'not-linked';
  }
  const rec = await c.db.selectFrom('call_ids').select('call_id').where('enterprise_number', '=', target.enterprise).where('id_value', '=', target.callRef).executeTakeFirst();
  const facts = rec ? callFacts(await eventsOfCall(c.db, target.enterprise, rec.call_id), { timeZone }) : null;
  if (!rec || !facts) {
    await answer(callBackAnswers.unknownCall(), true);
    return 'unknown-call';
  }
  if (facts.direction !== 'in' || facts.stage !== 'ended' || facts.outcome === 'answered' || !facts.customerPhone) {
    await answer(callBackAnswers.notMissed(), true);
    return 'not-missed';
  }
  const settings = await d.amiSettingsOf(target.enterprise);
  if (!settings) {
    await answer(callBackAnswers.noAmi(), true);
    return 'no-ami';
  }
  const phone = `+${facts.customerPhone}`;
  const who = { tgUserId: q.from.id, name: nameOf(q.from), extension: presser.extension };
  const claim = await claimCallBack(c.db, {
    enterprise: target.enterprise, callRef: target.callRef, tgUserId: q.from.id, userName: who.name, extension: who.extension, phone, callbackQueryId: q.id,
  }, d.timeouts.connectMs + d.timeouts.resultMs + 60_000);
  const sync = () => enqueueSyncs(c.db, c.producers, { enterprise: target.enterprise, callId: rec.call_id, merged: [], eventType: 'call_back', timeZone });
  if (!claim.claimed) {
    if (claim.sameQuery) {
      // A retry of this job after the claim: the PBX may already be ringing; never ring twice.
      log.warn('call-back job retried after its claim; not rung again');
      await sync();
      return 'repeat';
    }
    log.info({ by: claim.existing.userName, status: claim.existing.status }, 'call-back refused: already being handled');
    await answer(callBackAnswers.alreadyHandled(claim.existing, timeZone), true);
    return 'already-handled';
  }
  log.info({ extension: who.extension }, 'call-back claimed: ringing the presser, then the customer');
  await answer(callBackAnswers.started(who.extension, phone), false);
  await sync();
  const at = new Date();
  const outcome = await placeCall(settings, {
    extension: who.extension, phone, variables: { CALLPIPE_ORIGIN: 'telegram', CALLPIPE_CALLBACK_OF: target.callRef },
  }, d.timeouts);
  await finishCallBack(c.db, target.enterprise, target.callRef, q.id, outcome.ok ? 'placed' : 'failed', outcome.message, outcome.uniqueId);
  await recordCallBackAttempt(c.db, c.producers, { enterprise: target.enterprise, callRef: target.callRef, callbackQueryId: q.id, presser: who, outcome, at }, log);
  log[outcome.ok ? 'info' : 'warn']({ ok: outcome.ok, failure: outcome.failure, uniqueId: outcome.uniqueId, durationMs: outcome.durationMs }, `call-back: ${outcome.message}`);
  await sync();
  return outcome.ok ? 'placed' : 'failed';
}

