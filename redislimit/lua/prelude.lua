-- Shared by every script: the time on Redis's clock and Marketo's day.
-- Times are milliseconds since the Unix epoch, to the microsecond: they
-- stay below 2^53 microseconds, so a double holds them exactly enough, and
-- Redis passes them on in the shortest form that reads back the same. A
-- reply truncates them to whole milliseconds; waits are rounded up.

-- now returns ARGV[i] when a test fixed the time, else Redis's TIME.
local function now_ms(arg)
  local fixed = tonumber(arg)
  if fixed and fixed > 0 then
    return fixed
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end

-- civil returns the year, month and day of a count of days since 1970-01-01
-- (proleptic Gregorian; Howard Hinnant's civil_from_days).
local function civil(days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then
    y = y + 1
  end
  return y, m, d
end

-- days_from_civil is civil's inverse.
local function days_from_civil(y, m, d)
  if m <= 2 then
    y = y - 1
  end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = m > 2 and m - 3 or m + 9
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- nth_sunday returns the day number of the nth Sunday of month m in year y
-- (1970-01-01 was a Thursday).
local function nth_sunday(y, m, n)
  local first = days_from_civil(y, m, 1)
  return first + (7 - (first + 4) % 7) % 7 + 7 * (n - 1)
end

-- central_offset returns US Central time's offset from UTC, in seconds, at
-- Unix second s: CDT from the second Sunday of March at 02:00 CST to the first
-- Sunday of November at 02:00 CDT (the rules since 2007), CST otherwise.
local function central_offset(s)
  local y = civil(math.floor(s / 86400))
  local from = nth_sunday(y, 3, 2) * 86400 + 8 * 3600
  local to = nth_sunday(y, 11, 1) * 86400 + 7 * 3600
  if s >= from and s < to then
    return -5 * 3600
  end
  return -6 * 3600
end

-- central_day names the US Central day of the instant ms, the day Marketo's
-- daily limits count in, and returns the millisecond its next day starts.
local function central_day(ms)
  local s = math.floor(ms / 1000)
  local today = math.floor((s + central_offset(s)) / 86400)
  local y, m, d = civil(today)
  -- Midnight is 05:00 or 06:00 UTC, before any change of offset that day.
  local reset = (today + 1) * 86400 - central_offset((today + 1) * 86400 + 6 * 3600)
  return string.format('%04d-%02d-%02d', y, m, d), reset * 1000
end

-- roll_day starts the day's counters afresh in the hash daily when the
-- day they count is over, and returns the day and when it ends.
local function roll_day(daily, now)
  local day, reset = central_day(now)
  if redis.call('HGET', daily, 'day') ~= day then
    redis.call('DEL', daily)
    redis.call('HSET', daily, 'day', day, 'calls', 0, 'clones', 0)
  end
  -- Kept a day past its reset, so a quiet tenant's keys go away.
  redis.call('PEXPIRE', daily, math.ceil(reset - now) + 86400000)
  return day, reset
end

-- The epoch: the hash marker names the Redis run (INFO's run_id) that has
-- kept the tenant's counts without a gap. A run that does not find its own
-- name there cannot know what the fleet sent: it restarted (empty, or from
-- a snapshot or log that may miss the last writes), a replica took over,
-- or the tenant is new to it. It then assumes the window and the in-flight
-- slots were full, until they provably are not (assume_full).

-- assume_full records in marker that, from the instant base, every
-- in-flight slot was taken by a call that ends within one lease and counts
-- in the window one span more, and the rest of the window by calls that
-- count until base + span. Later assumptions only extend earlier ones.
local function assume_full(marker, base, span, lease, calls, max_in_flight)
  local a = redis.call('HMGET', marker, 'run_until', 'full_until')
  local run_until = math.max(tonumber(a[1]) or 0, base + lease)
  local full_until = math.max(tonumber(a[2]) or 0, base + span)
  redis.call('HSET', marker, 'run_until', run_until, 'run_n', max_in_flight, 'run_counts_until', run_until + span,
    'full_until', full_until, 'full_n', math.max(0, calls - max_in_flight))
end

-- check_epoch assumes the counts full when this Redis run has not kept them
-- all along, and returns the epoch: when the current run started keeping
-- them. Without a marker (a Redis restarted empty, or a tenant new to it),
-- calls counted before this Redis started count at most one span and one
-- lease after its start; with another run's marker (a restart from a
-- snapshot or a log, a failover), the writes lost are the last ones, of an
-- instant not known, so the assumption starts now.
local function check_epoch(marker, now, span, lease, calls, max_in_flight)
  local info = redis.call('INFO', 'server')
  local run = string.match(info, 'run_id:(%x+)')
  local seen = redis.call('HMGET', marker, 'run', 'since')
  if seen[1] == run then
    return tonumber(seen[2])
  end
  local base = now
  if not seen[1] then
    -- uptime is the difference of two whole-second clocks, so the start
    -- was less than a second either side of now - uptime: the later bound
    -- makes the assumption last longer, never shorter.
    local up = tonumber(string.match(info, 'uptime_in_seconds:(%d+)'))
    base = now - math.max(0, up - 1) * 1000
  end
  if base + lease + span > now then
    assume_full(marker, base, span, lease, calls, max_in_flight)
  end
  redis.call('HSET', marker, 'run', run, 'since', now)
  return now
end

-- assumed returns the calls assume_full left in flight and in the window
-- at now, and when each of those counts next drops (0: it is zero).
local function assumed(marker, now)
  local a = redis.call('HMGET', marker, 'run_until', 'run_n', 'run_counts_until', 'full_until', 'full_n')
  local run_until, run_n = tonumber(a[1]) or 0, tonumber(a[2]) or 0
  local run_counts_until, full_until, full_n = tonumber(a[3]) or 0, tonumber(a[4]) or 0, tonumber(a[5]) or 0
  local running, counted, running_drops, counted_drops = 0, 0, 0, 0
  if run_until > now then
    running, running_drops = run_n, run_until
  end
  if run_counts_until > now then
    counted, counted_drops = run_n, run_counts_until
  end
  if full_until > now then
    counted, counted_drops = counted + full_n, full_until
  end
  return running, counted, running_drops, counted_drops
end

-- earliest returns the earlier of two instants, 0 meaning none.
local function earliest(a, b)
  if a == 0 then
    return b
  end
  if b == 0 then
    return a
  end
  return math.min(a, b)
end

-- Pauses of Redis. A lease expires on Redis's clock, which runs on while
-- Redis answers no one (stopped, paused, or cut off from the whole fleet):
-- a live process cannot renew then, and when Redis answers again, a call
-- of another process could take an expired lease's slot before the
-- renewal lands. So the scripts note in marker the instant each ran
-- ('beat'). Processes holding leases renew them every sixth of a lease,
-- and a process waiting for a slot asks at least as often, so while Redis
-- answers and a live lease exists, scripts run less than half a lease
-- apart (a round trip takes less than RedisTimeout, at most a third of a
-- lease). A longer gap is a pause of Redis, or a fleet whose every
-- lease holder died (or went quiet) meanwhile: the leases that had not
-- expired when it began are kept one lease from its end, the time their
-- live holders need to renew them. A lease that expired while scripts
-- still ran, less than half a lease apart, is a dead process's.
local function hold_through_pause(marker, leases, window, now, lease, span)
  local beat = tonumber(redis.call('HGET', marker, 'beat'))
  redis.call('HSET', marker, 'beat', now)
  if not beat or now - beat <= lease / 2 then
    return
  end
  local held = redis.call('ZRANGEBYSCORE', leases, '(' .. beat, '+inf')
  for _, id in ipairs(held) do
    redis.call('ZADD', leases, now + lease, id)
    -- A running call counts in the window until one span after its lease.
    local counts = tonumber(redis.call('ZSCORE', window, id)) or 0
    if counts < now + lease + span then
      redis.call('ZADD', window, now + lease + span, id)
    end
  end
end

-- keep_keys sets how long the leases and window keys outlive the last
-- script: a day, so a pause of Redis up to a day finds the leases it must
-- keep, and a quiet tenant's keys still go away.
local function keep_keys(leases, window, lease, span)
  redis.call('PEXPIRE', leases, lease + span + 86400000)
  redis.call('PEXPIRE', window, lease + span + 86400000)
end
