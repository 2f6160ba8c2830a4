package marketo_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// slotCounter counts the slots a Limiter hands out.
type slotCounter struct {
	*marketo.Limiter
	acquired atomic.Int64
}

func (l *slotCounter) Acquire(ctx context.Context) (func(), error) {
	done, err := l.Limiter.Acquire(ctx)
	if err == nil {
		l.acquired.Add(1)
	}
	return done, err
}

// TestRESTLookupsTakeLimiterSlotsWithoutDeadlock: with one call in flight
// allowed, operations that look names up before they change the tenant
// (campaign, lead, list and field lookups, a token refused on use) all
// finish: no call holds a slot while it waits for another. Marketo never
// sees two requests at once, identity requests included, and every request
// takes a slot of its own but the resend after a refused token, which
// takes the slot of the request Marketo refused.
func TestRESTLookupsTakeLimiterSlotsWithoutDeadlock(t *testing.T) {
	t.Parallel()
	var inFlight, maxInFlight atomic.Int64
	track := func() func() {
		n := inFlight.Add(1)
		for m := maxInFlight.Load(); n > m && !maxInFlight.CompareAndSwap(m, n); m = maxInFlight.Load() {
		}
		return func() { inFlight.Add(-1) }
	}
	it := &importTenant{leads: map[string]int{"jane@example.com": 7}}
	campaigns := tenant(seedCampaigns, map[string]int{"jane@example.com": 7})
	var refused atomic.Bool
	stub := newRESTStubWith(t, func(s *restStub) {
		s.identity = func(w http.ResponseWriter, _ *http.Request) {
			defer track()()
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"limited-token:int","token_type":"bearer","expires_in":3599}`)
		}
		s.rest = func(i int, r *http.Request, body []byte) (int, string) {
			defer track()()
			if strings.HasSuffix(r.URL.Path, "/schedule.json") && refused.CompareAndSwap(false, true) {
				return 200, restErr(602, "Access token expired")
			}
			if strings.HasPrefix(r.URL.Path, "/rest/v1/campaigns") || r.URL.Path == "/rest/v1/leads.json" {
				return campaigns(i, r, body)
			}
			return it.serve(i, r, body)
		}
	})
	l, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: 10000, Window: time.Second, MaxInFlight: 1, DailyQuota: 100000})
	require.NoError(t, err)
	lim := &slotCounter{Limiter: l}
	c := stub.client(t, marketo.WithLimiter(lim))
	listOnly := importParams()
	listOnly.Mode = marketo.ImportModeListOnly

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a deadlock fails, not hangs
	defer cancel()
	calls := []func() error{
		func() error { _, err := c.ScheduleCampaign(ctx, runNowParams()); return err },
		func() error {
			_, err := c.RequestCampaign(ctx, marketo.RequestCampaignParams{Source: marketo.SourceMKTOWS,
				ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example",
				Leads: []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: "jane@example.com"}}})
			return err
		},
		func() error { _, err := c.ImportToList(ctx, importParams()); return err },
		func() error { _, err := c.ImportToList(ctx, listOnly); return err },
	}
	var wg sync.WaitGroup
	errs := make([]error, 2*len(calls))
	for i := range errs {
		wg.Go(func() { errs[i] = calls[i%len(calls)]() })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int64(1), maxInFlight.Load(), "Marketo saw requests at once")
	assert.True(t, refused.Load())
	assert.Equal(t, int64(len(stub.requests())-1), lim.acquired.Load(), "every request but the resend took a slot")
}

// TestRESTJSONBodiesOver1MBAreRefusedBeforeSending: Marketo refuses a JSON
// body over 1 MB with HTTP 413 after the whole of it arrived; the client
// refuses it first, naming Tokens, and sends nothing, not even the lookups
// that would come before it.
func TestRESTJSONBodiesOver1MBAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	big := []marketo.Token{{Name: "{{my.a}}", Value: strings.Repeat("a", 600_000)}, {Name: "{{my.b}}", Value: strings.Repeat("b", 600_000)}}
	calls := map[string]func(c *marketo.Client) error{
		"ScheduleCampaign": func(c *marketo.Client) error {
			p := runNowParams()
			p.Tokens = big
			_, err := c.ScheduleCampaign(context.Background(), p)
			return err
		},
		"RequestCampaign": func(c *marketo.Client) error {
			_, err := c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{Source: marketo.SourceMKTOWS,
				ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example", Tokens: big,
				Leads: []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: "jane@example.com"}}})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, tenant(seedCampaigns, map[string]int{"jane@example.com": 7}))
			err := call(stub.client(t))
			requireInvalid(t, err, name, map[string]string{"Tokens": "at most 1000000 bytes"}, "Tokens")
			assert.Empty(t, stub.requests())
			assert.Zero(t, stub.identityCalls.Load())
		})
	}
}
