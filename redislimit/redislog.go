package redislimit

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// The Redis client prints lines of its own to standard error (a failed
// dial, for one), which a Limiter already reports in its errors and its
// Logger's warnings. While a Limiter is open, those lines go to the
// Logger of each open Limiter at debug level instead. redis.SetLogger is
// process-wide: a logger set with it before New is replaced; one set after
// New stays.
var redisLog = struct {
	once sync.Once
	mu   sync.Mutex
	to   map[*Limiter]struct{}
}{to: map[*Limiter]struct{}{}}

// routeRedisLog sends the Redis client's log lines to l's Logger until l
// closes.
func routeRedisLog(l *Limiter) {
	redisLog.once.Do(func() { redis.SetLogger(redisLogger{}) })
	redisLog.mu.Lock()
	defer redisLog.mu.Unlock()
	redisLog.to[l] = struct{}{}
}

// unrouteRedisLog stops sending the Redis client's log lines to l.
func unrouteRedisLog(l *Limiter) {
	redisLog.mu.Lock()
	defer redisLog.mu.Unlock()
	delete(redisLog.to, l)
}

// redisLogger forwards the Redis client's lines to the open Limiters'
// Loggers, at debug level; with none open, a line goes nowhere.
type redisLogger struct{}

func (redisLogger) Printf(ctx context.Context, format string, v ...any) {
	redisLog.mu.Lock()
	defer redisLog.mu.Unlock()
	if len(redisLog.to) == 0 {
		return
	}
	line := strings.TrimSpace(fmt.Sprintf(format, v...))
	for l := range redisLog.to {
		l.cfg.Logger.DebugContext(ctx, "marketo limiter: Redis client", "tenant", l.cfg.Tenant, "line", line)
	}
}
