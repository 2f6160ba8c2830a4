-- release: a call's answer arrived (or it failed): free its slot, count it
-- in the window for one window from its end, and wake the waiters.
-- KEYS: window, leases, marker. ARGV: id, fixed now (0: TIME), window ms, lease ms,
-- channel, ms since the call ended (by the caller's clock, before it sent
-- this script: Redis's now, later, minus it is no earlier than the end),
-- unused (1: the call never started, and leaves the window).
local window, leases, marker = KEYS[1], KEYS[2], KEYS[3]
local id = ARGV[1]
local now = now_ms(ARGV[2])
local span, lease = tonumber(ARGV[3]), tonumber(ARGV[4])
-- The other calls' leases, if Redis paused, before this script's beat.
hold_through_pause(marker, leases, window, now, lease, span)
local ended = now - math.max(0, math.min(tonumber(ARGV[6]) or 0, lease))
redis.call('ZREM', leases, id)
if ARGV[7] == '1' then
  redis.call('ZREM', window, id)
  redis.call('PUBLISH', ARGV[5], id)
  return 1
end
-- + 1 us: TIME is truncated to the microsecond, the end was not.
redis.call('ZADD', window, ended + 0.001 + span, id)
keep_keys(leases, window, lease, span)
redis.call('PUBLISH', ARGV[5], id)
return 1
