/**
 * What of a call's facts a chat's message is rendered from: the view, the extensions and line whose
 * names enrich it, and the call ref the call-back state hangs on. Two sets of facts with the same
 * inputs render the same message for every recipient, so an event that leaves them as they were
 * needs no sync (the sync would read everything and answer "unchanged").
 */
import type { CallFacts } from '@callpipe/call-facts';
import { extensionsOfCall, viewOfCall } from './viewOfCall.js';

/** A stable key of the facts' message inputs (null facts, or facts that show nothing, are "none"). */
export function messageInputsOf(f: CallFacts | null): string {
  const shown = f && viewOfCall(f);
  if (!f || !shown) return 'none';
  // Views are built in a fixed key order by viewOfCall, so their JSON is a stable key.
  return JSON.stringify([shown, extensionsOfCall(f).sort(), f.line, f.callRef]);
}

/** True when these facts would render a different message than the facts before them. */
export function messageInputsChanged(before: CallFacts | null, after: CallFacts | null): boolean {
  return messageInputsOf(before) !== messageInputsOf(after);
}
