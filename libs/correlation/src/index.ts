export { field, listField, numberField, type CorrelationEvent } from './event.js';
export { eventNodes, localPairNode, primaryNode } from './nodes.js';
export {
  softFacts, softEdges, ringMatches, partyMatches, RING_WINDOW, PARTY_MAX_STAY_MS,
  type SoftFact, type RingFact, type PartyFact, type RingRole, type PartyRole,
} from './softLinks.js';
export { groupEvents } from './group.js';
export {
  contribution, combine, fold, summaryOf, directionOf, statusOf, EMPTY_FOLD,
  type CallFold, type CallSummary, type CallStatus, type Direction,
} from './summary.js';
export { isExternalNumber, normalizePhone } from './phones.js';
