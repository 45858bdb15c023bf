/**
 * The fan-out of one stored event: each capability (Telegram, CRM dispatch, call log) adds its step
 * here. A step runs on every delivery of the event, so it must be idempotent by event key
 * (deterministic job ids, upserts).
 */
import type { FanOutStep } from '../processors/events.js';
import { callLogStep } from '../callLog/fanOutStep.js';

export function fanOutSteps(): FanOutStep[] {
  return [callLogStep];
}
