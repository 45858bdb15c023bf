/**
 * MoySklad (integrations_config key `ms`): the call card through the Phone API 1.0 — the call is
 * created when it first rings, with a SHOW per manager rung; a transfer adds SHOWs for the new
 * managers; the hangup HIDE_ALLs the cards and PUTs end time, duration, recording and the manager
 * who talked. Customer name and responsible manager come from the JSON API 1.2 counterparty.
 * Internal calls send nothing.
 */
import type { CallFacts } from '@callpipe/call-facts';
import type { CrmAdapter, CrmContext, CrmCustomer } from '../adapter.js';
import { isExternal, present, settingsOrFatal } from '../answers.js';
import { classifyMs } from './classify.js';
import {
  extensionOfEmployee, finishUpdate, hideAllEvent, newCall, readCounterparty, readEmployees, showEvents, wholeCall, type MsCounterparty,
} from './mapping.js';
import { counterpartyRequest, createCallRequest, employeesRequest, MS_LIMITS, MS_WHAT, updateCallRequest } from './requests.js';
import { readMsSettings, type MsSettings } from './settings.js';

/** Per-call memory: 'posting' once a create went out (its answer may have been lost), 'created' once MoySklad answered it. */
const CALL_KEY = 'ms:call';

const settingsOf = (ctx: CrmContext): MsSettings => settingsOrFatal(ctx, readMsSettings, 'ms settings');

async function findCounterparty(phone: string, s: MsSettings, ctx: CrmContext): Promise<MsCounterparty | null> {
  if (!s.jsonToken) return null;
  const digits = phone.replace(/\D/g, '');
  if (!digits) return null;
  const answer = await ctx.http.send(counterpartyRequest({ ...s, jsonToken: s.jsonToken }, digits));
  return readCounterparty(answer.body);
}

/** MoySklad's employee id for an extension (Phone API `GET /employee?filter=extention=…`), for admin mapping and checks. */
export async function employeeIdByExtension(extension: string, ctx: CrmContext): Promise<string | null> {
  const answer = await ctx.http.send(employeesRequest(settingsOf(ctx), extension));
  return readEmployees(answer.body).find((e) => e.extension === extension)?.id ?? null;
}

export const moyskladAdapter: CrmAdapter = {
  type: 'ms',
  title: 'MoySklad',
  limits: MS_LIMITS,

  async popup(facts: CallFacts, managers: readonly string[], ctx: CrmContext): Promise<void> {
    if (!isExternal(facts)) return;
    const s = settingsOf(ctx);
    const events = showEvents(facts, managers, s);
    if (events.length === 0) return;
    if (await ctx.state.get(CALL_KEY) !== null) {
      // Created before (or maybe: a create whose answer was lost): add the SHOWs to it.
      const answer = await ctx.http.send(updateCallRequest(s, facts.callRef, { events }, MS_WHAT.updateShow));
      if (answer.status !== 404) {
        await ctx.state.set(CALL_KEY, 'created');
        return;
      }
    }
    const body = newCall(facts, events);
    if (!body) {
      ctx.log.warn({ callRef: facts.callRef }, 'ms popup skipped: the call has no start time');
      return;
    }
    await ctx.state.set(CALL_KEY, 'posting');
    await ctx.http.send(createCallRequest(s, body));
    await ctx.state.set(CALL_KEY, 'created');
  },

  async close(facts: CallFacts, ctx: CrmContext): Promise<void> {
    if (!isExternal(facts)) return;
    // A 404 means MoySklad never had the call: no card to take down.
    await ctx.http.send(updateCallRequest(settingsOf(ctx), facts.callRef, { events: [hideAllEvent()] }, MS_WHAT.hide));
  },

  async history(facts: CallFacts, ctx: CrmContext): Promise<void> {
    if (!isExternal(facts)) return;
    const s = settingsOf(ctx);
    const answer = await ctx.http.send(updateCallRequest(s, facts.callRef, finishUpdate(facts, s), MS_WHAT.finish));
    if (answer.status === 404) {
      const body = wholeCall(facts, s);
      if (!body) {
        ctx.log.warn({ callRef: facts.callRef }, 'ms history skipped: the call has no start or end time');
        return;
      }
      await ctx.http.send(createCallRequest(s, body, `${MS_WHAT.create} (whole call)`));
    }
    await ctx.state.set(CALL_KEY, 'created');
  },

  async customer(phone: string, ctx: CrmContext): Promise<CrmCustomer | null> {
    const found = await findCounterparty(phone, settingsOf(ctx), ctx);
    return found ? { name: found.name, profile: present({ phone: found.phone, email: found.email, id: found.id }) } : null;
  },

  async responsibleExtension(phone: string, ctx: CrmContext): Promise<string | null> {
    const s = settingsOf(ctx);
    const found = await findCounterparty(phone, s, ctx);
    if (!found?.ownerId) return null;
    const mapped = extensionOfEmployee(found.ownerId, s);
    if (mapped) return mapped;
    const listed = readEmployees((await ctx.http.send(employeesRequest(s))).body);
    return extensionOfEmployee(found.ownerId, s, listed);
  },

  classify: classifyMs,
};
