/**
 * The Lua scripts of the Redis ledger and limiter. Each runs atomically in Redis, so the rule it applies
 * sees no other process's write between its read and its write.
 *
 * The reserve script is `blocks()` and `replacing()` of src/send-ledger.ts in Lua; the settle script is
 * `applySettlement()`; the release script is `restoredBy()`. The tests hold both sides to the same
 * results. Records are decoded with Redis's cjson; re-encoding keeps 14 significant digits, enough for
 * every number a record holds (epoch milliseconds have 13).
 *
 * @module
 */

/**
 * KEYS[1]: the key. ARGV: record JSON (no `replaced`), now (ms), cooldown (ms, `-1` for ever),
 * force (`1`/`0`), record format. Returns nil when the reservation was stored, else the holder's JSON.
 */
export const RESERVE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1])
  return false
end
local ok, holder = pcall(cjson.decode, current)
if not ok or type(holder) ~= 'table' or holder.format ~= tonumber(ARGV[5]) then
  return current
end
local now = tonumber(ARGV[2])
local cooldown = tonumber(ARGV[3])
local force = ARGV[4] == '1'
local state = holder.state
if state == 'reserved' and type(holder.deadline) == 'number' and now > holder.deadline then
  state = 'unknown'
end
local blocked
if state == 'reserved' then
  blocked = true
elseif state == 'unknown' then
  blocked = not force
elseif state == 'sent' then
  local since = holder.settledAt or holder.reservedAt
  blocked = (not force) and (cooldown < 0 or now - since < cooldown)
elseif state == 'not-sent' then
  blocked = false
else
  return current
end
if blocked then
  return current
end
local stored = ARGV[1]
if state ~= 'not-sent' then
  local flat = current
  if holder.replaced ~= nil then
    holder.replaced = nil
    flat = cjson.encode(holder)
  end
  stored = string.sub(ARGV[1], 1, -2) .. ',"replaced":' .. flat .. '}'
end
redis.call('SET', KEYS[1], stored)
return false
`;

/**
 * KEYS[1]: the key. ARGV: intent id, state, at (ms), keepFor (ms or empty), has reason (`1`/`0`),
 * reason, marked (`true`/`false`/empty). Returns the new record's JSON, or nil when another intent
 * holds the key (or none does).
 */
export const SETTLE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then
  return false
end
local ok, record = pcall(cjson.decode, current)
if not ok or type(record) ~= 'table' then
  return redis.error_reply('RECORD key holds no JSON record')
end
if record.intentId ~= ARGV[1] then
  return false
end
record.replaced = nil
record.state = ARGV[2]
record.settledAt = tonumber(ARGV[3])
local expiresAt = nil
if ARGV[4] ~= '' then
  expiresAt = record.settledAt + tonumber(ARGV[4])
end
record.expiresAt = expiresAt
if ARGV[5] == '1' then
  record.reason = ARGV[6]
end
if ARGV[7] == 'true' then
  record.marked = true
elseif ARGV[7] == 'false' then
  record.marked = false
end
local out = cjson.encode(record)
redis.call('SET', KEYS[1], out)
if expiresAt then
  redis.call('PEXPIREAT', KEYS[1], math.ceil(expiresAt))
end
return out
`;

/** KEYS[1]: the key. ARGV: intent id. Returns 1 when it released (restored or deleted), else 0. */
export const RELEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then
  return 0
end
local ok, record = pcall(cjson.decode, current)
if not ok or type(record) ~= 'table' then
  return redis.error_reply('RECORD key holds no JSON record')
end
if record.intentId ~= ARGV[1] then
  return 0
end
local previous = record.replaced
if type(previous) == 'table' then
  redis.call('SET', KEYS[1], cjson.encode(previous))
  if type(previous.expiresAt) == 'number' then
    redis.call('PEXPIREAT', KEYS[1], math.ceil(previous.expiresAt))
  end
else
  redis.call('DEL', KEYS[1])
end
return 1
`;

/**
 * GCRA with reservations, on the server's clock (`TIME`), so every host shares one. KEYS[1]: the
 * bucket. ARGV: requests per second, burst. The bucket holds the theoretical arrival time (TAT, ms) of
 * the next request at the steady rate; a request is scheduled at `max(now, TAT - (burst - 1) * T)`
 * with `T = 1000 / rate`, and moves TAT on by T. Then any window of W ms schedules at most
 * `W * rate / 1000 + burst` requests. Returns `"wait at"` in milliseconds with 3 decimals (a Lua
 * number reply would be truncated to an integer, which would let a request leave early).
 */
export const TAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = 1000 / tonumber(ARGV[1])
local tolerance = (tonumber(ARGV[2]) - 1) * interval
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
local at = tat - tolerance
if at < now then
  at = now
end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
return string.format('%.3f %.3f', at - now, at)
`;
