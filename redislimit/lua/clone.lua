-- clone: count one program clone against the day's budget, or give one back.
-- KEYS: daily. ARGV: fixed now (0: TIME), clones per day, day to give back
-- to ('' to take one).
-- Returns {taken (1 or 0), clones today, day, reset ms}.
local daily = KEYS[1]
local now = now_ms(ARGV[1])
local budget = tonumber(ARGV[2])
local day, reset = roll_day(daily, now)
local clones = tonumber(redis.call('HGET', daily, 'clones'))
if ARGV[3] ~= '' then
  -- A clone reserved on a day that is over is not given back to today.
  if ARGV[3] == day and clones > 0 then
    clones = redis.call('HINCRBY', daily, 'clones', -1)
  end
  return {1, clones, day, reset}
end
if clones >= budget then
  return {0, clones, day, reset}
end
clones = redis.call('HINCRBY', daily, 'clones', 1)
return {1, clones, day, reset}
