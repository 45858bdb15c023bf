/**
 * Who talked: read from the talk bridges' channel pairs (a `bridge` event's CallerIDNum and the
 * ConnectedLineNum it is bridged with), so no BridgeNumChannels is needed; when the host sent no
 * bridges, the summary hangup's Extensions. Pure.
 */
import { field, isExternalNumber, normalizePhone, numberField, type CorrelationEvent } from '@callpipe/correlation';
import { extensionsOf, isExtension, uniq, type CallEvents } from './callEvents.js';

export interface Talkers {
  /** A talk bridge held two parties (the call was picked up, whatever the hangup says yet). */
  talking: boolean;
  /** Every extension in a talk pair, in the order it joined (the one already in the bridge first). */
  talked: string[];
  /** External calls: the extensions that talked with the customer, in order (a transfer chain when several). */
  servedBy: string[];
}

interface Pair { bridge: string | undefined; first: string; second: string }

/** A channel entering a talk bridge where another party already is. A holding bridge (music, a queue) is no talk. */
function pairOf(e: CorrelationEvent): Pair | null {
  if (e.type !== 'bridge' || field(e.body, 'BridgeType') === 'holding') return null;
  const count = numberField(e.body, 'BridgeNumChannels');
  if (count !== undefined && count < 2) return null;
  const second = field(e.body, 'CallerIDNum');
  const first = field(e.body, 'ConnectedLineNum');
  return second && first && second !== first ? { bridge: field(e.body, 'BridgeUniqueid'), first, second } : null;
}

const internal = (x: string): boolean => isExtension(x) && !isExternalNumber(x);
const sameNumber = (x: string, phone: string | null): boolean => phone !== null && normalizePhone(x) === phone;

export function talkersOf(c: CallEvents, customerPhone: string | null, caller: string | null): Talkers {
  const pairs = c.all.map(pairOf).filter((p): p is Pair => p !== null);
  const talked = uniq(pairs.flatMap((p) => [p.first, p.second]).filter(internal));
  // The customer's bridges: whoever talks in one of them talks with the customer, also through a Local
  // channel that links a consultation's bridge into it (an attended transfer completed by linking).
  const customerBridges = new Set(pairs.filter((p) => sameNumber(p.first, customerPhone) || sameNumber(p.second, customerPhone)).map((p) => p.bridge));
  const servedBy: string[] = [];
  for (const p of pairs) {
    if (!customerBridges.has(p.bridge)) continue;
    for (const ext of [p.first, p.second].filter(internal)) if (servedBy.at(-1) !== ext) servedBy.push(ext);
  }
  const answeredByHost = c.mainHangup !== undefined && numberField(c.mainHangup.body, 'CallStatus') === 2;
  if (talked.length === 0 && answeredByHost) {
    // No bridges reached us: the hangup's Extensions name who had the call (the last one listed).
    const last = extensionsOf(c.mainHangup!).filter((x) => x !== caller).at(-1);
    if (last) {
      talked.push(...(caller ? [caller] : []), last);
      if (customerPhone !== null) servedBy.push(last);
    }
  }
  return { talking: pairs.length > 0, talked, servedBy };
}
