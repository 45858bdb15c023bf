/**
 * What of a call's facts a chat's message is rendered from: the view (with the phone and the
 * extensions it names, whose names enrich it), the line, and the call ref the call-back state hangs
 * on. Two sets of facts with the same inputs render the same message for every recipient, so an event
 * that leaves them as they were needs no sync (the sync would read everything and answer
 * "unchanged"). Extensions of the call the view does not name (a bridge's other leg while someone
 * talks) are left out: a name is looked up for them, but no text shows it (issue 12: a third of the
 * syncs that changed nothing).
 */
import type { CallFacts } from '@callpipe/call-facts';
import { viewOfCall } from './viewOfCall.js';

/** A stable key of the facts' message inputs (null facts, or facts that show nothing, are "none"). */
export function messageInputsOf(f: CallFacts | null): string {
  const shown = f && viewOfCall(f);
  if (!f || !shown) return 'none';
  // Views are built in a fixed key order by viewOfCall, so their JSON is a stable key.
  return JSON.stringify([shown, f.line, f.callRef]);
}

/** True when these facts would render a different message than the facts before them. */
export function messageInputsChanged(before: CallFacts | null, after: CallFacts | null): boolean {
  return messageInputsOf(before) !== messageInputsOf(after);
}
