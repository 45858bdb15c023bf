/**
 * Every environment variable the system reads, declared once: name, default, parser, meaning.
 * README's configuration table is generated from this list (`npm run config:doc`; a test keeps them equal).
 */
export type Parser<T> = (raw: string) => T;

export interface VarSpec<T> {
  readonly name: string;
  readonly description: string;
  /** undefined means the variable is optional and has no value when unset. */
  readonly defaultValue: string | undefined;
  readonly parse: Parser<T>;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`config: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

const str: Parser<string> = (raw) => raw;

const int = (min: number, max: number): Parser<number> => (raw) => {
  if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new Error(`must be between ${min} and ${max}, got ${n}`);
  return n;
};

const url = (protocols: string[]): Parser<string> => (raw) => {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new Error(`must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw.replace(/\/+$/, '');
};

const oneOf = <T extends string>(values: readonly T[]): Parser<T> => (raw) => {
  if (!(values as readonly string[]).includes(raw)) throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
};

/** Comma-separated values, blanks dropped. */
const commaList: Parser<string[]> = (raw) => raw.split(',').map((s) => s.trim()).filter((s) => s !== '');

function v<T, D extends string | undefined>(name: string, defaultValue: D, parse: Parser<T>, description: string): VarSpec<T> & { readonly defaultValue: D } {
  return { name, defaultValue, parse, description };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const vars = {
  databaseUrl: v('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/callpipe', url(['postgres:', 'postgresql:']), 'PostgreSQL connection string'),
  redisUrl: v('REDIS_URL', 'redis://127.0.0.1:6379', url(['redis:', 'rediss:']), 'Redis connection string (queues, token set, caches)'),
  queuePrefix: v('QUEUE_PREFIX', '{callpipe}', str, 'prefix of every Redis key (BullMQ prefix); braces make it a Cluster hash tag'),
  ingestPort: v('INGEST_PORT', '8000', int(1, 65535), 'port of apps/ingest (Asterisk hosts post here)'),
  gatewayPort: v('GATEWAY_PORT', '8020', int(1, 65535), 'port of apps/gateway (Bull Board, /health, the 8020 API)'),
  workersMetricsPort: v('WORKERS_PORT', '8021', int(0, 65535), 'port of the workers health endpoint (0 = none)'),
  sandboxPort: v('SANDBOX_PORT', '8090', int(1, 65535), 'port of apps/sandbox (development and tests only)'),
  sandboxIngestUrl: v('SANDBOX_INGEST_URL', 'http://127.0.0.1:8000', url(['http:', 'https:']), 'where the sandbox\'s emulated Asterisk host posts its calls'),
  sandboxHostToken: v('SANDBOX_HOST_TOKEN', '375293332255', str, 'host Token the emulated Asterisk host sends (the demo enterprise 0367)'),
  sandboxCallsPerMinute: v('SANDBOX_CALLS_PER_MINUTE', '0', int(0, 6000), 'emulated calls started per minute by the sandbox (0 = none; the demo sets 6)'),
  sandboxSpeed: v('SANDBOX_SPEED', '1', int(1, 1000), 'time compression of emulated calls (2 = a 60 s call takes 30 s)'),
  sandboxTelegramBotTokens: v('SANDBOX_TELEGRAM_BOT_TOKENS', undefined, commaList, 'bot tokens the sandbox Telegram API accepts, comma-separated; unset = any token shaped like 123456:secret'),
  sandboxTelegramChatIntervalMs: v('SANDBOX_TELEGRAM_CHAT_INTERVAL_MS', '1000', int(1, 600000), 'sandbox Telegram: steady spacing of messages in one chat (1000 = 1 a second), beyond the burst'),
  sandboxTelegramChatBurst: v('SANDBOX_TELEGRAM_CHAT_BURST', '3', int(1, 1000), 'sandbox Telegram: messages one chat takes at once before it answers 429'),
  sandboxTelegramGroupPerMinute: v('SANDBOX_TELEGRAM_GROUP_PER_MINUTE', '20', int(1, 100000), 'sandbox Telegram: messages a minute in one group (negative chat id)'),
  sandboxTelegramBotPerSecond: v('SANDBOX_TELEGRAM_BOT_PER_SECOND', '30', int(1, 100000), 'sandbox Telegram: messages a second across all chats of one bot'),
  telegramApiBase: v('TELEGRAM_API_BASE', 'https://api.telegram.org', url(['http:', 'https:']), 'root of the Telegram Bot API (the sandbox in the demo)'),
  telegramTimeoutMs: v('TELEGRAM_TIMEOUT_MS', '5000', int(100, 120000), 'longest wait for one Telegram Bot API answer before it counts as a network failure'),
  telegramChatIntervalMs: v('TELEGRAM_CHAT_INTERVAL_MS', '1000', int(1, 600000), 'our send limit: steady spacing of messages to one chat, across all workers (Telegram: ~1 a second)'),
  telegramChatBurst: v('TELEGRAM_CHAT_BURST', '2', int(1, 1000), 'our send limit: messages to one chat at once before the spacing applies'),
  telegramGroupPerMinute: v('TELEGRAM_GROUP_PER_MINUTE', '20', int(1, 100000), 'our send limit: messages a minute to one group, across all workers (Telegram: 20)'),
  telegramBotPerSecond: v('TELEGRAM_BOT_PER_SECOND', '30', int(1, 100000), 'our send limit: messages a second from one bot, across all workers (Telegram: ~30)'),
  logLevel: v('LOG_LEVEL', 'info', oneOf(LOG_LEVELS), 'pino log level'),
  ingestBodyLimitBytes: v('INGEST_BODY_LIMIT_BYTES', '65536', int(1024, 10 * 1024 * 1024), 'largest event body accepted; larger answers 413'),
  ingestAckTimeoutMs: v('INGEST_ACK_TIMEOUT_MS', '300', int(10, 60000), 'longest wait for Redis before an event goes to the disk spool'),
  ingestSpoolDir: v('INGEST_SPOOL_DIR', './var/spool', str, 'directory of the ingest disk spool (used while Redis is unreachable)'),
  ingestBatchMax: v('INGEST_BATCH_MAX', '256', int(1, 10000), 'most events written to Redis in one round trip'),
  dedupWindowSeconds: v('DEDUP_WINDOW_SECONDS', '120', int(1, 86400), 'a resend of the same event within this window is not queued again'),
  tokenRefreshSeconds: v('TOKEN_REFRESH_SECONDS', '30', int(1, 3600), 'how often processes re-read the active token set (changes also arrive at once by NOTIFY / pub-sub)'),
  dbPoolMax: v('DB_POOL_MAX', '10', int(1, 200), 'PostgreSQL pool size per process'),
  eventsConcurrency: v('EVENTS_CONCURRENCY', '32', int(1, 1000), 'jobs of the events queue processed at once per workers process'),
  callLogConcurrency: v('CALL_LOG_CONCURRENCY', '8', int(1, 1000), 'jobs of the call-log queue processed at once per workers process (each holds a PostgreSQL connection while it runs)'),
  telegramConcurrency: v('TELEGRAM_CONCURRENCY', '16', int(1, 1000), 'jobs of the telegram queue (one chat brought in line with one call) processed at once per workers process'),
  jobLockMs: v('JOB_LOCK_MS', '30000', int(1000, 600000), 'a job whose worker stops renewing its lock this long (killed, hung) is handed to another worker'),
  shutdownTimeoutMs: v('SHUTDOWN_TIMEOUT_MS', '10000', int(100, 600000), 'longest graceful-shutdown wait before in-flight jobs are handed back'),
  adminUser: v('ADMIN_USER', undefined, str, 'login for Bull Board (/admin/queues); unset = Bull Board refused'),
  adminPassword: v('ADMIN_PASSWORD', undefined, str, 'password for Bull Board; unset = Bull Board refused'),
  gatewayApiToken: v('GATEWAY_API_TOKEN', undefined, str, 'bearer token for the 8020 API from other hosts, and for seeing secrets in config answers; unset = loopback callers only, secrets always masked'),
  configCacheTtlSeconds: v('CONFIG_CACHE_TTL_SECONDS', '90', int(1, 86400), 'life of an enterprise\'s cached integration config (in-process and Redis tiers)'),
  configRefreshSeconds: v('CONFIG_REFRESH_SECONDS', '240', int(2, 86400), 'period of the full reload of every active enterprise\'s config (covers a lost NOTIFY)'),
  configRefreshJitterSeconds: v('CONFIG_REFRESH_JITTER_SECONDS', '60', int(0, 86400), 'the full reload runs at a random point within ± this of its period; must be below the period'),
  configCleanupSeconds: v('CONFIG_CLEANUP_SECONDS', '30', int(1, 3600), 'how often expired in-process config entries are dropped'),
  lookupCacheTtlSeconds: v('LOOKUP_CACHE_TTL_SECONDS', '60', int(1, 3600), 'life of a cached customer / manager / line lookup in the gateway'),
} as const;

export type VarName = keyof typeof vars;
