export type { CallDirection, CallFacts, CallOutcome, CallStage, HostTime, TimeSource } from './types.js';
