-- Shared by every script: the time on Redis's clock and Marketo's day.
-- Times are whole milliseconds since the Unix epoch: they stay below 2^53
-- and print exactly when Lua turns them into arguments.

-- now returns ARGV[i] when a test fixed the time, else Redis's TIME.
local function now_ms(arg)
  local fixed = tonumber(arg)
  if fixed and fixed > 0 then
    return fixed
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
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
    redis.call('HSET', daily, 'day', day, 'calls', 0, 'clones', 0)
  end
  -- Kept a day past its reset, so a quiet tenant's keys go away.
  redis.call('PEXPIRE', daily, reset - now + 86400000)
  return day, reset
end
