/**
 * Whether an error means "PostgreSQL is unreachable or dropped the connection" (an outage: retry the
 * job, log it as an outage) rather than a problem with the query or data.
 */
const PG_MESSAGES = [
  'Connection terminated',
  'connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'terminating connection due to administrator command',
  'the database system is',
  'Client was closed and is not queryable',
];
// Raw socket errors: the pg client is the only thing in our processes that surfaces them unwrapped
// (HTTP clients wrap theirs in their own error types, which are excluded below).
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const WRAPPING_CLIENTS = new Set(['RequestError', 'HTTPError', 'TimeoutError', 'ReadError', 'MaxRetriesPerRequestError', 'ReplyError']);

export function isPgConnectionError(err: unknown): boolean {
  if (!(err instanceof Error) || WRAPPING_CLIENTS.has(err.name)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // SQLSTATE class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now), 53300 (too many connections).
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || code === '53300') return true;
    if (NET_CODES.has(code)) return true;
  }
  if (err instanceof AggregateError) return err.errors.some(isPgConnectionError);
  return PG_MESSAGES.some((m) => err.message.includes(m));
}
