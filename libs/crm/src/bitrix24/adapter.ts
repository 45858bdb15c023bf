/**
 * Bitrix24 (integrations_config key `bitrix24`), through an inbound webhook with the telephony
 * scope: the call is registered with SHOW when it rings (the card opens for the first manager), the
 * other managers rung get `show`, the hangup `hide`s every card and `finish`es the call with its
 * status code and host duration, which writes the CRM activity. A call that never rang for us (no
 * popup went out) is registered without SHOW at hangup, then finished. Customer and responsible
 * manager from searchCrmEntities. Internal calls send nothing.
 */
import type { CallFacts } from '@callpipe/call-facts';
import { CrmRequestError, type CrmAdapter, type CrmContext, type CrmCustomer } from '../adapter.js';
import { isExternal, present, settingsOrFatal } from '../answers.js';
import { classifyB24 } from './classify.js';
import { finishParams, readCallId, readFirstEntity, registerParams, registrant, userIds, type B24Entity, type ExternalFacts } from './mapping.js';
import { B24_LIMITS, finishRequest, hideRequest, registerRequest, searchRequest, showRequest } from './requests.js';
import { extensionOfUser, readBitrix24Settings, type Bitrix24Settings } from './settings.js';

/** Per-call memory: Bitrix24's CALL_ID, the extension it was registered for, whether finish went through. */
const CALL_ID_KEY = 'b24:callId';
const REGISTRANT_KEY = 'b24:registrant';
const FINISHED_KEY = 'b24:finished';

const settingsOf = (ctx: CrmContext): Bitrix24Settings => settingsOrFatal(ctx, readBitrix24Settings, 'bitrix24 settings');

/** The best match of searchCrmEntities for a number; null when the number has no digits or nothing matched. */
async function findEntity(phone: string, ctx: CrmContext): Promise<B24Entity | null> {
  const digits = phone.replace(/\D/g, '');
  if (!digits) return null;
  return readFirstEntity((await ctx.http.send(searchRequest(settingsOf(ctx), digits))).body);
}

/** Registers the call (Bitrix24 gives back the same CALL_ID for the same call within 30 minutes, so a retry is harmless). */
async function register(facts: ExternalFacts, s: Bitrix24Settings, extension: string, show: boolean, ctx: CrmContext): Promise<string> {
  const answer = await ctx.http.send(registerRequest(s, registerParams(facts, s, extension, show)));
  const callId = readCallId(answer.body);
  if (!callId) throw new CrmRequestError({ kind: 'retry', reason: 'register answered without a CALL_ID' }, 'telephony.externalcall.register');
  await ctx.state.set(CALL_ID_KEY, callId);
  await ctx.state.set(REGISTRANT_KEY, extension);
  return callId;
}

export const bitrix24Adapter: CrmAdapter = {
  type: 'bitrix24',
  title: 'Bitrix24',
  limits: B24_LIMITS,

  async popup(facts: CallFacts, managers: readonly string[], ctx: CrmContext): Promise<void> {
    if (!isExternal(facts)) return;
    const s = settingsOf(ctx);
    let callId = await ctx.state.get(CALL_ID_KEY);
    let registeredFor = await ctx.state.get(REGISTRANT_KEY);
    if (!callId) {
      const ext = registrant(facts, managers);
      if (!ext) return;
      callId = await register(facts, s, ext, true, ctx);
      registeredFor = ext;
    }
    const others = userIds(s, managers.filter((m) => m !== registeredFor));
    if (others.length > 0) await ctx.http.send(showRequest(s, callId, others));
  },

  async close(facts: CallFacts, ctx: CrmContext): Promise<void> {
    if (!isExternal(facts)) return;
    const callId = await ctx.state.get(CALL_ID_KEY);
    if (!callId) return; // never registered: no card is open
    const registeredFor = await ctx.state.get(REGISTRANT_KEY);
    const s = settingsOf(ctx);
    const users = userIds(s, [...(registeredFor ? [registeredFor] : []), ...facts.rung, ...facts.talked]);
    if (users.length > 0) await ctx.http.send(hideRequest(s, callId, users));
  },

  async history(facts: CallFacts, ctx: CrmContext): Promise<void> {
    if (!isExternal(facts)) return;
    if (await ctx.state.get(FINISHED_KEY) !== null) return;
    const s = settingsOf(ctx);
    let callId = await ctx.state.get(CALL_ID_KEY);
    let registeredFor = await ctx.state.get(REGISTRANT_KEY);
    if (!callId || !registeredFor) {
      const ext = registrant(facts);
      if (!ext) {
        ctx.log.warn({ callRef: facts.callRef }, 'bitrix24 history skipped: no extension to register the call for');
        return;
      }
      callId = await register(facts, s, ext, false, ctx);
      registeredFor = ext;
    }
    await ctx.http.send(finishRequest(s, finishParams(facts, s, callId, registeredFor)));
    await ctx.state.set(FINISHED_KEY, '1');
  },

  async customer(phone: string, ctx: CrmContext): Promise<CrmCustomer | null> {
    const found = await findEntity(phone, ctx);
    return found ? { name: found.name, profile: { type: found.type, ...present({ id: found.id }) } } : null;
  },

  async responsibleExtension(phone: string, ctx: CrmContext): Promise<string | null> {
    const found = await findEntity(phone, ctx);
    if (!found) return null;
    return found.assignedInner ?? (found.assignedId ? extensionOfUser(settingsOf(ctx), found.assignedId) : null);
  },

  classify: classifyB24,
};
