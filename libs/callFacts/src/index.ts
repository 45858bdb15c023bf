export type { CallDirection, CallFacts, CallOutcome, CallStage, HostTime, TimeSource } from './types.js';
export { callFacts, type CallFactsOptions } from './facts.js';
export { parseHostTime, isTimeZone, localClock } from './hostTime.js';
export { compareUniqueIds } from './callEvents.js';
export { DEFAULT_TIME_ZONE } from './zone.js';
