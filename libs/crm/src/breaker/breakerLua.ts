/**
 * The breaker's Redis script: one hash per (enterprise, integration), changed atomically so every
 * workers process sees one state. Time is Redis's own.
 *
 * KEYS[1]: the breaker hash; KEYS[2]: the set of breakers ever tripped (for /stats and /health).
 * ARGV: op (allow | success | failure), member (enterprise:integration), failure threshold, open ms,
 * longest open ms, probe lease ms, reason (failure only).
 *
 * closed --threshold consecutive failures--> open --open ms passed, one request allowed--> half-open
 * half-open --the probe succeeds--> closed; --it fails--> open again, for twice as long (up to longest).
 * Returns { allowed (1|0), wait ms, state after, state before }.
 */
export const BREAKER_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local op = ARGV[1]
local member = ARGV[2]
local threshold = tonumber(ARGV[3])
local openMs = tonumber(ARGV[4])
local maxOpenMs = tonumber(ARGV[5])
local leaseMs = tonumber(ARGV[6])
local h = redis.call('HMGET', KEYS[1], 'state', 'failures', 'openUntil', 'probeUntil', 'opens')
local state = h[1] or 'closed'
local failures = tonumber(h[2]) or 0
local openUntil = tonumber(h[3]) or 0
local probeUntil = tonumber(h[4]) or 0
local opens = tonumber(h[5]) or 0
local keep = 7 * 24 * 3600 * 1000

if op == 'allow' then
  if state == 'closed' then return {1, 0, state, state} end
  if state == 'open' and now < openUntil then return {0, openUntil - now, state, state} end
  if state == 'half-open' and now < probeUntil then return {0, probeUntil - now, state, state} end
  redis.call('HSET', KEYS[1], 'state', 'half-open', 'probeUntil', now + leaseMs, 'lastProbeAt', now)
  redis.call('PEXPIRE', KEYS[1], keep)
  return {1, 0, 'half-open', state}
end

if op == 'success' then
  if state == 'closed' and failures == 0 then return {1, 0, state, state} end
  if state == 'closed' then
    redis.call('HSET', KEYS[1], 'failures', 0)
  else
    redis.call('HSET', KEYS[1], 'state', 'closed', 'failures', 0, 'opens', 0, 'closedAt', now)
  end
  redis.call('PEXPIRE', KEYS[1], keep)
  return {1, 0, 'closed', state}
end

-- failure
redis.call('HSET', KEYS[1], 'lastFailureAt', now, 'lastError', ARGV[7] or '')
if state == 'open' then
  redis.call('PEXPIRE', KEYS[1], keep)
  return {0, openUntil - now, state, state}
end
if state == 'half-open' then
  opens = opens + 1
  local ms = math.min(maxOpenMs, openMs * math.pow(2, opens - 1))
  redis.call('HSET', KEYS[1], 'state', 'open', 'openUntil', now + ms, 'opens', opens, 'openedAt', now)
  redis.call('PEXPIRE', KEYS[1], keep)
  return {0, ms, 'open', state}
end
failures = failures + 1
if failures >= threshold then
  redis.call('HSET', KEYS[1], 'state', 'open', 'failures', failures, 'openUntil', now + openMs, 'opens', 1, 'openedAt', now)
  redis.call('SADD', KEYS[2], member)
  redis.call('PEXPIRE', KEYS[1], keep)
  return {0, openMs, 'open', state}
end
redis.call('HSET', KEYS[1], 'failures', failures)
redis.call('PEXPIRE', KEYS[1], keep)
return {1, 0, state, state}
`;
