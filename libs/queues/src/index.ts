export { queues, QUEUE_KEYS, type QueueDef, type QueueKey, type QueuePayloads, type JobLogIds } from './catalogue.js';
export { eventJobSchema, newEventJob, type EventJob } from './payloads/eventJob.js';
export { eventPacketJobSchema, packetShapeError, EVENT_PACKET_MAX, type EventPacketJob } from './payloads/eventPacketJob.js';
export { chatsOfJob, telegramJobSchema, type TelegramChat, type TelegramJob } from './payloads/telegramJob.js';
export {
  telegramUpdateJobSchema, telegramUpdateJobId, telegramUpdateJobOf, type TelegramUpdateJob, type TelegramCallbackQuery,
} from './payloads/telegramUpdateJob.js';
export {
  crmDispatchJobSchema, crmDispatchJobId, factsToJson, factsFromJson, CRM_DISPATCH_ACTIONS,
  type CrmDispatchJob, type CrmDispatchAction, type CallFactsJson,
} from './payloads/crmDispatchJob.js';
export { crmBackoffMs, crmBackoffStrategy, CRM_BACKOFF_TYPE } from './crmBackoff.js';
export { nextSeq } from './sequence.js';
export {
  callLogJobSchema, CALL_LOG_KINDS, type CallLogJob, type CallLogKind, type CallLogEventEntry, type CallLogTelegramEntry,
  type CallLogHttpEntry, type CallLogSqlEntry, type CallLogIntegrationEntry,
} from './payloads/callLogJob.js';
export {
  validateLogBody, logBodySchemas, LOG_ROUTES, type LogRoute, type LogBodies, type LogBodyError, type LogEventBody,
  type LogHttpBody, type LogSqlBody, type LogTelegramBody, type LogIntegrationBody,
} from './payloads/logApiBodies.js';
export { createRedis, readyWithin, watchRedis, type RedisRole, type OutageSink } from './redis.js';
export { redisKeys } from './keys.js';
export { TokenStore, type TokenMap } from './tokenStore.js';
export { MisconfigRegistry, type Misconfig, type MisconfigIntegration } from './misconfig.js';
export { Producers, PayloadError } from './producers.js';
export { isRedisConnectionError } from './connectionErrors.js';
