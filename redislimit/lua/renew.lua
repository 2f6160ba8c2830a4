-- renew: extend the leases of calls still running.
-- KEYS: window, leases, marker. ARGV: fixed now (0: TIME), window ms,
-- calls per window, max in flight, lease ms, returning (as acquire's),
-- ids...
-- Returns {epoch ms, ids...}: the ids whose lease was missing. Each is a
-- call that still runs, so its lease and window entry are made again; if
-- the epoch is the one its process knew, the lease had expired and its
-- slot may have gone to another call meanwhile.
local window, leases, marker = KEYS[1], KEYS[2], KEYS[3]
local now = now_ms(ARGV[1])
local span, calls, max_in_flight, lease = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local epoch = check_epoch(marker, now, span, lease, calls, max_in_flight)
hold_through_pause(marker, leases, window, now, lease, span)
if ARGV[6] == '1' then
  assume_full(marker, now, span, lease, calls, max_in_flight)
end
local out = {epoch}
for i = 7, #ARGV do
  local id = ARGV[i]
  if not redis.call('ZSCORE', leases, id) then
    out[#out + 1] = id
  end
  redis.call('ZADD', leases, now + lease, id)
  redis.call('ZADD', window, now + lease + span, id)
end
keep_keys(leases, window, lease, span)
return out
