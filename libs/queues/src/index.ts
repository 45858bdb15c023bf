export { queues, QUEUE_KEYS, type QueueDef, type QueueKey, type QueuePayloads } from './catalogue.js';
export { eventJobSchema, newEventJob, type EventJob } from './payloads/eventJob.js';
export { telegramJobSchema, type TelegramJob } from './payloads/telegramJob.js';
export { nextSeq } from './sequence.js';
export {
  callLogJobSchema, CALL_LOG_KINDS, type CallLogJob, type CallLogKind, type CallLogEventEntry, type CallLogTelegramEntry,
  type CallLogHttpEntry, type CallLogSqlEntry, type CallLogIntegrationEntry,
} from './payloads/callLogJob.js';
export {
  validateLogBody, logBodySchemas, LOG_ROUTES, type LogRoute, type LogBodies, type LogBodyError, type LogEventBody,
  type LogHttpBody, type LogSqlBody, type LogTelegramBody, type LogIntegrationBody,
} from './payloads/logApiBodies.js';
export { createRedis, type RedisRole } from './redis.js';
export { redisKeys } from './keys.js';
export { TokenStore, type TokenMap } from './tokenStore.js';
export { Producers, PayloadError } from './producers.js';
