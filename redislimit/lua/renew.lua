-- renew: extend the leases of calls still running.
-- KEYS: window, leases. ARGV: fixed now (0: TIME), window ms, lease ms, ids...
-- Returns the ids whose lease had already been dropped: their slots may have
-- been handed to other calls.
local window, leases = KEYS[1], KEYS[2]
local now = now_ms(ARGV[1])
local span, lease = tonumber(ARGV[2]), tonumber(ARGV[3])
local lost = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  if redis.call('ZSCORE', leases, id) then
    redis.call('ZADD', leases, now + lease, id)
    redis.call('ZADD', window, now + lease + span, id)
  else
    lost[#lost + 1] = id
  end
end
redis.call('PEXPIRE', leases, lease + span + 1000)
redis.call('PEXPIRE', window, lease + span + 1000)
return lost
