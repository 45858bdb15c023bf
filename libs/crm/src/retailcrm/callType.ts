/** Which RetailCRM call type a call is, and the customer's number in the two forms RetailCRM wants. */
import type { CallFacts } from '@callpipe/call-facts';

export { e164 } from '../answers.js';

export type RetailCallType = 'in' | 'out';

/** What a mapping returns when RetailCRM gets nothing for this call, and why (logged, shown on the trace). */
export interface Skip {
  skip: string;
}

export const isSkip = (v: unknown): v is Skip => typeof v === 'object' && v !== null && 'skip' in v;

/**
 * The host's CallType first (0 in, 1 out, 2 internal: nothing goes to RetailCRM); without one, the
 * direction callFacts derived from the call's numbers. null: internal, or nothing tells.
 */
export function callTypeOf(facts: Pick<CallFacts, 'hostCallType' | 'direction'>): RetailCallType | null {
  if (facts.hostCallType === 0) return 'in';
  if (facts.hostCallType === 1) return 'out';
  if (facts.hostCallType === 2) return null;
  return facts.direction === 'in' || facts.direction === 'out' ? facts.direction : null;
}

/** calls/upload wants the digits alone. */
export function plainDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** Extensions in first-seen order, once each. */
export function unique(list: readonly (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of list) if (v && !out.includes(v)) out.push(v);
  return out;
}

/** Why a call gets nothing, or its type and customer number. */
export function externalCall(facts: CallFacts): { type: RetailCallType; phone: string } | Skip {
  const type = callTypeOf(facts);
  if (type === null) {
    return { skip: facts.hostCallType === 2 || facts.direction === 'internal' ? 'internal call (CallType 2): nothing goes to RetailCRM' : 'direction unknown: no CallType and nothing to tell in from out' };
  }
  const phone = facts.customerPhone ? plainDigits(facts.customerPhone) : '';
  if (!phone) return { skip: 'no customer number' };
  return { type, phone };
}
