/**
 * U-ON (integrations_config key `uon`): a notification to each manager rung (their U-ON id from
 * `user_extensions`) with the customer's number and name; nothing to close (U-ON's notifications
 * are flash messages); one call_history row per external call on hangup. Customer and responsible
 * manager from `user/phone/{phone}`. Internal calls send nothing.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { CrmRequestError, type CrmAdapter, type CrmContext, type CrmCustomer } from '../adapter.js';
import { isExternal, present, settingsOrFatal } from '../answers.js';
import { classifyUon } from './classify.js';
import { callHistoryForm, managersToNotify, notificationForm, notificationText, readClient, type UonClient } from './mapping.js';
import { callHistoryRequest, clientByPhoneRequest, notificationRequest, UON_LIMITS } from './requests.js';
import { extensionOfManager, readUonSettings, type UonSettings } from './settings.js';

/** Per-call memory: which managers were notified, whether the history row went in (a retry or resend repeats neither). */
const notifiedKey = (managerId: string): string => `uon:notified:${managerId}`;
const HISTORY_KEY = 'uon:history';

const settingsOf = (ctx: CrmContext): UonSettings => settingsOrFatal(ctx, readUonSettings, 'uon settings');

async function findClient(phone: string, s: UonSettings, ctx: CrmContext): Promise<UonClient | null> {
  const digits = phone.replace(/\D/g, '');
  if (!digits) return null;
  const answer = await ctx.http.send(clientByPhoneRequest(s, digits));
  return answer.status === 404 ? null : readClient(answer.body);
}

export const uonAdapter: CrmAdapter = {
  type: 'uon',
  title: 'U-ON',
  limits: UON_LIMITS,

  async popup(facts: CallFacts, managers: readonly string[], ctx: CrmContext): Promise<void> {
    if (!isExternal(facts)) return;
    const s = settingsOf(ctx);
    const ids = managersToNotify(s, managers);
    if (ids.length === 0) {
      ctx.log.debug({ managers }, 'uon popup: no rung manager has a U-ON id');
      return;
    }
    const pending: string[] = [];
    for (const id of ids) if (await ctx.state.get(notifiedKey(id)) === null) pending.push(id);
    if (pending.length === 0) return;
    // The name makes the notification worth reading, but a popup late for it is worse than one without it.
    let name: string | null = null;
    try {
      name = (await findClient(facts.customerPhone, s, ctx))?.name ?? null;
    } catch (err) {
      if (!(err instanceof CrmRequestError) || err.verdict.kind === 'fatal') throw err;
      ctx.log.info({ err: err.message }, 'uon popup without the customer name: lookup failed');
    }
    const text = notificationText(facts, name);
    for (const id of pending) {
      await ctx.http.send(notificationRequest(s, notificationForm(text, id)));
      await ctx.state.set(notifiedKey(id), '1');
    }
  },

  async close(): Promise<void> {
    // U-ON's notifications close themselves; there is no call card to take down.
  },

  async history(facts: CallFacts, ctx: CrmContext): Promise<void> {
    if (!isExternal(facts)) return;
    if (await ctx.state.get(HISTORY_KEY) !== null) return;
    const s = settingsOf(ctx);
    const form = callHistoryForm(facts, s);
    if (!form) {
      ctx.log.warn({ callRef: facts.callRef }, 'uon history skipped: the call has no start time');
      return;
    }
    await ctx.http.send(callHistoryRequest(s, form));
    await ctx.state.set(HISTORY_KEY, '1');
  },

  async customer(phone: string, ctx: CrmContext): Promise<CrmCustomer | null> {
    const client = await findClient(phone, settingsOf(ctx), ctx);
    return client ? { name: client.name, profile: present({ id: client.id, email: client.email, company: client.company }) } : null;
  },

  async responsibleExtension(phone: string, ctx: CrmContext): Promise<string | null> {
    const s = settingsOf(ctx);
    const client = await findClient(phone, s, ctx);
    return client?.managerId ? extensionOfManager(s, client.managerId) : null;
  },

  classify: classifyUon,
};
