/**
 * Whether an error from a Redis client (ioredis, BullMQ) means "Redis is unreachable" (an outage)
 * rather than a problem with a command. Use it on errors known to come from Redis: raw socket codes
 * count too.
 */
const REDIS_MESSAGES = ['Connection is closed', 'Stream isn\'t writeable', 'max retries per request', 'Connection timeout'];
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// HTTP clients' errors carry the same socket codes; they are never Redis's.
const HTTP_CLIENT_ERRORS = new Set(['RequestError', 'HTTPError', 'TimeoutError', 'ReadError']);

export function isRedisConnectionError(err: unknown): boolean {
  if (!(err instanceof Error) || HTTP_CLIENT_ERRORS.has(err.name)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NET_CODES.has(code)) return true;
  if (err instanceof AggregateError) return err.errors.some(isRedisConnectionError);
  return REDIS_MESSAGES.some((m) => err.message.includes(m));
}
