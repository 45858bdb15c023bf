/**
 * The `crm-dispatch` queue payload: one action of one CRM integration for one call — the popup for
 * some managers, the close (hangup) of the popups, or the call in the customer's history. It carries
 * the call facts as they were when the job was made (times as ISO text; factsFromJson revives them).
 * Its job id is deterministic (crmDispatchJobId), so a resent or re-applied event adds no second job.
 */
import { createHash } from 'node:crypto';
import type { JSONSchemaType } from 'ajv';
import type { CallFacts, HostTime } from '@callpipe/call-facts';

export type CrmDispatchAction = 'popup' | 'close' | 'history';
export const CRM_DISPATCH_ACTIONS: readonly CrmDispatchAction[] = ['popup', 'close', 'history'];

interface HostTimeJson {
  at: string;
  local: string;
}

/** CallFacts as JSON carries them: Dates as ISO text. */
export type CallFactsJson = Omit<CallFacts, 'start' | 'end'> & { start: HostTimeJson | null; end: HostTimeJson | null };

export interface CrmDispatchJob {
  enterprise: string;
  /** The key in integrations_config: retailcrm, ms, uon, bitrix24. */
  integration: string;
  action: CrmDispatchAction;
  /** facts.callRef: the call's first UniqueId (the CRM's external call id). */
  callRef: string;
  /** The call record (call_traces.call_id) the facts were read from. */
  callId: string;
  /** popup: the extensions rung when the job was made (the processor shows only those not shown yet). */
  managers: string[];
  facts: CallFactsJson;
  /** ISO time the job was made. */
  at: string;
}

const timeToJson = (t: HostTime | null): HostTimeJson | null => (t ? { at: t.at.toISOString(), local: t.local } : null);
const timeFromJson = (t: HostTimeJson | null): HostTime | null => (t ? { at: new Date(t.at), local: t.local } : null);

export function factsToJson(f: CallFacts): CallFactsJson {
  return { ...f, start: timeToJson(f.start), end: timeToJson(f.end) };
}

export function factsFromJson(f: CallFactsJson): CallFacts {
  return { ...f, start: timeFromJson(f.start), end: timeFromJson(f.end) };
}

/** BullMQ job ids may not hold ':'; a UniqueId never should, but a hostile one must not break the add. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * One job per (call, integration, action); a popup's id also names the managers it is for, so a
 * transfer to a manager not shown yet is a new job and a resend of the same ringing is not.
 */
export function crmDispatchJobId(j: Pick<CrmDispatchJob, 'enterprise' | 'integration' | 'action' | 'callRef' | 'managers'>): string {
  const base = `crm-${safe(j.enterprise)}-${safe(j.integration)}-${safe(j.callRef)}-${j.action}`;
  if (j.action !== 'popup') return base;
  const who = createHash('sha1').update([...j.managers].sort().join(',')).digest('hex').slice(0, 10);
  return `${base}-${who}`;
}

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const hostTime = { anyOf: [{ type: 'null' }, { type: 'object', required: ['at', 'local'], properties: { at: text(64), local: text(64) } }] };
const extensions = { type: 'array', items: text(64), maxItems: 200 };

export const crmDispatchJobSchema = {
  type: 'object',
  required: ['enterprise', 'integration', 'action', 'callRef', 'callId', 'managers', 'facts', 'at'],
  additionalProperties: false,
  properties: {
    enterprise: { type: 'string', minLength: 1, maxLength: 10, pattern: '^[A-Za-z0-9_]+$' },
    integration: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_]+$' },
    action: { type: 'string', enum: [...CRM_DISPATCH_ACTIONS] },
    callRef: text(128),
    callId: text(128),
    managers: extensions,
    facts: {
      type: 'object',
      required: ['callRef', 'direction', 'stage', 'rung', 'talked', 'dialSeen', 'hangupSeen', 'eventCount', 'start', 'end'],
      properties: {
        callRef: text(128), stage: { type: 'string', enum: ['ringing', 'talking', 'ended'] },
        direction: { anyOf: [{ type: 'null' }, { type: 'string', enum: ['in', 'out', 'internal'] }] },
        rung: extensions, talked: extensions, dialSeen: { type: 'boolean' }, hangupSeen: { type: 'boolean' },
        eventCount: { type: 'number' }, start: hostTime, end: hostTime,
      },
    },
    at: text(64),
  },
} as unknown as JSONSchemaType<CrmDispatchJob>;
