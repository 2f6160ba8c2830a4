package marketo

import (
	"context"
	"math"
	"testing"
	"time"
)

// benchLoopClient is a SOAP client whose Limiter keeps its books without
// ever making a call wait, for measuring the call loop alone.
func benchLoopClient(b *testing.B, opts ...Option) *Client {
	l, err := NewLimiter(LimiterConfig{CallsPerWindow: 100, Window: time.Nanosecond, MaxInFlight: 10, DailyQuota: math.MaxInt})
	if err != nil {
		b.Fatal(err)
	}
	c, err := NewClient(Config{Endpoint: "https://123-ABC-456.mktoapi.com/soap/mktows/2_9", UserID: "bigcorp1_461839624B16E06BA2D663",
		EncryptionKey: "899756834129871744AAEE88DDCC77CDEEDEC1AAAD66"}, append([]Option{WithLimiter(l)}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkCallLoop is the call loop around an attempt that succeeds at
// once, without HTTP: the limiter, the attempt and the bookkeeping, and
// nothing else. Without an Observer it is what every call pays for the
// hooks.
func BenchmarkCallLoop(b *testing.B) {
	c := benchLoopClient(b)
	ok := func(context.Context) attemptResult { return attemptResult{sent: true, status: 200} }
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.call(ctx, opScheduleCampaign, callSettings{}, ok); err != nil {
			b.Fatal(err)
		}
	}
}
