/**
 * The fan-out of one stored event beyond the call log. The call log itself is applied by the events
 * job (fanOut/callLogInline.ts, wired in processors/registry.ts), and everything that reads the call
 * as a whole (call history, Telegram, CRM dispatch) follows it, in the one list of
 * fanOut/afterEntry.ts. So nothing more today. A step runs on every delivery of the event, so it must
 * be idempotent by event key (deterministic job ids, upserts).
 */
import type { FanOutStep } from '../processors/events.js';
import { smartRedirectStep, type SmartRedirectDeps } from '../smartRedirect/smartRedirect.js';

/** Smart redirect (when wired): the incoming call's first event moves the caller to the responsible manager. */
export function fanOutSteps(o: { smart?: SmartRedirectDeps } = {}): FanOutStep[] {
  return o.smart ? [smartRedirectStep(o.smart)] : [];
}
