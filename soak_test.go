package marketo_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// soakWorkers goroutines share one client in TestSoak.
const soakWorkers = 64

// TestSoak has 64 goroutines make ScheduleCampaign calls through one client
// against the fake, with Marketo's limit of 10 calls in flight on both
// sides (the client's Limiter and the fake) and the rate and daily limits
// raised on both so that they cannot trip. Every call must succeed at its
// first attempt (retries are off, so a limit fault would be an error), each
// must run its campaign exactly once, and once the client's idle
// connections and the fake are closed no goroutine may be left.
//
// By default each goroutine makes 20 calls, so that `go test ./...` and
// `go test -race ./...` stay fast. The full soak, 64 × 1,000 calls, runs with
//
//	MARKETO_SOAK=1 go test -run '^TestSoak$' -count=1 -v .
//
// It is skipped under -short. It does not run in parallel with other tests,
// so that the goroutine check sees only its own goroutines.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped under -short")
	}
	perWorker := 20
	if os.Getenv("MARKETO_SOAK") == "1" {
		perWorker = 1000
	}
	total := soakWorkers * perWorker
	before := goleak.IgnoreCurrent()

	fake := marketotest.NewServer(marketotest.WithLimits(marketotest.Limits{
		CallsPerWindow: 2 * total, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 2 * total, DailyClones: 10,
	}))
	closeFake := sync.OnceFunc(fake.Close)
	t.Cleanup(closeFake)
	lim, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: 2 * total, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 2 * total})
	require.NoError(t, err)
	c, err := marketo.NewClient(fake.Config(), marketo.WithLimiter(lim), marketo.WithoutRetries())
	require.NoError(t, err)

	start := time.Now()
	errs := make(chan error, total)
	var wg sync.WaitGroup
	for w := range soakWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				p := runNowParams()
				p.Tokens = []marketo.Token{{Name: "{{my.message}}", Value: fmt.Sprintf("soak-%02d-%04d", w, i)}}
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				_, err := c.ScheduleCampaign(ctx, p)
				cancel()
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	elapsed := time.Since(start)
	n := 0
	for err := range errs {
		if n++; n <= 5 {
			t.Errorf("call failed: %v", err)
		}
	}
	require.Zero(t, n, "failed calls")

	runs := fake.Runs()
	seen := make(map[string]int, len(runs))
	for _, r := range runs {
		seen[r.CallTokens["{{my.message}}"]]++
	}
	assert.Len(t, runs, total, "one run per call")
	assert.Len(t, seen, total, "every call ran its own campaign once")
	assert.Equal(t, total, fake.Usage().CallsToday)
	t.Logf("%d calls by %d goroutines in %v (%.0f calls/s)", total, soakWorkers, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds())

	c.CloseIdleConnections()
	closeFake()
	goleak.VerifyNone(t, before)
}
