/**
 * The Lua scripts of the Redis ledger and limiter. Each runs atomically in Redis, so the rule it applies
 * sees no other process's write between its read and its write.
 *
 * The reserve script is `blocks()` and `replacing()` of src/send-ledger.ts in Lua; the settle script is
 * `applySettlement()`; the release script is `restoredBy()`. The tests hold both sides to the same
 * results. Records are decoded with Redis's cjson; re-encoding keeps 14 significant digits, enough for
 * every number a record holds (epoch milliseconds have 13).
 *
 * Redis's clock (`TIME`) is the authority for everything these scripts decide and store: the reserve
 * rule's `now`, a record's `reservedAt`, `deadline`, `settledAt` and `expiresAt`, and key expiry. The
 * times in Redis records are therefore Redis's, never a host's. A fleet's clocks drift: deciding by each
 * caller's clock would let a host whose clock runs ahead read a fresh `sent` record as past its cooldown,
 * or a live reservation as past its deadline, and a settler whose clock runs behind would set an expiry
 * already past. Callers' times count only as durations (the reservation's deadline minus `rule.now`),
 * which no clock offset changes.
 *
 * @module
 */

/**
 * Redis's clock as integer epoch milliseconds, the one clock of every host (`TIME` is seconds and
 * microseconds). Scripts that call `TIME` and then write are replicated by their effects (the default
 * since Redis 5), so a replica stores the times the primary chose.
 */
const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * KEYS[1]: the key. ARGV: record JSON without `reservedAt`, `deadline` and `replaced`; the deadline as
 * a duration (integer ms after the reservation); cooldown (ms, `-1` for ever); force (`1`/`0`); record
 * format. The rule runs at Redis's `now`, and the stored record gets `reservedAt = now` and
 * `deadline = now + duration`. Returns nil when the reservation was stored, else the holder's JSON.
 */
export const RESERVE_SCRIPT = `${NOW}
local function stamped(tail)
  return string.sub(ARGV[1], 1, -2)
    .. string.format(',"reservedAt":%d,"deadline":%d', now, now + tonumber(ARGV[2]))
    .. tail .. '}'
end
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], stamped(''))
  return false
end
local ok, holder = pcall(cjson.decode, current)
if not ok or type(holder) ~= 'table' or holder.format ~= tonumber(ARGV[5]) then
  return current
end
local cooldown = tonumber(ARGV[3])
local force = ARGV[4] == '1'
local state = holder.state
-- A deadline that is not a number (absent, null) never passes: the reservation stays live.
if state == 'reserved' and type(holder.deadline) == 'number' and now > holder.deadline then
  state = 'unknown'
end
local blocked
if state == 'reserved' then
  blocked = true
elseif state == 'sent' then
  local since = holder.settledAt
  if type(since) ~= 'number' then
    since = holder.reservedAt
  end
  if type(since) ~= 'number' then
    -- No time to count the cooldown from (a damaged record): fail closed, as for unknown.
    blocked = not force
  else
    blocked = (not force) and (cooldown < 0 or now - since < cooldown)
  end
elseif state == 'not-sent' then
  blocked = false
else
  -- unknown, or a state this SDK does not know (a newer writer, a damaged record): unless forced.
  blocked = not force
end
if blocked then
  return current
end
local tail = ''
if state ~= 'not-sent' then
  local flat = current
  if holder.replaced ~= nil then
    holder.replaced = nil
    flat = cjson.encode(holder)
  end
  tail = ',"replaced":' .. flat
end
redis.call('SET', KEYS[1], stamped(tail))
return false
`;

/**
 * KEYS[1]: the key. ARGV: intent id, state, keepFor (ms or empty), has reason (`1`/`0`), reason,
 * marked (`true`/`false`/empty), expected state (empty: no precondition), expected settledAt (empty:
 * the record must have none). `settledAt` is Redis's `now`; with keepFor the key expires at the record's
 * `expiresAt` on Redis's clock (`PEXPIREAT now + keepFor`, with `now` from `TIME`, so no host's clock
 * can shorten it, and the key's expiry and the record's `expiresAt` are the same instant: a relative
 * `PEXPIRE` counts from the server's command clock, which Redis 7.0 reads after `TIME`, a millisecond
 * or so later). Returns the new record's JSON, or nil when another intent holds the key (or none does)
 * or the expectation fails.
 */
export const SETTLE_SCRIPT = `${NOW}
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
if ARGV[7] ~= '' then
  if record.state ~= ARGV[7] then
    return false
  end
  local settled = record.settledAt
  if ARGV[8] == '' then
    if settled ~= nil and settled ~= cjson.null then
      return false
    end
  elseif type(settled) ~= 'number' or settled ~= tonumber(ARGV[8]) then
    return false
  end
end
record.replaced = nil
record.state = ARGV[2]
record.settledAt = now
local keepFor = nil
if ARGV[3] ~= '' then
  keepFor = tonumber(ARGV[3])
end
if keepFor then
  record.expiresAt = now + keepFor
else
  record.expiresAt = nil
end
if ARGV[4] == '1' then
  record.reason = ARGV[5]
end
if ARGV[6] == 'true' then
  record.marked = true
elseif ARGV[6] == 'false' then
  record.marked = false
end
local out = cjson.encode(record)
redis.call('SET', KEYS[1], out)
if keepFor then
  redis.call('PEXPIREAT', KEYS[1], math.ceil(record.expiresAt))
end
return out
`;

/**
 * KEYS[1]: the key. ARGV: intent id. Returns 1 when it released (restored or deleted), else 0. A
 * restored record expires at its own `expiresAt`, which its settle computed on Redis's clock, so
 * `PEXPIREAT` gives it exactly the time it had left (none, if it expired meanwhile).
 */
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
