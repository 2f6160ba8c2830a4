package redislimit

import (
	"context"
	"net"
	"sync"

	"github.com/redis/go-redis/v9"
)

// dialWatch is a Redis client hook that tells the Limiter at once when a
// connection to Redis cannot be made (nothing listening, no route). The
// Redis client would retry the dial until RedisTimeout ended the round
// trip, which would then report only that no answer came in time; the
// dial's own error says what is wrong. The Redis client dials in a
// goroutine of its own, without the round trip's context, so the hook
// tells every round trip under way.
type dialWatch struct {
	mu     sync.Mutex
	failed chan struct{} // closed, and replaced, when a dial fails
	err    error         // the last dial error
}

func newDialWatch() *dialWatch { return &dialWatch{failed: make(chan struct{})} }

// next returns the channel the next dial failure closes. A round trip takes
// it before it starts.
func (w *dialWatch) next() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failed
}

// lastErr is the error of the last dial that failed.
func (w *dialWatch) lastErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *dialWatch) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.err = err
	close(w.failed)
	w.failed = make(chan struct{})
}

func (w *dialWatch) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := next(ctx, network, addr)
		if err != nil {
			w.fail(err)
		}
		return conn, err
	}
}

func (w *dialWatch) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

func (w *dialWatch) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
