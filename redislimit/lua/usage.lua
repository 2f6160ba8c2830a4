-- usage: the tenant's counters, for operators. Reads only.
-- KEYS: window, leases, daily. ARGV: fixed now (0: TIME).
-- Returns {in flight, in window, calls today, clones today, day}.
local window, leases, daily = KEYS[1], KEYS[2], KEYS[3]
local now = now_ms(ARGV[1])
local day = central_day(now)
local calls, clones = 0, 0
if redis.call('HGET', daily, 'day') == day then
  calls = tonumber(redis.call('HGET', daily, 'calls'))
  clones = tonumber(redis.call('HGET', daily, 'clones'))
end
return {redis.call('ZCOUNT', leases, '(' .. now, '+inf'), redis.call('ZCOUNT', window, '(' .. now, '+inf'), calls, clones, day}
