package bench

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mktows/marketo"
)

// The REST answers of a tenant with one batch campaign, 1001.
const (
	restToken      = "cdf01657-110d-4155-99a7-f986b2ff13a0:int"
	restTokenJSON  = `{"access_token":"` + restToken + `","token_type":"bearer","expires_in":3599,"scope":"apis@bench"}`
	restCampaigns  = `{"requestId":"e42b#1","result":[{"id":1001,"name":"Batch Campaign Example","description":"","type":"batch","programName":"Trav-Demo-Program","programId":1,"workspaceName":"Default","active":true}],"success":true}`
	restScheduled  = `{"requestId":"52b#161d90e1743","result":[{"id":1001}],"success":true}`
	restSchedule   = "/rest/v1/campaigns/1001/schedule.json"
	restClientID   = "3f2b6c1e-ab12-4d5e-9f00-1234567890ab"
	restSecret     = "bench-client-secret"
	restJSONHeader = "application/json;charset=UTF-8"
)

// newRESTBenchServer is a loopback REST tenant: the identity endpoint, the
// campaign list and schedule.json, each read to its end and answered with
// Marketo's documented success.
func newRESTBenchServer(tb testing.TB) *benchServer {
	tb.Helper()
	answers := map[string][]byte{
		"/identity/oauth/token":   []byte(restTokenJSON),
		"/rest/v1/campaigns.json": []byte(restCampaigns),
		restSchedule:              []byte(restScheduled),
	}
	return startBenchServer(tb, restJSONHeader, func(r *http.Request) ([]byte, bool) {
		answer, ok := answers[r.URL.Path]
		return answer, ok
	})
}

// prebuiltScheduleJSON is the body the SDK sends for scheduleParams, taken
// from its wire trace: the floor sends these bytes as they are.
func prebuiltScheduleJSON(tb testing.TB, srv *benchServer) []byte {
	tb.Helper()
	var trace bytes.Buffer
	c, err := marketo.NewRESTClient(restConfig(srv), marketo.WithWireTrace(&trace))
	if err != nil {
		tb.Fatal(err)
	}
	defer c.CloseIdleConnections()
	if _, err := c.ScheduleCampaign(context.Background(), scheduleParams()); err != nil {
		tb.Fatal(err)
	}
	// The trace holds "> POST url\nheaders\n\nbody\n\n< answer…" for each request.
	_, rest, ok := strings.Cut(trace.String(), "> POST "+srv.URL+restSchedule+"\n")
	if !ok {
		tb.Fatal("no schedule request in the wire trace")
	}
	_, rest, _ = strings.Cut(rest, "\n\n")
	body, _, ok := strings.Cut(rest, "\n\n< ")
	if !ok {
		tb.Fatal("no answer in the wire trace")
	}
	return []byte(body)
}

func restConfig(srv *benchServer) marketo.RESTConfig {
	return marketo.RESTConfig{Endpoint: srv.URL + "/rest", ClientID: restClientID, ClientSecret: restSecret}
}

var restSuccess = []byte(`"success":true`)

// restFloorCall POSTs a pre-built schedule.json body with a bearer token
// and reads and checks the answer: the least any REST client must do.
func restFloorCall(ctx context.Context, hc *http.Client, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+restToken)
	return sendAndCheck(hc, req, restSuccess)
}

// BenchmarkRESTScheduleCampaign compares one REST ScheduleCampaign (run now,
// five My Tokens, the campaign named by program and campaign) with the
// access token and the campaign ID cached, against a raw net/http POST of
// the same JSON to the same server.
func BenchmarkRESTScheduleCampaign(b *testing.B) {
	srv := newRESTBenchServer(b)
	body := prebuiltScheduleJSON(b, srv)
	params := scheduleParams()

	b.Run("impl=floor", func(b *testing.B) {
		hc := keepAliveClient()
		defer hc.CloseIdleConnections()
		runModes(b, srv, true, func(ctx context.Context) error {
			return restFloorCall(ctx, hc, srv.URL+restSchedule, body)
		})
	})
	b.Run("impl=sdk", func(b *testing.B) {
		l, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: 100, Window: time.Nanosecond, MaxInFlight: 10, DailyQuota: math.MaxInt})
		if err != nil {
			b.Fatal(err)
		}
		c, err := marketo.NewRESTClient(restConfig(srv), marketo.WithLimiter(l))
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseIdleConnections()
		// runModes' warm-up call fetches the token and looks the campaign
		// up; the measured calls find both cached.
		runModes(b, srv, true, func(ctx context.Context) error {
			_, err := c.ScheduleCampaign(ctx, params)
			return err
		})
	})
}
