package redislimit

import (
	"context"
	"time"
)

// renewLeases renews this process's leases every LeaseTTL/3 until ctx ends,
// so a running call keeps its slot however long it runs, and a process that
// dies gives its slots back within LeaseTTL.
func (l *Limiter) renewLeases(ctx context.Context) {
	defer l.wg.Done()
	t := time.NewTicker(l.cfg.LeaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.renew(ctx)
		}
	}
}

func (l *Limiter) renew(ctx context.Context) {
	l.mu.Lock()
	args := make([]any, 0, 3+len(l.leases))
	args = append(args, l.nowArg(), ms(l.cfg.Window), ms(l.cfg.LeaseTTL))
	for id := range l.leases {
		args = append(args, id)
	}
	l.mu.Unlock()
	if len(args) == 3 {
		return
	}
	lost, err := bounded(ctx, l.cfg.RedisTimeout, func(rctx context.Context) ([]string, error) {
		return renewScript.Run(rctx, l.rdb, []string{l.keys.window, l.keys.leases}, args...).StringSlice()
	}, nil)
	if err != nil {
		if ctx.Err() == nil {
			l.redisFailed(ctx, "renew", err)
		}
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range lost {
		if _, running := l.leases[id]; !running {
			continue // it ended while the renewal was on its way
		}
		l.stats.leasesLost.Add(1)
		l.cfg.Logger.WarnContext(ctx, "marketo limiter: a running call's lease expired before it was renewed; raise LeaseTTL",
			"tenant", l.cfg.Tenant, "lease", id, "lease_ttl", l.cfg.LeaseTTL)
	}
}

// listen wakes this process's waiter whenever a call of any process ends,
// until ctx ends. The Redis client resubscribes after a lost connection;
// ends published meanwhile are missed, and the waiter wakes at its timer.
func (l *Limiter) listen(ctx context.Context) {
	defer l.wg.Done()
	sub := l.rdb.Subscribe(ctx, l.keys.channel)
	defer func() { _ = sub.Close() }()
	ch := sub.Channel()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ch:
			if !ok {
				return
			}
			l.broadcast()
		}
	}
}
