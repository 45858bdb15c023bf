/**
 * sync(chats, call): make each recipient's chat show the call record's current message, and only it.
 * Rendered from the whole record (not the triggering event), so events in every order, redelivered
 * and synced concurrently as often as they come, end with one message per chat: the final one. One
 * sync takes every chat's lock and reads the record once for all of them; each chat then goes its own
 * way (its stage, its send slot, its refusal), and a chat already in line is left as it is on a rerun.
 */
import type { Kysely } from 'kysely';
import type { Database } from '@callpipe/db';
import type { Logger } from '@callpipe/logging';
import { chatsOfJob, type CallLogTelegramEntry, type Producers, type TelegramChat, type TelegramJob } from '@callpipe/queues';
import { callFacts, DEFAULT_TIME_ZONE, type CallFacts } from '@callpipe/call-facts';
import type { CorrelationEvent } from '@callpipe/correlation';
import {
  CHAT_STATE_TTL_SECONDS, extensionsOfCall, lastMessageKey, renderCallMessage, STAGE_RANK, viewOfCall, type BotClient, type BotResult, type Enrichment,
  type InlineKeyboard,
} from '@callpipe/telegram';
import { botAndEventsOfCall } from './callEvents.js';
import { dropShown, withSyncLock, withSyncLocks, writeShown, type ChatLease, type Shown } from './chatState.js';
import { MalformedBotToken, type TelegramSyncDeps } from './deps.js';
import { enrich } from './enrich.js';
import { markedChats, markFinal, markFinalDelivered, setTelegramSentIfAll } from './hangupWrites.js';
import { deactivateRecipient, recipientsVia } from './recipients.js';
import { callBackPart, type CallBackPart } from './callBack/messagePart.js';

export type SyncOutcome = 'sent' | 'unchanged' | 'nothing-to-show' | 'no-bot' | 'deactivated' | 'gave-up';

/** A Bot API failure BullMQ should retry (429 beyond the in-process wait, 5xx, network). */
export class TelegramRetry extends Error {
  constructor(what: string, reason: string) {
    super(`telegram ${what} to be retried: ${reason}`);
    this.name = 'TelegramRetry';
  }
}

/**
 * The chat's send slot is further off than a worker should wait holding its slot: the job goes back
 * to the queue (delayed) until then. It renders the record as it is when it runs, and triggers of the
 * same chat and call fold into it meanwhile (its deduplication id stays), so waiting costs nothing.
 */
export class SendLater extends Error {
  constructor(readonly waitMs: number) {
    super(`telegram send slot in ${waitMs} ms`);
    this.name = 'SendLater';
  }
}

/** Waits up to this long for a send slot in process unless told otherwise (TELEGRAM_SLOT_WAIT_MS); longer, the sync hands its worker slot back. */
export const DEFAULT_SLOT_WAIT_MS = 2000;

/** What every chat of one sync shares, read or worked out once (the functions: only when a chat asks, then once for all). */
interface Shared {
  events: readonly CorrelationEvent[];
  facts: CallFacts | null;
  extras: () => Promise<{ enrichment: Enrichment; callBack: CallBackPart }>;
  recipients: () => Promise<string[]>;
}

interface Ctx {
  db: Kysely<Database>; log: Logger; producers: Producers; deps: TelegramSyncDeps; job: TelegramJob; bot: BotClient; token: string; chat: TelegramChat;
  /** The chat's send slot this sync reserved and has not used yet (the first send or edit uses it). */
  slot?: { held: boolean };
  /** The chat's lock: released with the write of what the chat shows. */
  lease?: ChatLease;
}

/** The context of the chat's next send or edit: the reserved slot goes with the first one. */
function sendCtx(c: Ctx): { log: Logger; slotTaken: boolean } {
  const held = c.slot?.held ?? false;
  if (c.slot) c.slot.held = false;
  return { log: c.log, slotTaken: held };
}

/** The promise of `f`'s first call, for every caller (a failure too). */
function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

/** Retryable failures are thrown; the rest say what happened. */
function settled<T>(r: BotResult<T>, what: string): BotResult<T> {
  if (r.action === 'retry-after' || r.action === 'retry-backoff') throw new TelegramRetry(what, r.reason);
  return r;
}

/** `replaced`: the message this send took the place of (deleted just before), one entry for both. */
async function logEntry(c: Ctx, callRef: string, action: 'send' | 'delete' | 'edit', messageId: number, text?: string, replaced?: number): Promise<void> {
  const j = c.job;
  const entry: CallLogTelegramEntry = {
    kind: 'telegram', enterprise: j.enterprise, callRef, chatId: c.chat.chatId, action, messageType: j.reason, messageId,
    at: new Date().toISOString(), entryKey: `tg:${c.chat.chatId}:${action}:${messageId}${action === 'edit' ? `:${Date.now()}` : ''}`,
    ...(text !== undefined ? { text } : {}), ...(replaced !== undefined ? { replaced } : {}),
  };
  if (c.deps.applyLogEntry) {
    try {
      await c.deps.applyLogEntry(entry, { db: c.db, log: c.log, producers: c.producers });
      return;
    } catch (err) {
      // The message is out: its entry must still reach the timeline, so it goes the durable way.
      c.log.warn({ err, action, messageId }, 'telegram entry not applied in place; queued for the call log');
    }
  }
  await c.producers.add('callLog', 'telegram', entry);
}

/** Deletes a message the chat no longer needs: 'gone' (already, or too old) is fine; 'refused' when the recipient blocked the bot. */
async function deleteMessage(c: Ctx, messageId: number): Promise<'deleted' | 'gone' | 'refused'> {
  const r = settled(await c.bot.delete(Number(c.chat.chatId), messageId, { log: c.log }), 'delete');
  return r.action === 'deactivate-recipient' ? 'refused' : r.action === 'ok' ? 'deleted' : 'gone';
}

/** Deletes a message and logs it on its own. False when the recipient refuses the bot. */
async function removeMessage(c: Ctx, callRef: string, messageId: number): Promise<boolean> {
  const r = await deleteMessage(c, messageId);
  if (r === 'deleted') await logEntry(c, callRef, 'delete', messageId);
  return r !== 'refused';
}

/**
 * Sends the stage's message after deleting the one it replaces (`replaced`: deleted now). The caller logs
 * the delete with the send (one timeline entry, one call-log write fewer per sync); when the send does
 * not go, the delete is logged here on its own.
 */
async function replaceMessage(
  c: Ctx, callRef: string, shown: Shown | null, text: string, keyboard: InlineKeyboard | undefined,
): Promise<{ sent: BotResult<{ messageId: number }>; replaced?: number } | 'refused'> {
  let replaced: number | undefined;
  if (shown) {
    const d = await deleteMessage(c, shown.messageId);
    if (d === 'refused') return 'refused';
    if (d === 'deleted') replaced = shown.messageId;
  }
  const deleteAlone = async () => { if (replaced !== undefined) await logEntry(c, callRef, 'delete', replaced); };
  let sent: BotResult<{ messageId: number }>;
  try {
    sent = settled(await c.bot.send(Number(c.chat.chatId), text, sendCtx(c), keyboard), 'send');
  } catch (err) {
    await deleteAlone();
    throw err;
  }
  if (sent.action !== 'ok') await deleteAlone();
  return { sent, ...(replaced !== undefined ? { replaced } : {}) };
}


async function dropAbsorbed(c: Ctx, callRef: string): Promise<boolean> {
  const { redis, prefix } = c.deps;
  for (const old of c.job.absorbed) {
    // Under the absorbed record's lock: a sync of it that read its events before the merge finishes
    // first, so the message it sends is the one deleted here (after the merge its record is empty).
    const kept = await withSyncLock(redis, prefix, c.chat.chatId, old, async (shown) => {
      if (!shown) return true;
      if (!(await removeMessage(c, callRef, shown.messageId))) return false;
      await dropShown(redis, prefix, c.chat.chatId, old);
      return true;
    });
    if (!kept) return false;
  }
  return true;
}

/**
 * A call-back changes the final message in place (the pressed message itself shows who calls back,
 * its button gone, and stays where it is in the chat). False when the edit could not be made: the
 * caller replaces the message instead.
 */
async function editInPlace(c: Ctx, callRef: string, shown: { messageId: number }, text: string, part: CallBackPart): Promise<boolean> {
  const r = settled(await c.bot.edit(Number(c.chat.chatId), shown.messageId, text, sendCtx(c), part.keyboard), 'edit');
  if (r.action !== 'ok' && r.action !== 'not-modified') return false;
  const { redis, prefix } = c.deps;
  await writeShown(redis, prefix, c.chat.chatId, c.job.callId, { messageId: shown.messageId, text, stage: 'ended', button: part.keyboard !== undefined }, undefined, c.lease);
  await logEntry(c, callRef, 'edit', shown.messageId, text);
  return true;
}

async function deactivate(c: Ctx): Promise<SyncOutcome> {
  await deactivateRecipient(c.db, c.token, c.chat.chatId);
  c.log.warn('telegram recipient blocked the bot: marked inactive');
  return 'deactivated';
}

/**
 * The call's history (`calls`, `customers`) is the call log's step (fanOut/afterEntry.ts); here only
 * telegram_sent. `done`: the chats already marked, when the mark went with the chat's shown state.
 */
async function afterEnd(c: Ctx, shared: Shared, done?: ReadonlySet<string>): Promise<void> {
  const hangupKeys = shared.events.filter((e) => e.type === 'hangup').map((h) => h.key);
  const recipients = await shared.recipients();
  const all = done
    ? await setTelegramSentIfAll(c.db, done, recipients, hangupKeys)
    : await markFinalDelivered(c.db, c.deps.redis, c.deps.prefix, c.job.callId, c.chat.chatId, recipients, hangupKeys);
  if (all) c.log.debug('every recipient has the final message: telegram_sent set');
}

async function syncLocked(c: Ctx, shared: Shared, shown: Shown | null): Promise<SyncOutcome> {
  const { redis, prefix } = c.deps;
  const j = c.job;
  const { facts } = shared;
  const callRef = facts?.callRef ?? j.callId;
  if (!(await dropAbsorbed(c, callRef))) return deactivate(c);
  const want = facts && viewOfCall(facts);
  if (!want) return 'nothing-to-show';
  // A lower stage never replaces a higher one: late events cannot bring back an earlier state.
  if (shown && STAGE_RANK[shown.stage] > STAGE_RANK[want.stage]) return 'unchanged';
  const { enrichment, callBack } = await shared.extras();
  const text = renderCallMessage(want.view, enrichment, c.chat.role) + callBack.note;
  const button = callBack.keyboard !== undefined;
  if (shown && shown.text === text && (shown.button ?? false) === button) {
    if (want.stage === 'ended') await afterEnd(c, shared);
    return 'unchanged';
  }
  // Before the old message goes: a chat that must wait for its slot keeps it meanwhile. A free slot
  // is taken now (one limiter call, not a look and a take); a short wait is waited by the send.
  const slot = await c.bot.reserveSendSlot(Number(c.chat.chatId));
  if (slot.waitMs > (c.deps.slotWaitMs ?? DEFAULT_SLOT_WAIT_MS)) throw new SendLater(slot.waitMs);
  c.slot = { held: slot.taken };
  if (shown && shown.stage === 'ended' && callBack.offered && (await editInPlace(c, callRef, shown, text, callBack))) {
    await afterEnd(c, shared);
    return 'sent';
  }
  const replacing = await replaceMessage(c, callRef, shown, text, callBack.keyboard);
  if (replacing === 'refused') return deactivate(c);
  const { sent, replaced } = replacing;
  if (sent.action === 'deactivate-recipient') return deactivate(c);
  if (sent.action !== 'ok') {
    // Logged with the call id by the client; the chat keeps no message for this stage.
    await dropShown(redis, prefix, c.chat.chatId, j.callId);
    return 'gave-up';
  }
  const messageId = sent.value.messageId;
  const phone = want.phone;
  const ended = want.stage === 'ended';
  // One round trip: what the chat shows, the old phone:chat map and, for the final message, the chat's mark.
  const replies = await writeShown(redis, prefix, c.chat.chatId, j.callId, { messageId, text, stage: want.stage, button }, (m) => {
    const key = phone ? lastMessageKey(prefix, phone, c.chat.chatId) : null;
    // The old phone:chat map: the live message while the call runs; the hangup clears it.
    const withMap = !key ? m : ended ? m.del(key)
      : m.set(key, JSON.stringify({ message_id: messageId, event_type: want.view.kind, timestamp: Date.now() / 1000 }), 'EX', CHAT_STATE_TTL_SECONDS);
    return ended ? markFinal(withMap, prefix, j.callId, c.chat.chatId) : withMap;
  }, c.lease);
  await logEntry(c, callRef, 'send', messageId, text, replaced);
  if (ended) await afterEnd(c, shared, markedChats(replies.at(-1)));
  return 'sent';
}

/** The enrichment and call-back part of the call's message: the same for every chat (the role only picks the text). */
function extrasOf(c: Omit<Ctx, 'chat'>, facts: CallFacts): Shared['extras'] {
  return once(async () => {
    const j = c.job;
    const want = viewOfCall(facts)!;
    const crmName = c.deps.crmCustomerName;
    const crmCustomerName = crmName && want.phone ? () => crmName(j.enterprise, want.phone!) : undefined;
    const enrichment = await enrich(c.db, { enterprise: j.enterprise, phone: want.phone, extensions: extensionsOfCall(facts), trunk: facts.line ?? undefined, crmCustomerName }, c.deps.lookupTimeoutMs ?? 500, c.log, c.deps.names);
    // A missed inbound call's final message: the call-back button, or the note of who called back (callBack/).
    const callBack = await callBackPart(c.db, j.enterprise, facts.callRef ?? j.callId, want, j.timeZone ?? DEFAULT_TIME_ZONE);
    return { enrichment, callBack };
  });
}

/**
 * Which failure the job ends with when chats fail differently: a malformed token (no retry fixes it),
 * then the first other error (BullMQ retries; chats already in line are left as they are), and only
 * when every failure is a wait for a send slot, the longest wait (the job is deferred until then).
 */
export function failureOf(failures: readonly unknown[]): unknown {
  const malformed = failures.find((f) => f instanceof MalformedBotToken);
  if (malformed) return malformed;
  const other = failures.find((f) => !(f instanceof SendLater));
  if (other !== undefined) return other;
  return new SendLater(Math.max(...failures.map((f) => (f as SendLater).waitMs)));
}

/** One outcome per chat the job names, in its order. */
export async function syncChat(db: Kysely<Database>, log: Logger, producers: Producers, deps: TelegramSyncDeps, job: TelegramJob): Promise<SyncOutcome[]> {
  const chats = chatsOfJob(job);
  return withSyncLocks(deps.redis, deps.prefix, chats.map((ch) => ch.chatId), job.callId, async (shownAll, leases) => {
    // The bot and the record in one statement, read under the locks: what this sync renders is what it reads.
    const read = await botAndEventsOfCall(db, job.enterprise, job.callId);
    if (!read?.token) {
      log.warn('telegram: enterprise has no bot token; nothing sent');
      return chats.map(() => 'no-bot' as const);
    }
    const base = { db, log, producers, deps, job, token: read.token, bot: deps.clientFor(read.token, log) };
    const facts = callFacts([...read.events], { timeZone: job.timeZone ?? DEFAULT_TIME_ZONE });
    const shared: Shared = {
      events: read.events, facts,
      extras: facts ? extrasOf(base, facts) : () => Promise.reject(new Error('no facts to enrich')),
      recipients: once(async () => (await recipientsVia(db, job.enterprise, deps.recipients)).map((r) => r.chatId)),
    };
    const settledAll = await Promise.allSettled(chats.map((chat, i) =>
      syncLocked({ ...base, chat, lease: leases[i], log: chats.length > 1 ? log.child({ chatId: chat.chatId }) : log }, shared, shownAll[i] ?? null)));
    const failures = settledAll.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) throw failureOf(failures);
    return settledAll.map((r) => (r as PromiseFulfilledResult<SyncOutcome>).value);
  });
}
