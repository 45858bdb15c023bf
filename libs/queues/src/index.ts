export { queues, QUEUE_KEYS, type QueueDef, type QueueKey, type QueuePayloads } from './catalogue.js';
export { eventJobSchema, type EventJob } from './payloads/eventJob.js';
export { createRedis, type RedisRole } from './redis.js';
export { redisKeys } from './keys.js';
export { TokenStore, type TokenMap } from './tokenStore.js';
export { Producers, PayloadError } from './producers.js';
