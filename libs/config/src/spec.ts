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

/** An IANA time zone Intl knows ("Europe/Minsk"). */
const timeZone: Parser<string> = (raw) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw });
  } catch {
    throw new Error(`must be an IANA time zone such as Europe/Minsk, got "${raw}"`);
  }
  return raw;
};

/** A string matching `re` (`what` says how, in the error). */
const matching = (re: RegExp, what: string): Parser<string> => (raw) => {
  if (!re.test(raw)) throw new Error(`must be ${what}`);
  return raw;
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
  workersMetricsPort: v('WORKERS_PORT', '8021', int(0, 65535), 'port of the workers health endpoint (0 = none); when taken (several workers on one host), the next free port up to 9 above is used and logged'),
  sandboxPort: v('SANDBOX_PORT', '8090', int(1, 65535), 'port of apps/sandbox (development and tests only)'),
  sandboxIngestUrl: v('SANDBOX_INGEST_URL', 'http://127.0.0.1:8000', url(['http:', 'https:']), 'where the sandbox\'s emulated Asterisk host posts its calls'),
  sandboxHostToken: v('SANDBOX_HOST_TOKEN', '375293332255', str, 'host Token the emulated Asterisk host sends (the demo enterprise 0367)'),
  sandboxCallsPerMinute: v('SANDBOX_CALLS_PER_MINUTE', '0', int(0, 6000), 'emulated calls started per minute by the sandbox (0 = none; the demo sets 6)'),
  sandboxSpeed: v('SANDBOX_SPEED', '1', int(1, 1000), 'time compression of emulated calls (2 = a 60 s call takes 30 s)'),
  sandboxTelegramBotTokens: v('SANDBOX_TELEGRAM_BOT_TOKENS', undefined, commaList, 'bot tokens the sandbox Telegram API accepts, comma-separated; unset = every token shaped like 123456:secret'),
  sandboxTelegramChatIntervalMs: v('SANDBOX_TELEGRAM_CHAT_INTERVAL_MS', '1000', int(1, 600000), 'sandbox Telegram: steady spacing of messages in one chat (1000 = 1 a second), beyond the burst'),
  sandboxTelegramChatBurst: v('SANDBOX_TELEGRAM_CHAT_BURST', '3', int(1, 1000), 'sandbox Telegram: messages one chat takes at once before it answers 429'),
  sandboxTelegramGroupPerMinute: v('SANDBOX_TELEGRAM_GROUP_PER_MINUTE', '20', int(1, 100000), 'sandbox Telegram: messages a minute in one group (negative chat id)'),
  sandboxTelegramBotPerSecond: v('SANDBOX_TELEGRAM_BOT_PER_SECOND', '30', int(1, 100000), 'sandbox Telegram: messages a second across all chats of one bot'),
  sandboxAmiPort: v('SANDBOX_AMI_PORT', '5038', int(0, 65535), 'TCP port of the sandbox Asterisk Manager Interface (0 = none); the demo enterprise\'s ami settings point here'),
  sandboxAmiUsername: v('SANDBOX_AMI_USERNAME', 'callpipe', str, 'manager account the sandbox AMI accepts'),
  sandboxAmiSecret: v('SANDBOX_AMI_SECRET', 'sandbox-ami-secret', str, 'secret of that account (development only)'),
  sandboxRetailcrmDemo: v('SANDBOX_RETAILCRM_DEMO', 'june:0367', matching(/^$|^[\w.-]+:[A-Za-z0-9_]{1,10}$/, '"<account>:<enterprise number>" or empty'), 'sandbox CRMs: the demo account set up at start in RetailCRM, MoySklad, U-ON and Bitrix24 (the demo\'s managers on 150–169, customers) whose RetailCRM "call" buttons click-to-call through PUBLIC_BASE_URL\'s /retailcrm/make-call as that enterprise; empty = none'),
  amiConnectTimeoutMs: v('AMI_CONNECT_TIMEOUT_MS', '3000', int(50, 60000), 'hard timeout of reaching an enterprise\'s Asterisk and logging in to its AMI'),
  amiOriginateTimeoutMs: v('AMI_ORIGINATE_TIMEOUT_MS', '20000', int(100, 120000), 'hard timeout from an Originate to its OriginateResponse (the manager picking up); the PBX is asked to ring a little less'),
  telegramWebhookUrl: v('TELEGRAM_WEBHOOK_URL', undefined, url(['http:', 'https:']), 'public root where Telegram reaches the gateway (https://bot.example.com): set with TELEGRAM_WEBHOOK_SECRET, the workers register each bot\'s webhook at <root>/telegram/webhook/<bot id> for button presses; unset = they long-poll getUpdates'),
  telegramWebhookSecret: v('TELEGRAM_WEBHOOK_SECRET', undefined, matching(/^[A-Za-z0-9_-]{16,256}$/, '16+ letters, digits, _ or -'), 'key each bot\'s webhook secret_token is derived from; the gateway refuses (403) an update without the right X-Telegram-Bot-Api-Secret-Token; unset = the webhook route refuses everything'),
  telegramPollSeconds: v('TELEGRAM_POLL_SECONDS', '25', int(0, 50), 'long-poll wait of getUpdates when no webhook is configured (button presses); 0 = no polling'),
  smartRedirectTimeoutMs: v('SMART_REDIRECT_TIMEOUT_MS', '1500', int(50, 30000), 'smart redirect: hard timeout of finding the responsible manager in the primary CRM; slower = normal routing'),
  telegramApiBase: v('TELEGRAM_API_BASE', 'https://api.telegram.org', url(['http:', 'https:']), 'root of the Telegram Bot API (the sandbox in the demo)'),
  telegramTimeoutMs: v('TELEGRAM_TIMEOUT_MS', '5000', int(100, 120000), 'longest wait for one Telegram Bot API answer before it counts as a network failure'),
  telegramChatIntervalMs: v('TELEGRAM_CHAT_INTERVAL_MS', '1000', int(1, 600000), 'our send limit: steady spacing of messages to one chat, across all workers (Telegram: ~1 a second)'),
  telegramSlotWaitMs: v('TELEGRAM_SLOT_WAIT_MS', '2000', int(0, 600000), 'longest wait for a chat\'s send slot a sync spends holding its worker slot (a chat\'s usual spacing); a longer one (a 429 hold, a group\'s 20 a minute) moves the sync back to the queue (delayed) until the slot is due'),
  telegramChatBurst: v('TELEGRAM_CHAT_BURST', '2', int(1, 1000), 'our send limit: messages to one chat at once before the spacing applies'),
  telegramGroupPerMinute: v('TELEGRAM_GROUP_PER_MINUTE', '20', int(1, 100000), 'our send limit: messages a minute to one group, across all workers (Telegram: 20)'),
  telegramBotPerSecond: v('TELEGRAM_BOT_PER_SECOND', '30', int(1, 100000), 'our send limit: messages a second from one bot, across all workers (Telegram: ~30)'),
  logLevel: v('LOG_LEVEL', 'info', oneOf(LOG_LEVELS), 'pino log level'),
  ingestBodyLimitBytes: v('INGEST_BODY_LIMIT_BYTES', '65536', int(1024, 10 * 1024 * 1024), 'largest event body accepted; larger answers 413'),
  ingestAckTimeoutMs: v('INGEST_ACK_TIMEOUT_MS', '300', int(10, 60000), 'longest wait for Redis before an event goes to the disk spool'),
  ingestSpoolDir: v('INGEST_SPOOL_DIR', './var/spool', str, 'directory of the ingest disk spool (used while Redis is unreachable)'),
  ingestBatchMax: v('INGEST_BATCH_MAX', '256', int(1, 10000), 'most events written to Redis in one round trip'),
  ingestLingerMs: v('INGEST_LINGER_MS', '5', int(0, 1000), 'how long the first event of a Redis write waits for others to share it (0: the end of the event loop turn); adds at most this to an ack'),
  ingestPacketMin: v('INGEST_PACKET_MIN', '2', int(2, 10001), 'a write of at least this number of events goes to Redis as one event-packets job instead of a job per event (above INGEST_BATCH_MAX: never)'),
  dedupWindowSeconds: v('DEDUP_WINDOW_SECONDS', '120', int(1, 86400), 'a resend of the same event within this window is not queued again'),
  tokenRefreshSeconds: v('TOKEN_REFRESH_SECONDS', '30', int(1, 3600), 'how often processes re-read the active token set (changes also arrive at once by NOTIFY / pub-sub)'),
  dbPoolMax: v('DB_POOL_MAX', '10', int(1, 200), 'PostgreSQL pool size per process'),
  eventsConcurrency: v('EVENTS_CONCURRENCY', '128', int(1, 1000), 'jobs of the events queue held at once per workers process: what the event batches gather from (EVENTS_BATCH_MAX); they hold no connection while they wait'),
  eventPacketsConcurrency: v('EVENT_PACKETS_CONCURRENCY', '16', int(1, 1000), 'jobs of the event-packets queue held at once per workers process; their events join the same batches as the events queue\'s'),
  eventsBatchMax: v('EVENTS_BATCH_MAX', '200', int(1, 1000), 'most events stored and applied to the call log in one transaction (one round trip for the lot); 1 applies each alone'),
  eventsBatchLingerMs: v('EVENTS_BATCH_LINGER_MS', '10', int(0, 1000), 'how long an event waits for others to share its call-log batch before it starts one (8 waiting start one at once); adds at most this to ack → record; 0 = at once'),
  callLogEntryLingerMs: v('CALL_LOG_ENTRY_LINGER_MS', '50', int(0, 1000), 'how long a timeline entry that is not an event (a Telegram send, a CRM attempt) waits to ride in an event batch before it starts one; 0 = at once'),
  eventsBatchInFlight: v('EVENTS_BATCH_IN_FLIGHT', '4', int(1, 64), 'event batches in flight at once per workers process, each on a connection of their own pool (application_name workers-batches)'),
  callLogConcurrency: v('CALL_LOG_CONCURRENCY', '8', int(1, 1000), 'jobs of the call-log queue processed at once per workers process (each holds a PostgreSQL connection while it runs)'),
  telegramSyncDebounceMs: v('TELEGRAM_SYNC_DEBOUNCE_MS', '250', int(0, 10000), 'a running call\'s Telegram sync waits this long, so a burst of its events (start and dial, a bridge\'s legs) makes one message, not one each; an ended call\'s never waits; 0: at once'),
  telegramConcurrency: v('TELEGRAM_CONCURRENCY', '64', int(1, 1000), 'jobs of the telegram queue (a call\'s chats brought in line with its record) processed at once per workers process'),
  crmDispatchConcurrency: v('CRM_DISPATCH_CONCURRENCY', '32', int(1, 1000), 'jobs of the crm-dispatch queue (one CRM action for one call) processed at once per workers process'),
  crmTimeoutMs: v('CRM_TIMEOUT_MS', '2500', int(100, 60000), 'hard timeout of one CRM request; a slower answer counts as a failure and the job is retried'),
  crmBackoffBaseMs: v('CRM_BACKOFF_BASE_MS', '2000', int(10, 600000), 'first retry delay of a failed CRM job; doubles each try (±25% jitter) up to 300 times this (2 s: 10 min); 150 tries'),
  crmBreakerFailures: v('CRM_BREAKER_FAILURES', '5', int(1, 1000), 'failures in a row (timeouts, 5xx) that open the circuit of one enterprise\'s CRM'),
  crmBreakerOpenMs: v('CRM_BREAKER_OPEN_MS', '30000', int(100, 3600000), 'how long an open CRM circuit holds its jobs back before one probe request; doubled after each failed probe'),
  crmBreakerMaxOpenMs: v('CRM_BREAKER_MAX_OPEN_MS', '600000', int(100, 86400000), 'longest an open CRM circuit waits between probes'),
  crmLimiterMaxWaitMs: v('CRM_LIMITER_MAX_WAIT_MS', '2000', int(0, 60000), 'longest a CRM job waits in-process for its account\'s rate-limit slot; a longer wait delays the job instead'),
  crmHistoryDelayMs: v('CRM_HISTORY_DELAY_MS', '2000', int(0, 600000), 'wait after a hangup before a call goes to CRM history, so late events (a bridge after the hangup) are in it and calls ending together share a batch'),
  crmPopupWaitMs: v('CRM_POPUP_WAIT_MS', '2000', int(0, 60000), 'longest a CRM popup waits for the event that opened its call (the inbound start, the manager\'s outbound dial) when events arrive out of order; after it the popup goes with the number and direction known then'),
  crmLookupTimeoutMs: v('CRM_LOOKUP_TIMEOUT_MS', '1500', int(50, 30000), 'hard timeout of a customer / responsible-manager lookup through the primary CRM; slower falls back to the customers table'),
  crmLookupCacheSeconds: v('CRM_LOOKUP_CACHE_SECONDS', '60', int(1, 86400), 'life of a CRM lookup answer cached in Redis (shared by the gateway and the workers)'),
  jobLockMs: v('JOB_LOCK_MS', '30000', int(1000, 600000), 'a job whose worker stops renewing its lock this long (killed, hung) is handed to another worker'),
  shutdownTimeoutMs: v('SHUTDOWN_TIMEOUT_MS', '10000', int(100, 600000), 'longest graceful-shutdown wait before in-flight jobs are handed back'),
  outageReminderSeconds: v('OUTAGE_REMINDER_SECONDS', '60', int(1, 86400), 'while PostgreSQL or Redis stays down, a process logs one reminder this often (plus one line when the outage starts and one when it ends)'),
  adminUser: v('ADMIN_USER', undefined, str, 'login for Bull Board (/admin/queues); unset = Bull Board refused'),
  adminPassword: v('ADMIN_PASSWORD', undefined, str, 'password for Bull Board; unset = Bull Board refused'),
  gatewayApiToken: v('GATEWAY_API_TOKEN', undefined, str, 'bearer token for the 8020 API from other hosts, and for seeing secrets in config answers; unset = loopback callers only, secrets always masked'),
  configCacheTtlSeconds: v('CONFIG_CACHE_TTL_SECONDS', '90', int(1, 86400), 'life of an enterprise\'s cached integration config (in-process and Redis tiers)'),
  configRefreshSeconds: v('CONFIG_REFRESH_SECONDS', '240', int(2, 86400), 'period of the full reload of every active enterprise\'s config (covers a lost NOTIFY)'),
  configRefreshJitterSeconds: v('CONFIG_REFRESH_JITTER_SECONDS', '60', int(0, 86400), 'the full reload runs at a random point within ± this of its period; must be below the period'),
  configCleanupSeconds: v('CONFIG_CLEANUP_SECONDS', '30', int(1, 3600), 'how often expired in-process config entries are dropped'),
  lookupCacheTtlSeconds: v('LOOKUP_CACHE_TTL_SECONDS', '60', int(1, 3600), 'life of a cached customer / manager / line lookup in the gateway'),
  pbxTimeZone: v('PBX_TIME_ZONE', 'Europe/Minsk', timeZone, 'time zone of the PBX hosts\' clocks (StartTime, EndTime… carry none) for enterprises whose enterprises.time_zone is empty'),
  publicBaseUrl: v('PUBLIC_BASE_URL', 'http://127.0.0.1:8020', url(['http:', 'https:']), 'the gateway as RetailCRM and browsers reach it (https://bot.example.com): the module\'s baseUrl, accountUrl, makeCallUrl and changeUserStatusUrl are built on it'),
  retailcrmModuleCode: v('RETAILCRM_MODULE_CODE', 'callpipe-telephony', matching(/^[a-z0-9][a-z0-9-]{2,59}$/, 'lower-case letters, digits and dashes'), 'code of the telephony module registered in each RetailCRM account (integration-modules/{code}/edit)'),
  retailcrmAdminSecret: v('RETAILCRM_ADMIN_SECRET', undefined, matching(/^.{32,}$/, 'at least 32 characters'), 'key signing the RetailCRM admin links (accountUrl tokens) and sessions; unset = a random key per gateway process (links stop working on restart; operator login still works)'),
  retailcrmAdminLinkDays: v('RETAILCRM_ADMIN_LINK_DAYS', '365', int(1, 3650), 'life of the admin link RetailCRM\'s "go to account" button carries; re-registering the module issues a new one and revokes the old'),
  retailcrmAdminSessionMinutes: v('RETAILCRM_ADMIN_SESSION_MINUTES', '480', int(5, 10080), 'life of a RetailCRM admin UI session (the cookie set after a link or an operator login)'),
} as const;

export type VarName = keyof typeof vars;
