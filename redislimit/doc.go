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
//     from its start until one Window after its done (to the microsecond of
//     Redis's clock), and the window Marketo sees never holds more than
//     CallsPerWindow, whatever the latency. The cost is one latency per
//     Window of throughput (0.5% for a 100 ms call and a 20 s window).
//   - the leases: one per call in flight, renewed every LeaseTTL/6 until the
//     call's done, however long after the caller's context that comes (the
//     client calls done for a call it gave up on once Marketo has ended it).
//     A process that dies mid-call (kill -9, a lost machine) stops renewing,
//     and its slots come back within LeaseTTL.
//   - the day's calls and clones, keyed by Marketo's day (US Central), which
//     reset at its midnight, and Marketo's word (1020) that the day's clones
//     are spent, after which every process refuses the day's clones.
//
// A caller that must wait sleeps until the window has room or a call ends
// (Redis publishes each end), or at most LeaseTTL/6 (a heartbeat, below);
// its context ends the wait. In each process one waiter at a time asks
// Redis, for itself and the callers queued behind it: the calls the window
// has room for start in that one round trip.
//
// # When Redis is unreachable
//
// Every round trip is bounded by RedisTimeout; a connection Redis refuses
// is reported at once, in the dial's own words. If Redis does not answer, the
// Limiter either fails closed (the default): Acquire and ReserveClone return
// an *UnavailableError, nothing is sent, and Redis is asked again after
// RedisTimeout; or, with FallbackShare = N, it falls back to an in-process
// marketo.Limiter holding 1/N of the window, in-flight and daily limits, for
// N processes sharing the tenant. The fallback does not see the calls Redis
// counted, nor Redis the fallback's, so each switch assumes the other
// side's full: switching to the fallback, a process lets no call start for
// one Window and keeps its in-flight share taken while a call Redis let
// start may still run at Marketo (marketo.AbandonedCallHold, or LeaseTTL if
// longer); back on Redis, the first script of a process whose fallback let
// calls start makes Redis assume the tenant's window and slots full from
// then, as after a restart. A process cut off from a Redis the others still
// reach uses its share beside their full limits until it reaches Redis
// again. Clones are refused while Redis is unreachable in both modes: the
// day's count is in Redis, and a clone beyond the budget cannot be taken
// back.
//
// # When Redis pauses
//
// A lease expires on Redis's clock, which runs on while Redis answers no
// one (stopped, blocked, CLIENT PAUSE, cut off from the whole fleet): when
// it answers again, another process's call could take an expired lease's
// slot before the live holder's renewal lands. So each script notes its
// instant. While Redis answers and a live lease exists, scripts run less
// than LeaseTTL/2 apart (renewals and a waiting process's questions every
// LeaseTTL/6, a round trip within RedisTimeout, at most LeaseTTL/3); a
// longer gap is taken for a pause, and the leases still valid when it
// began are kept one LeaseTTL from its end, for their processes to renew
// (a failed renewal is tried again after RedisTimeout). A pause that lets
// a lease expire before its renewal lands is always longer than
// LeaseTTL/2. The cost: a process that dies holding slots while no other
// calls keeps them up to one LeaseTTL past the fleet's next call.
//
// # When Redis restarts or fails over
//
// Beside the counts, each tenant has a marker naming the Redis run
// (INFO's run_id) that has kept them without a gap. A script that finds
// another run's name, or none, assumes every in-flight slot taken for one
// LeaseTTL (live processes make their leases again at their next renewal)
// by calls counting in the window one Window more, and the rest of the
// window full for one Window: from the Redis's start when the tenant left
// no trace (restarted without persistence, or new to it), from the moment
// it notices when another run's marker survived (persistence, failover).
// The window and leases are never trusted across a restart; the day's
// calls and clones survive only with persistence (RDB, AOF), up to the last
// write saved: without it the day starts again from zero. Deleting the
// tenant's keys, or evicting them, on a running Redis is not detected: use
// the noeviction policy.
//
// # Sizing LeaseTTL
//
// LeaseTTL (default 10 s) is how long the slots of a dead process stay taken,
// so shorter frees them sooner. It must outlast the longest pause of a live
// process (a stop-the-world pause, a slow Redis round trip, a partition
// from a Redis the others reach): a lease that expires before it is renewed
// is dropped, its slot may go to another call, and Marketo may then see 11
// calls in flight. A pause of Redis itself is kept apart (above). Keep it at least 3 x
// RedisTimeout and well above your longest observed pause; seconds, not
// milliseconds.
//
// # Observability
//
// Stats reports this process's waits and calls; Usage reads the tenant's
// counters from Redis. With Config.Logger, each wait is logged at debug level
// with its reason. New routes the Redis client's own log lines
// (redis.SetLogger, process-wide) to the open Limiters' Loggers at debug
// level, so they never reach standard error.
package redislimit
