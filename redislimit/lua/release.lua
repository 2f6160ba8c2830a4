-- release: a call's answer arrived (or it failed): free its slot, count it
-- in the window for one window from now, and wake the waiters.
-- KEYS: window, leases. ARGV: id, fixed now (0: TIME), window ms, lease ms,
-- channel.
local window, leases = KEYS[1], KEYS[2]
local id = ARGV[1]
local now = now_ms(ARGV[2])
local span, lease = tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREM', leases, id)
-- +1: now is truncated to the millisecond, the arrival was not.
redis.call('ZADD', window, now + 1 + span, id)
redis.call('PEXPIRE', window, lease + span + 1000)
redis.call('PUBLISH', ARGV[5], id)
return 1
