-- acquire: let one call start, or say why and how long to wait.
-- KEYS: window (zset id -> ms the call stops counting), leases (zset id ->
-- ms the lease expires), daily (hash day, calls, clones, spent), marker
-- (hash: the epoch, the calls assumed after a gap in the counts, and the
-- last script's instant).
-- ARGV: id, fixed now (0: TIME), window ms, calls per window, max in
-- flight, lease ms, daily quota, returning (1: the caller's process made
-- calls Redis did not count, under its fallback), wanted (calls to start
-- at most: the caller's and those of callers queued behind it, named id,
-- id/2, id/3...).
-- Returns {verdict, wait ms, in flight, in window, calls today, day, reset
-- ms, epoch ms, calls started} with verdict 0 started, 1 wait for a call in
-- flight to end, 2 wait for the window, 3 the daily quota is used up.
local window, leases, daily, marker = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id = ARGV[1]
local now = now_ms(ARGV[2])
local span, calls, max_in_flight = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local lease, quota = tonumber(ARGV[6]), tonumber(ARGV[7])

local epoch = check_epoch(marker, now, span, lease, calls, max_in_flight)
hold_through_pause(marker, leases, window, now, lease, span)
if ARGV[8] == '1' then
  -- The fallback calls of this process, and of others still on theirs,
  -- are not in the window: assume it full from now.
  assume_full(marker, now, span, lease, calls, max_in_flight)
end
local day, reset = roll_day(daily, now)
local today = tonumber(redis.call('HGET', daily, 'calls'))
if today >= quota then
  return {3, math.ceil(reset - now), 0, 0, today, day, reset, epoch, 0}
end

-- A lease past its expiry is a call whose process stopped renewing it:
-- its slot is free. Its window entry stays until it expires on its own.
redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
redis.call('ZREMRANGEBYSCORE', window, '-inf', now)
local more_running, more_counted, running_drops, counted_drops = assumed(marker, now)
local running = redis.call('ZCARD', leases) + more_running
local counted = redis.call('ZCARD', window) + more_counted
if running >= max_in_flight then
  local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
  local free = earliest(tonumber(first[2]) or 0, running_drops)
  return {1, math.ceil(free - now), running, counted, today, day, reset, epoch, 0}
end
if counted >= calls then
  local first = redis.call('ZRANGE', window, 0, 0, 'WITHSCORES')
  local free = earliest(tonumber(first[2]) or 0, counted_drops)
  return {2, math.ceil(free - now), running, counted, today, day, reset, epoch, 0}
end

-- A running call counts in the window until its answer arrives (release
-- restamps it then): Marketo counts it when it arrives, which the client
-- cannot see, at the latest just before the answer.
local n = math.min(tonumber(ARGV[9]) or 1, max_in_flight - running, calls - counted, quota - today)
for i = 1, n do
  local call = id
  if i > 1 then
    call = id .. '/' .. i
  end
  redis.call('ZADD', leases, now + lease, call)
  redis.call('ZADD', window, now + lease + span, call)
end
keep_keys(leases, window, lease, span)
redis.call('HINCRBY', daily, 'calls', n)
return {0, 0, running + n, counted + n, today + n, day, reset, epoch, n}
