/** The one way to make a logger: pino, structured, secrets redacted, bound to a service name. */
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { redactPaths } from './redaction.js';

export type { Logger };

export function createLogger(service: string, level: LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: redactPaths(), censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
