/**
 * The token-bucket Redis scripts: every bucket one request draws from is checked and drawn from in one
 * atomic step, so two worker processes can never both take the last token. Time is Redis's own (TIME), so the
 * processes' clocks do not matter.
 *
 * KEYS: the buckets. ARGV: capacity and tokens-per-ms of each bucket, in KEYS order, then optionally
 * '1' to only look (take nothing, answer the wait). Each bucket is a hash {tokens, ts, hold}: tokens at time ts (ms), refilled lazily; hold is a time
 * before which nothing is granted (set after a 429). Returns 0 when a token was taken from every
 * bucket, else the milliseconds to wait (nothing is taken then).
 */
export const TAKE_TOKENS_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local peek = ARGV[2 * #KEYS + 1] == '1'
local wait = 0
local level = {}
for i = 1, #KEYS do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local h = redis.call('HMGET', KEYS[i], 'tokens', 'ts', 'hold')
  local tokens = tonumber(h[1]) or cap
  local ts = tonumber(h[2]) or now
  local hold = tonumber(h[3]) or 0
  tokens = math.min(cap, tokens + math.max(0, now - ts) * rate)
  level[i] = tokens
  if hold > now then wait = math.max(wait, hold - now) end
  if tokens < 1 then wait = math.max(wait, math.ceil((1 - tokens) / rate)) end
end
if wait > 0 or peek then return wait end
for i = 1, #KEYS do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  redis.call('HSET', KEYS[i], 'tokens', tostring(level[i] - 1), 'ts', now)
  redis.call('PEXPIRE', KEYS[i], math.ceil(cap / rate) + 60000)
end
return 0
`;

/**
 * Holds one bucket until now + ARGV[1] ms (a 429's wait applies to every process).
 * KEYS[1]: the bucket. Keeps a later hold already set.
 */
export const HOLD_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[1], 'hold')) or 0
if untilMs > current then redis.call('HSET', KEYS[1], 'hold', untilMs) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[1]) + 60000 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 60000) end
return 0
`;
