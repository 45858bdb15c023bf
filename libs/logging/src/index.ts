export { createLogger, type Logger } from './logger.js';
export { maskSecret, scrubBotTokens, redactPaths, SECRET_KEYS } from './redaction.js';
