/** The call emulator: pattern catalogue, call generator, sender and failure-log replay. */
export { generateCall, defaultUniqueIdBase, MAX_CALLS_PER_SEED, UIDS_PER_CALL } from './generateCall.js';
export { PATTERNS, PATTERN_IDS, findPattern, type PatternDef } from './patterns/index.js';
export { patternStats } from './patternStats.js';
export { sendCalls, errorCount, type SendOptions, type SendSummary } from './sender.js';
export { parseFailureLog, parseFailureLine, DELIVERED_STATUS, type FailureLogEntry } from './failureLog.js';
export { replayFailureLog, type ReplayOptions, type ReplayReport } from './replay.js';
export { isExternalNumber, DEFAULT_EXTENSIONS, DEFAULT_TRUNK } from './numbers.js';
export type {
  Direction, ExpectedOutcome, GenerateOptions, GeneratedCall, GeneratedEvent, PatternFamily, PatternInfo, PatternStats,
} from './types.js';
