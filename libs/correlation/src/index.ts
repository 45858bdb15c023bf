export { field, listField, numberField, type CorrelationEvent } from './event.js';
export { destUniqueId, eventNodes, localPairNode, primaryNode } from './nodes.js';
export {
  softFacts, softEdges, ringMatches, RING_WINDOW, type SoftFact, type RingFact, type RingRole,
} from './softLinks.js';
export { groupEvents } from './group.js';
export {
  contribution, combine, fold, summaryOf, directionOf, statusOf, EMPTY_FOLD,
  type CallFold, type CallSummary, type CallStatus, type Direction,
} from './summary.js';
export { isExternalNumber, normalizePhone } from './phones.js';
