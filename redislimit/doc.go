// Package redislimit keeps one Marketo tenant's limits across every process
// that calls it, on Redis.
//
// Marketo's limits are per tenant: 100 calls in any 20 seconds, 10 calls in
// flight, a daily call quota and a daily budget of program clones, shared by
// every replica, cron job and tool using the tenant. marketo.Limiter keeps
// one process within them; a Limiter from this package keeps all of them
// within them together, when each process creates one with the same Tenant
// on the same Redis and hands it to marketo.WithLimiter:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	lim, err := redislimit.New(rdb, redislimit.Config{Tenant: "123-ABC-456"})
//	if err != nil { ... }
//	defer lim.Close()
//	client, err := marketo.NewClient(cfg, marketo.WithLimiter(lim))
//
// # How it decides
//
// Each decision is one round trip running a Lua script, so decisions of
// different processes never interleave. Redis's clock (TIME) decides, not the
// callers', so processes with skewed clocks agree. The script keeps:
//
//   - the window: every call started in the last Window, and every call still
//     running. Marketo counts a call when it arrives, which the client cannot
//     see; it arrives after it starts and before its answer. So a call counts
//     from its start until one Window after its answer arrived, and the
//     window Marketo sees never holds more than CallsPerWindow, whatever the
//     latency. The cost is one latency per Window of throughput (0.5% for a
//     100 ms call and a 20 s window).
//   - the leases: one per call in flight, renewed every LeaseTTL/3 while the
//     call runs. A process that dies mid-call (kill -9, a lost machine) stops
//     renewing, and its slots come back within LeaseTTL.
//   - the day's calls and clones, keyed by Marketo's day (US Central), which
//     reset at its midnight.
//
// A caller that must wait sleeps until the window has room or a call ends
// (Redis publishes each end), never polling; its context ends the wait. In
// each process one waiter at a time asks Redis, the others queue behind it.
//
// # When Redis is unreachable
//
// Every round trip is bounded by RedisTimeout. If Redis does not answer, the
// Limiter either fails closed (the default): Acquire and ReserveClone return
// an *UnavailableError, nothing is sent, and Redis is asked again after
// RedisTimeout; or, with FallbackShare = N, it falls back to an in-process
// marketo.Limiter holding 1/N of the window, in-flight and daily limits, for
// N processes sharing the tenant. The fallback does not see the calls Redis
// counted, nor Redis the fallback's: for one Window after a process switches
// to the fallback or back, the calls may add up to the limits plus one share
// per switching process. Clones are refused while Redis is unreachable in
// both modes: the day's count is in Redis, and a clone beyond the budget
// cannot be taken back. Redis forgets the counters if it restarts without
// persistence; the window refills within one Window.
//
// # Sizing LeaseTTL
//
// LeaseTTL (default 10 s) is how long the slots of a dead process stay taken,
// so shorter frees them sooner. It must outlast the longest pause of a live
// process (a stop-the-world pause, a slow Redis round trip): a lease that
// expires before it is renewed is dropped, its slot may go to another call,
// and Marketo may then see 11 calls in flight. Keep it at least 3 x
// RedisTimeout and well above your longest observed pause; seconds, not
// milliseconds.
//
// # Observability
//
// Stats reports this process's waits and calls; Usage reads the tenant's
// counters from Redis. With Config.Logger, each wait is logged at debug level
// with its reason.
package redislimit
