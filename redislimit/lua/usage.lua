-- usage: the tenant's counters, for operators. Reads only.
-- KEYS: window, leases, daily, marker. ARGV: fixed now (0: TIME), lease ms.
-- Returns {in flight, in window, calls today, clones today, day, clones
-- spent (1 or 0)}. In flight and in window include the calls assumed after
-- a gap in the counts.
local window, leases, daily, marker = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = now_ms(ARGV[1])
local day = central_day(now)
local calls, clones, spent = 0, 0, 0
if redis.call('HGET', daily, 'day') == day then
  calls = tonumber(redis.call('HGET', daily, 'calls'))
  clones = tonumber(redis.call('HGET', daily, 'clones'))
  spent = tonumber(redis.call('HGET', daily, 'spent')) or 0
end
local more_running, more_counted = assumed(marker, now)
-- After a pause of Redis no other script has seen yet, the leases it
-- interrupted are still held (hold_through_pause).
local valid_after = now
local beat = tonumber(redis.call('HGET', marker, 'beat'))
if beat and now - beat > tonumber(ARGV[2]) / 2 then
  valid_after = math.min(now, beat)
end
return {redis.call('ZCOUNT', leases, '(' .. valid_after, '+inf') + more_running,
  redis.call('ZCOUNT', window, '(' .. now, '+inf') + more_counted, calls, clones, day, spent}
