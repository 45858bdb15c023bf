/**
 * Sends a live channel elsewhere in the dialplan (AMI Redirect): smart redirect moves an incoming
 * caller to the responsible manager's extension. Resolves on the PBX's Success; rejects with an AmiError.
 */
import { AmiSession } from './session.js';
import type { AmiSettings } from './settings.js';

export interface RedirectRequest {
  channel: string;
  extension: string;
  priority?: number;
}

export async function redirectChannel(settings: AmiSettings, req: RedirectRequest, timeoutMs: number): Promise<Record<string, string>> {
  const started = Date.now();
  const session = await AmiSession.open(settings, timeoutMs);
  try {
    const fields = { Action: 'Redirect', Channel: req.channel, Exten: req.extension, Context: settings.context, Priority: String(req.priority ?? 1) };
    await session.action(fields, Math.max(1, timeoutMs - (Date.now() - started)));
    return fields;
  } finally {
    await session.close();
  }
}
