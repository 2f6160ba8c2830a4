-- clone: count one program clone against the day's budget, give one back,
-- or mark the day's budget spent.
-- KEYS: daily. ARGV: fixed now (0: TIME), clones per day, day of the
-- clone refused ('' to take one), why it was refused ('back': it did not
-- run; 'spent': Marketo said the day's clones are spent).
-- Returns {taken (1 or 0), clones today, day, reset ms, spent (1 or 0)}.
local daily = KEYS[1]
local now = now_ms(ARGV[1])
local budget = tonumber(ARGV[2])
local day, reset = roll_day(daily, now)
local clones = tonumber(redis.call('HGET', daily, 'clones'))
local spent = tonumber(redis.call('HGET', daily, 'spent')) or 0
if ARGV[3] ~= '' then
  -- A clone reserved on a day that is over changes nothing today.
  if ARGV[3] == day and ARGV[4] == 'spent' then
    redis.call('HSET', daily, 'spent', 1)
    spent = 1
  elseif ARGV[3] == day and clones > 0 then
    clones = redis.call('HINCRBY', daily, 'clones', -1)
  end
  return {1, clones, day, reset, spent}
end
if spent == 1 or clones >= budget then
  return {0, clones, day, reset, spent}
end
clones = redis.call('HINCRBY', daily, 'clones', 1)
return {1, clones, day, reset, spent}
