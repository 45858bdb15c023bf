/**
 * The hard links of an event: every id it carries is a node of the call graph, and the event joins
 * them. UniqueId and Linkedid share one namespace (a Linkedid is the UniqueId of the call's oldest
 * channel); BridgeUniqueids are UUIDs and never collide with them. The two halves of a Local
 * channel pair ("Local/150@transfer-00ab;1" and ";2") are one node: Asterisk names them so. A dial
 * that carries AMI DialBegin's DestUniqueid (a queue naming the Local channel it made for a member)
 * touches that channel too. Nothing else joins two records: no number, no time without an id.
 */
import { callIds, primaryId } from '@callpipe/events';
import { field, type CorrelationEvent } from './event.js';

const LOCAL_HALF = /^(Local\/.+);[12]$/;

export function localPairNode(channel: string | undefined): string | undefined {
  const m = channel ? LOCAL_HALF.exec(channel) : null;
  return m ? `local:${m[1]}` : undefined;
}

/** The channel a dial created, when the host forwards AMI DialBegin's Dest block. */
export function destUniqueId(body: CorrelationEvent['body']): string | undefined {
  return field(body, 'DestUniqueid') || undefined;
}

/** Every node an event touches, without duplicates, in a fixed order (UniqueId first). */
export function eventNodes(e: Pick<CorrelationEvent, 'body'>): string[] {
  const ids = callIds(e.body);
  const nodes = [ids.uniqueId, ids.bridgeUniqueId, ids.linkedId, destUniqueId(e.body), localPairNode(field(e.body, 'Channel'))]
    .filter((n): n is string => typeof n === 'string');
  return [...new Set(nodes)];
}

/** The id an event is best known by: its channel, else its bridge (bridge_create/destroy). */
export function primaryNode(e: Pick<CorrelationEvent, 'body'>): string | undefined {
  return primaryId(e.body) || eventNodes(e)[0];
}
