package marketo_test

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// Every failure of a REST call: what the error says, whether the call is
// repeated, and whether its outcome is left unknown.

func TestRESTBadCredentials(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	cfg := stub.config()
	cfg.ClientSecret = "wrong"
	c, err := marketo.NewRESTClient(cfg, fastRetries)
	require.NoError(t, err)
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.ErrorIs(t, err, marketo.ErrAuthenticationFailed)
	var ie *marketo.IdentityError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, http.StatusUnauthorized, ie.HTTPStatus)
	assert.Equal(t, "marketo: ScheduleCampaign: getting an access token: identity endpoint refused the client credentials (HTTP 401 unauthorized): Bad Client Credentials", err.Error())
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.False(t, oe.Sent)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	assert.Equal(t, int64(1), stub.identityCalls.Load(), "a refusal of the credentials is final")
	assert.Empty(t, stub.requests())
}

// TestRESTTokenRefusedOnUse: Marketo refuses the token (601 invalid, 602
// expired); the client gets one new token and sends the call once more,
// even without retries.
func TestRESTTokenRefusedOnUse(t *testing.T) {
	t.Parallel()
	for _, code := range []int{601, 602} {
		t.Run(marketo.Code(code).String(), func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, func(i int, r *http.Request, _ []byte) (int, string) {
				if i == 0 {
					return 200, restErr(code, "Access token expired")
				}
				return 200, restOK(`[{"id":1001}]`)
			})
			_, err := stub.client(t).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
			require.NoError(t, err)
			posts := stub.posts()
			require.Len(t, posts, 2)
			assert.Equal(t, "Bearer tok-1:int", posts[0].Auth)
			assert.Equal(t, "Bearer tok-2:int", posts[1].Auth)
			assert.Equal(t, posts[0].Body, posts[1].Body)
			assert.Equal(t, int64(2), stub.identityCalls.Load())
		})
	}
}

func TestRESTTokenRefusedTwiceIsFinal(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
		return 200, restErr(601, "Access token invalid")
	})
	_, err := stub.client(t, fastRetries).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, marketo.CodeAccessTokenInvalid, f.Code)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	assert.Len(t, stub.posts(), 2, "one refresh, one resend")
	assert.Equal(t, int64(2), stub.identityCalls.Load())
}

func TestRESTRateLimitBacksOff(t *testing.T) {
	t.Parallel()
	for _, code := range []int{606, 615, 608, 604, 614} {
		t.Run(marketo.Code(code).String(), func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, func(i int, _ *http.Request, _ []byte) (int, string) {
				if i < 2 {
					return 200, restErr(code, "Max rate limit '100' exceeded with in '20' secs")
				}
				return 200, restOK(`[{"id":1001}]`)
			})
			_, err := stub.client(t, fastRetries).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
			require.NoError(t, err)
			assert.Len(t, stub.posts(), 3)
			assert.Equal(t, int64(1), stub.identityCalls.Load())
		})
	}
}

func TestRESTRateLimitExhaustsTheRetries(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
		return 200, restErr(606, "Max rate limit '100' exceeded with in '20' secs")
	})
	_, err := stub.client(t, fastRetries).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.ErrorIs(t, err, marketo.ErrRateLimitExceeded)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 4, oe.Attempts)
}

// TestRESTSystemErrorIsRetriedOnce: Adobe says to retry a 611 at most once.
func TestRESTSystemErrorIsRetriedOnce(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
		return 200, restErr(611, "System error")
	})
	_, err := stub.client(t, fastRetries).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, marketo.CodeSystemError, f.Code)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown, "a 6xx did not run")
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 2, oe.Attempts, "the first attempt and one retry")
	assert.Len(t, stub.posts(), 2)

	recovered := newRESTStub(t, func(i int, _ *http.Request, _ []byte) (int, string) {
		if i == 0 {
			return 200, restErr(611, "System error")
		}
		return 200, restOK(`[{"id":1001}]`)
	})
	_, err = recovered.client(t, fastRetries).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.NoError(t, err)
}

func TestRESTDailyQuotaIsFinalWithTheResetTime(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
		return 200, restErr(607, "Daily quota reached")
	})
	now := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC) // 09:00 CST
	_, err := stub.client(t, fastRetries, marketo.WithClock(func() time.Time { return now })).
		ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.ErrorIs(t, err, marketo.ErrDailyQuotaExceeded)
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC), f.QuotaResetsAt.UTC())
	assert.Contains(t, err.Error(), "the daily quota resets at 2026-12-02T00:00:00-06:00")
	assert.Len(t, stub.posts(), 1)
}

// TestRESTCampaignNotFoundDropsTheCachedID: a 1013 for an ID found by a
// lookup in the same call is the caller's error, and the next call looks
// the name up again.
func TestRESTCampaignNotFoundDropsTheCachedID(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	scheduleAnswer := restErr(1013, "Campaign not found")
	stub := newRESTStub(t, func(_ int, r *http.Request, _ []byte) (int, string) {
		if r.URL.Path == "/rest/v1/campaigns.json" {
			return 200, seedCampaigns
		}
		mu.Lock()
		defer mu.Unlock()
		return 200, scheduleAnswer
	})
	c := stub.client(t)
	_, err := c.ScheduleCampaign(context.Background(), runNowParams())
	require.ErrorIs(t, err, marketo.ErrCampaignNotFound)
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, marketo.CodeObjectNotFound, f.Code)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)

	mu.Lock()
	scheduleAnswer = restOK(`[{"id":1001}]`)
	mu.Unlock()
	_, err = c.ScheduleCampaign(context.Background(), runNowParams())
	require.NoError(t, err)
	paths := pathsOf(stub.requests())
	assert.Equal(t, []string{
		"/rest/v1/campaigns.json", "/rest/v1/campaigns/1001/schedule.json",
		"/rest/v1/campaigns.json", "/rest/v1/campaigns/1001/schedule.json",
	}, paths)
}

// TestRESTStaleCachedIDIsLookedUpAgain: the campaign was deleted and
// created again under its name; the 1013 for the cached ID proves the
// schedule did not run, so the call looks the name up and schedules the
// new ID.
func TestRESTStaleCachedIDIsLookedUpAgain(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	currentID := "1001"
	stub := newRESTStub(t, func(_ int, r *http.Request, _ []byte) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/rest/v1/campaigns.json" {
			return 200, `{"success":true,"result":[{"id":` + currentID + `,"name":"Batch Campaign Example","programName":"Trav-Demo-Program"}]}`
		}
		if r.URL.Path != "/rest/v1/campaigns/"+currentID+"/schedule.json" {
			return 200, restErr(1013, "Campaign not found")
		}
		return 200, restOK(`[{"id":` + currentID + `}]`)
	})
	c := stub.client(t)
	_, err := c.ScheduleCampaign(context.Background(), runNowParams())
	require.NoError(t, err)
	mu.Lock()
	currentID = "1002"
	mu.Unlock()
	res, err := c.ScheduleCampaign(context.Background(), runNowParams())
	require.NoError(t, err)
	assert.Equal(t, 1002, res.CampaignID)
	assert.Equal(t, []string{
		"/rest/v1/campaigns.json", "/rest/v1/campaigns/1001/schedule.json",
		"/rest/v1/campaigns/1001/schedule.json", "/rest/v1/campaigns.json", "/rest/v1/campaigns/1002/schedule.json",
	}, pathsOf(stub.requests()))
}

func TestRESTCampaignLookupFailures(t *testing.T) {
	t.Parallel()
	t.Run("no match", func(t *testing.T) {
		t.Parallel()
		stub := newRESTStub(t, tenant(campaignsJSON(1, "Batch Campaign Example 2", "Trav-Demo-Program"), nil))
		_, err := stub.client(t).ScheduleCampaign(context.Background(), runNowParams())
		require.ErrorIs(t, err, marketo.ErrCampaignNotFound)
		assert.Equal(t, `marketo: ScheduleCampaign: no campaign named "Batch Campaign Example" in program "Trav-Demo-Program"`, err.Error())
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
		assert.Empty(t, stub.posts())
	})
	t.Run("ambiguous", func(t *testing.T) {
		t.Parallel()
		stub := newRESTStub(t, tenant(campaignsJSON(11, "Batch Campaign Example", "Trav-Demo-Program", 12, "Batch Campaign Example", "Trav-Demo-Program"), nil))
		_, err := stub.client(t).ScheduleCampaign(context.Background(), runNowParams())
		var le *marketo.CampaignLookupError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, []int{11, 12}, le.IDs)
		assert.Contains(t, err.Error(), "(IDs 11, 12)")
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		assert.Equal(t, 1, oe.Attempts, "one lookup")
		assert.NotErrorIs(t, err, marketo.ErrCampaignNotFound)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
		assert.Empty(t, stub.posts())
	})
	t.Run("lookup answer lost", func(t *testing.T) {
		t.Parallel()
		stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
			return 502, "<html><body><h1>502 Bad Gateway</h1></body></html>"
		})
		_, err := stub.client(t).ScheduleCampaign(context.Background(), runNowParams())
		var re *marketo.ResponseError
		require.ErrorAs(t, err, &re)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown, "nothing was scheduled")
		assert.Empty(t, stub.posts())
	})
}

// TestRESTAnswersThatAreNotEnvelopes: a schedule whose answer is not
// Marketo's JSON may have run; the error says so.
func TestRESTAnswersThatAreNotEnvelopes(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		status int
		body   string
		reason string
	}{
		"malformed JSON": {200, `{"requestId":"1","success":tru}`, "malformed JSON"},
		"HTML 502":       {502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "not a JSON object"},
		"truncated body": {200, `{"requestId":"1","result":[{"id":10`, "truncated JSON"},
		"empty body":     {200, "", "empty"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) { return tc.status, tc.body })
			_, err := stub.client(t, fastRetries).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, re.Reason, tc.reason)
			assert.Equal(t, tc.status, re.HTTPStatus)
			assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
			assert.Len(t, stub.posts(), 1, "a state-changing call whose outcome is unknown is not repeated")
		})
	}
}

// TestRESTTruncatedConnection: the server promises more than it sends and
// hangs up.
func TestRESTTruncatedConnection(t *testing.T) {
	t.Parallel()
	stub := newRESTStubWith(t, func(s *restStub) {
		s.raw = hijacking(`HTTP/1.1 200 OK` + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n" + `{"requestId":"1","succ`)
	})
	_, err := stub.client(t).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	var re *marketo.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "reading the body failed", re.Reason)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
}

// hijacking answers with raw bytes, then closes the connection.
func hijacking(raw string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString(raw)
		_ = buf.Flush()
	}
}

// TestRESTStalledBody: the answer's headers arrive, then the body stalls;
// the attempt timeout ends the call, whose outcome is unknown.
func TestRESTStalledBody(t *testing.T) {
	t.Parallel()
	withGrowingTimeout(t, func(timeout time.Duration) bool {
		var reached atomic.Int64
		stub := newRESTStubWith(t, func(s *restStub) {
			s.raw = func(w http.ResponseWriter, r *http.Request) {
				reached.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(200)
				_, _ = io.WriteString(w, `{"requestId":"1",`)
				w.(http.Flusher).Flush()
				<-r.Context().Done() // until the client gives up
			}
		})
		_, err := stub.client(t, marketo.WithAttemptTimeout(timeout)).
			ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
		if reached.Load() == 0 {
			return false // the attempt timed out before the schedule reached the server
		}
		var te *marketo.AttemptTimeoutError
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
		return true
	})
}

// TestRESTFirstCallStorm: 64 goroutines make their first call at once,
// naming the campaign; they share one identity request and one lookup.
func TestRESTFirstCallStorm(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	stub := newRESTStubWith(t, func(s *restStub) {
		s.rest = tenant(seedCampaigns, nil)
		s.identity = stormIdentity(release, "storm-token:int")
	})
	c := stub.client(t, marketo.WithoutLimiter())
	const callers = 64
	errs := storm(callers, release, func() error {
		_, err := c.ScheduleCampaign(context.Background(), runNowParams())
		return err
	})
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int64(1), stub.identityCalls.Load())
	for _, r := range stub.requests() {
		assert.Equal(t, "Bearer storm-token:int", r.Auth)
	}
	assert.Len(t, stub.posts(), callers)
	assert.Equal(t, callers+1, len(stub.requests()), "one campaign lookup, shared")
}

func pathsOf(reqs []stubRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Path
	}
	return out
}
