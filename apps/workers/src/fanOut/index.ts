/**
 * The fan-out of one stored event: the call log. Everything that reads the call as a whole (call
 * history, Telegram, CRM dispatch) follows the call log instead, in the one list of
 * fanOut/afterEntry.ts. A step runs on every delivery of the event, so it must be idempotent by event
 * key (deterministic job ids, upserts).
 */
import type { FanOutStep } from '../processors/events.js';
import { callLogStep } from '../callLog/fanOutStep.js';

export function fanOutSteps(): FanOutStep[] {
  return [callLogStep];
}
