/**
 * The call a successful Originate becomes on the emulated host: an outbound call (pattern 1-1, the
 * manager dials the customer and they talk) from the manager's extension to the customer, whose
 * first channel carries the Uniqueid the OriginateResponse reported, so the pipeline can tie the
 * gateway's "started from the CRM" entry to the call's events. Pure.
 */
import { DEFAULT_EXTENSIONS, generateCall, type GeneratedCall } from '../emulator/index.js';

export interface OriginatedCallSpec {
  token: string;
  extension: string;
  /** The customer's number as the PBX dialled it ("+375…" or "375…"). */
  phone: string;
  startTime: Date;
  /** The counter part of the first channel's Uniqueid (seconds.counter). */
  uniqueIdBase: number;
  seed: number;
}

const PATTERN = '1-1';

/** The Uniqueid the first channel of such a call gets. */
export function firstUniqueId(startTime: Date, uniqueIdBase: number): string {
  return `${Math.floor(startTime.getTime() / 1000)}.${uniqueIdBase}`;
}

function firstExtension(call: GeneratedCall): string | undefined {
  for (const e of call.events) {
    const ext = (e.body as { Extensions?: unknown }).Extensions;
    if (Array.isArray(ext) && typeof ext[0] === 'string') return ext[0];
  }
  return undefined;
}

export function originatedCall(spec: OriginatedCallSpec): GeneratedCall {
  const others = DEFAULT_EXTENSIONS.filter((e) => e !== spec.extension);
  const fillers = [...others, ...['160', '161', '162'].filter((e) => e !== spec.extension)].slice(0, 2);
  const opts = {
    token: spec.token, seed: spec.seed, startTime: spec.startTime, uniqueIdBase: spec.uniqueIdBase,
    phones: [spec.phone.replace(/^\+/, '')],
  };
  // The generator picks which extension plays the caller from its seed; find where it put the caller
  // in the list and put the manager's extension there (same seed, same pick).
  const probe = [spec.extension, ...fillers];
  const picked = probe.indexOf(firstExtension(generateCall(PATTERN, { ...opts, extensions: probe })) ?? spec.extension);
  const extensions = [...fillers];
  extensions.splice(Math.max(0, picked), 0, spec.extension);
  const call = generateCall(PATTERN, { ...opts, extensions });
  if (firstExtension(call) !== spec.extension) throw new Error(`the emulated call does not start at ${spec.extension}`);
  return call;
}
