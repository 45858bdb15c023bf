export { createLogger, type Logger } from './logger.js';
export { maskSecret, scrubBotTokens, redactPaths, SECRET_KEYS } from './redaction.js';
export { Outage, probeWithin, valueWithin, type OutageState, type OutageOptions } from './outage.js';
export { listenOrExit } from './listen.js';
export { lazyChild } from './lazyChild.js';
