/**
 * The RetailCRM adapter: popup and hangup through telephony/call/event, history through
 * telephony/calls/upload (batched, 50 a request), customer and responsible manager through
 * telephony/manager and customers. The mapping is in the pure modules beside this one; here only
 * the order of requests and what an answer changes (codes RetailCRM does not know → by user id).
 */
import type { CallFacts } from '@callpipe/call-facts';
import type { CrmAdapter, CrmContext } from '../adapter.js';
import { settingsOrFatal } from '../answers.js';
import { hangupEvent, popupEvent, userIdFallback, type CallEvent } from './callEvent.js';
import { CALLS_PER_UPLOAD, planUploads } from './callsUpload.js';
import { isSkip } from './callType.js';
import { classify } from './classify.js';
import { listField, readEnvelope } from './envelope.js';
import { customerFromList, customerFromManagerAnswer, responsibleFromManagerAnswer } from './lookup.js';
import { callEventRequest, callsUploadRequest, customersRequest, managerRequest, RETAILCRM_LIMITS } from './requests.js';
import { readSettings, type RetailCrmSettings } from './settings.js';

const settingsOf = (ctx: CrmContext): RetailCrmSettings => settingsOrFatal(ctx, readSettings, 'retailcrm settings');

async function sendEvent(event: CallEvent, s: RetailCrmSettings, ctx: CrmContext): Promise<void> {
  const res = await ctx.http.send(callEventRequest(s, ctx.account.enterprise, event));
  const env = readEnvelope(res.body);
  const unknownCodes = env ? listField(env.body, 'notExistCodes') : [];
  if (unknownCodes.length === 0) return;
  const byUser = userIdFallback(event, unknownCodes, s.userByExtension);
  ctx.log.warn({ notExistCodes: unknownCodes, fallbackUserIds: byUser?.userIds ?? [] }, 'retailcrm does not know these codes; resending by user id');
  if (byUser) await ctx.http.send(callEventRequest(s, ctx.account.enterprise, byUser));
}

async function uploadHistory(list: readonly CallFacts[], ctx: CrmContext): Promise<void> {
  const s = settingsOf(ctx);
  const plan = planUploads(list, s.userByExtension);
  for (const skipped of plan.skipped) ctx.log.info(skipped, 'retailcrm history: nothing to send');
  // A batch that fails throws; its retry re-sends batches already taken, which RetailCRM reports as duplicateCalls.
  for (const calls of plan.batches) await ctx.http.send(callsUploadRequest(s, ctx.account.enterprise, calls));
}

export const retailCrmAdapter: CrmAdapter = {
  type: 'retailcrm',
  title: 'RetailCRM',
  limits: RETAILCRM_LIMITS,

  async popup(facts, managers, ctx) {
    const s = settingsOf(ctx);
    const event = popupEvent(facts, managers, s.userByExtension);
    if (isSkip(event)) {
      ctx.log.info({ reason: event.skip }, 'retailcrm popup: nothing to send');
      return;
    }
    await sendEvent(event, s, ctx);
  },

  async close(facts, ctx) {
    const s = settingsOf(ctx);
    const event = hangupEvent(facts, s.userByExtension);
    if (isSkip(event)) {
      ctx.log.info({ reason: event.skip }, 'retailcrm hangup: nothing to send');
      return;
    }
    await sendEvent(event, s, ctx);
  },

  async history(facts, ctx) {
    await uploadHistory([facts], ctx);
  },

  historyBatch: { max: CALLS_PER_UPLOAD, send: uploadHistory },

  async customer(phone, ctx) {
    const s = settingsOf(ctx);
    const answer = await ctx.http.send(managerRequest(s, phone));
    const found = customerFromManagerAnswer(answer.body, s.baseUrl);
    if (found) return found;
    const list = await ctx.http.send(customersRequest(s, phone));
    return customerFromList(list.body, phone, s.baseUrl);
  },

  async responsibleExtension(phone, ctx) {
    const s = settingsOf(ctx);
    const answer = await ctx.http.send(managerRequest(s, phone));
    return responsibleFromManagerAnswer(answer.body, s.userByExtension);
  },

  classify: (outcome, request) => classify(outcome, request),
};
