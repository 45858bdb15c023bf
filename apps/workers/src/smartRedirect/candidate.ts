/**
 * Which events smart redirect looks at: the first sight of an incoming call (its `start`, or its
 * `dial` when no start came) with the caller's channel and number. Pure.
 */
import type { EventJob } from '@callpipe/queues';

export interface RedirectCandidate {
  /** The caller's channel's UniqueId: the call's trace and the decide-once key. */
  uniqueId: string;
  /** The caller's channel, the one AMI Redirect moves. */
  channel: string;
  phone: string;
  /** Extensions the dialplan is ringing already (a dial), if known. */
  ringing: string[];
}

export function redirectCandidate(job: Pick<EventJob, 'eventType' | 'body'>): RedirectCandidate | null {
  if (job.eventType !== 'start' && job.eventType !== 'dial') return null;
  const b = job.body as Record<string, unknown>;
  if (Number(b.CallType) !== 0) return null;
  const uniqueId = typeof b.UniqueId === 'string' ? b.UniqueId : '';
  const channel = typeof b.Channel === 'string' ? b.Channel : '';
  const phone = typeof b.Phone === 'string' ? b.Phone : typeof b.CallerIDNum === 'string' ? b.CallerIDNum : '';
  if (!uniqueId || !channel || !/\d{5,}/.test(phone)) return null;
  const ringing = Array.isArray(b.Extensions) ? b.Extensions.filter((e): e is string => typeof e === 'string') : [];
  return { uniqueId, channel, phone, ringing };
}
