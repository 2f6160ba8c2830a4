package marketo_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// TestAttemptsCountEveryAttempt: an answer that fails its check (success
// false, a missing element) is an attempt like any other, so the count
// after retries is true on every path.
func TestAttemptsCountEveryAttempt(t *testing.T) {
	t.Parallel()
	unavailable := answer(http.StatusServiceUnavailable, "busy")
	cases := []struct {
		name    string
		last    string
		unknown bool
	}{
		{"success false", successEnvelope("ScheduleCampaign", "<success>false</success>"), false},
		{"success missing", successEnvelope("ScheduleCampaign", ""), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, sequence(rec, unavailable, unavailable, answer(200, tc.last)), fastRetries)
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			var oe *marketo.OperationError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, 3, oe.Attempts, "two 503s, then the answer that failed its check")
			assert.Equal(t, 3, rec.count())
			assert.True(t, oe.Sent)
			assert.Equal(t, tc.unknown, oe.OutcomeUnknown, "success=false proves the call did not run; a garbled answer does not")
		})
	}
}

// TestOutcomeUnknownSurvivesALaterRefusal: once an attempt of a state
// changing call may have run, a later attempt's refusal does not prove the
// call did not run.
func TestOutcomeUnknownSurvivesALaterRefusal(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, sequence(rec,
		answer(http.StatusBadGateway, "<html>gateway</html>", "Content-Type", "text/html"),
		answer(500, faultXML(20113, "Campaign not found")),
	), fastRetries)
	_, err := c.ScheduleCampaign(marketo.RetryUnknownOutcome(context.Background()), seedParams())
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 2, oe.Attempts)
	assert.ErrorIs(t, err, marketo.ErrCampaignNotFound, "the last answer is the cause")
	assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown, "the first attempt may have scheduled the campaign")
}

// TestStatusesThatProveNothingRan: 404, 405, 413 and 414 refuse a request
// before it runs, so a state-changing call is neither retried nor reported
// as possibly run.
func TestStatusesThatProveNothingRan(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge, http.StatusRequestURITooLong} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, respond(rec, status, "text/html", "<html>no</html>"), fastRetries)
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			var oe *marketo.OperationError
			require.ErrorAs(t, err, &oe)
			assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
			assert.Equal(t, 1, rec.count(), "not retried")
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, status, re.HTTPStatus)
		})
	}
}

// countingLimiter is a RateLimiter of the test's own: the client must work
// with any implementation, not only *Limiter.
type countingLimiter struct {
	acquired, done, clones, givenBack atomic.Int64
	refuseClones                      bool
	quotaUsedUp                       bool // Acquire refuses with ErrDailyQuotaExceeded itself
}

func (l *countingLimiter) Acquire(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if l.quotaUsedUp {
		return nil, marketo.ErrDailyQuotaExceeded
	}
	l.acquired.Add(1)
	return func() { l.done.Add(1) }, nil
}

func (l *countingLimiter) ReserveClone(context.Context) (func(marketo.CloneRefusal), error) {
	if l.refuseClones {
		return nil, marketo.ErrCloneBudgetExhausted
	}
	l.clones.Add(1)
	return func(why marketo.CloneRefusal) {
		if why == marketo.CloneNotRun {
			l.givenBack.Add(1)
		}
	}, nil
}

func TestClientWaitsOnAnyRateLimiter(t *testing.T) {
	t.Parallel()
	lim := &countingLimiter{}
	rec := &recorder{}
	unavailable := answer(http.StatusServiceUnavailable, "busy")
	c := newMockClient(t, sequence(rec, unavailable, answer(200, successEnvelope("ScheduleCampaign", "<success>true</success>"))),
		fastRetries, marketo.WithLimiter(lim))
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)
	assert.Equal(t, int64(2), lim.acquired.Load(), "one acquire per attempt")
	assert.Equal(t, int64(2), lim.done.Load(), "every acquire is released")
	assert.Equal(t, int64(1), lim.clones.Load(), "the seed call clones a program once")
	assert.Equal(t, int64(0), lim.givenBack.Load(), "a clone that ran is kept")

	_, err = newMockClient(t, answer(500, faultXML(20113, "Campaign not found")), marketo.WithLimiter(lim)).
		ScheduleCampaign(context.Background(), seedParams())
	require.ErrorIs(t, err, marketo.ErrCampaignNotFound)
	assert.Equal(t, int64(1), lim.givenBack.Load(), "a refused call gives its clone back")

	refusing := &countingLimiter{refuseClones: true}
	_, err = newMockClient(t, neverCalled(t), marketo.WithLimiter(refusing)).ScheduleCampaign(context.Background(), seedParams())
	require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted)
	assert.Zero(t, refusing.acquired.Load(), "nothing is sent past the clone budget")
}

// A RateLimiter refuses with the SDK's sentinels as causes; the call's
// error names the SDK once.
func TestALimitersRefusalSaysMarketoOnce(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, neverCalled(t), marketo.WithLimiter(&countingLimiter{quotaUsedUp: true}))
	_, err := c.ScheduleCampaign(context.Background(), runNowParams())
	require.ErrorIs(t, err, marketo.ErrDailyQuotaExceeded)
	assert.Equal(t, "marketo: ScheduleCampaign: daily request quota exceeded", err.Error())

	c = newMockClient(t, neverCalled(t), marketo.WithLimiter(&countingLimiter{refuseClones: true}))
	_, err = c.ScheduleCampaign(context.Background(), seedParams())
	require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted)
	assert.Equal(t, "marketo: ScheduleCampaign: the daily budget of program clones is used up", err.Error())
}

func TestWithLimiterRefusesNil(t *testing.T) {
	t.Parallel()
	var l *marketo.Limiter
	_, err := marketo.NewClient(marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey}, marketo.WithLimiter(l))
	require.ErrorContains(t, err, "WithLimiter: limiter is nil")
	_, err = marketo.NewClient(marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey}, marketo.WithLimiter(nil))
	require.ErrorContains(t, err, "WithLimiter: limiter is nil")
}

// TestRESTCodes: the REST codes mean what Marketo documents and match the
// same sentinels as their SOAP counterparts.
func TestRESTCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code     marketo.Code
		meaning  string
		sentinel error
	}{
		{601, "access token invalid", marketo.ErrAuthenticationFailed},
		{603, "access denied", marketo.ErrAccessDenied},
		{606, "rate limit exceeded", marketo.ErrRateLimitExceeded},
		{607, "daily quota reached", marketo.ErrDailyQuotaExceeded},
		{615, "concurrency limit exceeded", marketo.ErrConcurrencyLimitExceeded},
		{1004, "lead not found", marketo.ErrLeadNotFound},
		{1020, "clone-to-program daily limit reached", marketo.ErrCloneBudgetExhausted},
		{1042, "invalid runAt", marketo.ErrBadParameter},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.meaning, tc.code.Meaning(), "code %d", int(tc.code))
		f := &marketo.Fault{Code: tc.code}
		assert.ErrorIs(t, f, tc.sentinel, "code %d", int(tc.code))
	}
	assert.Equal(t, "object not found", marketo.CodeObjectNotFound.Meaning())
	assert.Equal(t, "1013 (object not found)", marketo.CodeObjectNotFound.String())
}

func TestFaultSaysEachThingOnce(t *testing.T) {
	t.Parallel()
	cases := []struct {
		f    marketo.Fault
		want string
	}{
		{marketo.Fault{Code: 20113, FaultString: "20113 - Campaign not found", Message: "Campaign Nope not found in program P (20113)", HTTPStatus: 500},
			"fault 20113 (campaign not found): Campaign Nope not found in program P"},
		{marketo.Fault{Code: 20110, FaultString: "20110 - Input error", HTTPStatus: 200},
			"fault 20110 (bad parameter): Input error"},
		{marketo.Fault{Code: 1013, Message: "Campaign not found", HTTPStatus: 200},
			"fault 1013 (object not found): Campaign not found"},
		{marketo.Fault{Code: 606, Message: "Max rate limit '100' exceeded with in '20' secs", HTTPStatus: 429},
			"fault 606 (rate limit exceeded): Max rate limit '100' exceeded with in '20' secs (HTTP 429)"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.f.Error())
	}
}

func TestValidationErrorsListsEveryProblemOnOneLine(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, neverCalled(t))
	_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		Tokens: []marketo.Token{{Name: "", Value: "x"}},
	})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n", "an error's text stays on one line")
	var fields []string
	for _, ve := range marketo.ValidationErrors(err) {
		fields = append(fields, ve.Field)
	}
	assert.Equal(t, []string{"ProgramName", "CampaignName", "Tokens[0].Name"}, fields)
	assert.Empty(t, marketo.ValidationErrors(errors.New("other")))
	assert.Equal(t, strings.Count(err.Error(), "invalid "), 3)
}

func TestSOAPRefusesCampaignID(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, neverCalled(t))
	_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	requireInvalid(t, err, "ScheduleCampaign", map[string]string{"CampaignID": "SOAP API, which names campaigns"}, "CampaignID")
	assert.NoError(t, marketo.ScheduleCampaignParams{CampaignID: 1001}.Validate(), "an ID alone names a campaign on REST")
	assert.Error(t, marketo.ScheduleCampaignParams{CampaignID: 1001, CampaignName: "x"}.Validate(), "an ID or names, not both")
}

// endingLimiter lets the first attempt start, then reports that the
// context ended, as a limiter does when the deadline passes while a retry
// waits for its turn.
type endingLimiter struct{ calls atomic.Int64 }

func (l *endingLimiter) Acquire(context.Context) (func(), error) {
	if l.calls.Add(1) > 1 {
		return nil, context.DeadlineExceeded
	}
	return func() {}, nil
}

func (l *endingLimiter) ReserveClone(context.Context) (func(marketo.CloneRefusal), error) {
	return func(marketo.CloneRefusal) {}, nil
}

// TestARetryThatNeverStartsKeepsTheLastFailure: the call's error is what
// its last attempt met, not the context's end that kept the next attempt
// from starting.
func TestARetryThatNeverStartsKeepsTheLastFailure(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, http.StatusServiceUnavailable, "text/html", "busy"), fastRetries, marketo.WithLimiter(&endingLimiter{}))
	_, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 1, oe.Attempts)
	assert.Equal(t, 1, rec.count())
	var re *marketo.ResponseError
	require.ErrorAs(t, err, &re, "the 503 is the cause: %v", err)
	assert.Equal(t, http.StatusServiceUnavailable, re.HTTPStatus)
}

// TestEachAttemptIsLogged: one debug line per attempt, with what an
// operator needs to see why a call failed or was retried.
func TestEachAttemptIsLogged(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	rec := &recorder{}
	c := newMockClient(t, sequence(rec, answer(http.StatusServiceUnavailable, "busy"), answer(200, successEnvelope("ScheduleCampaign", "<success>true</success>"))),
		fastRetries, marketo.WithLogger(logger))
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 3, "a failed attempt, the retry, the attempt that succeeded:\n%s", logs.String())
	assert.Contains(t, lines[0], `msg="marketo call failed" operation=ScheduleCampaign api=SOAP`)
	assert.Contains(t, lines[0], "status=503 sent=true")
	assert.Contains(t, lines[1], `msg="marketo retry" operation=ScheduleCampaign attempt=1`)
	assert.Contains(t, lines[2], `msg="marketo call" operation=ScheduleCampaign api=SOAP`)
	assert.Contains(t, lines[2], "status=200")
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestTokenRequestIsLogged: each identity request is logged at debug level
// with its status and whether it gave a token, and without the token.
func TestTokenRequestIsLogged(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		secret string
		want   string
	}{
		{"token issued", stubSecret, `status=200 duration=`},
		{"credentials refused", "wrong", `status=401 duration=`},
	} {
		var logs strings.Builder // written by the calling goroutine only
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		stub := newRESTStub(t, tenant(seedCampaigns, nil))
		cfg := stub.config()
		cfg.ClientSecret = tc.secret
		c, err := marketo.NewRESTClient(cfg, marketo.WithoutRetries(), marketo.WithLogger(logger))
		require.NoError(t, err)
		_, _ = c.ScheduleCampaign(context.Background(), runNowParams())
		c.CloseIdleConnections()
		var line string
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, `msg="marketo access token"`) {
				line = l
			}
		}
		require.NotEmpty(t, line, "%s: no token request logged:\n%s", tc.name, logs.String())
		assert.Contains(t, line, tc.want, tc.name)
		assert.True(t, strings.HasSuffix(line, fmt.Sprintf(" ok=%t", tc.secret == stubSecret)), "%s: %s", tc.name, line)
		assert.NotContains(t, logs.String(), "tok-1:int", tc.name)
	}
}
