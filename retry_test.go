package marketo_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

var fastRetries = marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

func tickingClock() func() time.Time {
	var mu sync.Mutex
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
}

func TestRetriesWhatProvablyDidNotRun(t *testing.T) {
	t.Parallel()
	cases := map[string]httpmock.Responder{
		"rate limit fault":        answer(500, faultXML(20023, "Rate limit exceeded")),
		"concurrency limit fault": answer(500, faultXML(20024, "Concurrency limit exceeded")),
		"request expired fault":   answer(500, faultXML(20016, "Request expired")),
		"503":                     answer(503, "<html>busy</html>"),
		"429":                     answer(429, "slow down"),
		"dial failure":            httpmock.NewErrorResponder(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}),
	}
	for name, first := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, sequence(rec, first, first, answer(200, successScheduleXML)), fastRetries, marketo.WithClock(tickingClock()))
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			require.NoError(t, err)
			require.Equal(t, 3, rec.count())

			// Every attempt is signed afresh; apart from the header the
			// retried requests are identical.
			tsRe := regexp.MustCompile(`<requestTimestamp>[^<]*</requestTimestamp><requestSignature>|<requestSignature>[^<]*</requestSignature>|<requestTimestamp>[^<]*</requestTimestamp>`)
			stamps := map[string]bool{}
			var stripped []string
			for _, b := range rec.bodies {
				stamps[regexp.MustCompile(`<requestTimestamp>([^<]*)<`).FindStringSubmatch(string(b))[1]] = true
				stripped = append(stripped, tsRe.ReplaceAllString(string(b), ""))
			}
			assert.Len(t, stamps, 3, "each attempt has its own timestamp")
			assert.Equal(t, stripped[0], stripped[1])
			assert.Equal(t, stripped[0], stripped[2])
		})
	}
}

func TestNeverRetriesAmbiguousFailuresOfStateChangingCalls(t *testing.T) {
	t.Parallel()
	ambiguous := map[string]httpmock.Responder{
		"reset after sending": httpmock.NewErrorResponder(&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}),
		"502 HTML":            answer(502, "<html>bad gateway</html>"),
		"500 without a fault": answer(500, "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body/></SOAP-ENV:Envelope>"),
		"internal error":      answer(500, faultXML(10001, "Internal error")),
		"truncated":           answer(200, successScheduleXML[:100]),
	}
	for name, r := range ambiguous {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, sequence(rec, r, answer(200, successScheduleXML)), fastRetries)
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			require.Error(t, err)
			assert.Equal(t, 1, rec.count(), "a call that may have run is not repeated")
			assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
			var oe *marketo.OperationError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, 1, oe.Attempts)

			// The caller can opt in for one call.
			rec2 := &recorder{}
			c2 := newMockClient(t, sequence(rec2, r, answer(200, successScheduleXML)), fastRetries)
			_, err = c2.ScheduleCampaign(marketo.RetryUnknownOutcome(context.Background()), seedParams())
			require.NoError(t, err)
			assert.Equal(t, 2, rec2.count())
		})
	}
}

func TestDoesNotRetryRefusals(t *testing.T) {
	t.Parallel()
	for _, code := range []int{20014, 20113, 20110, 20015} {
		rec := &recorder{}
		c := newMockClient(t, sequence(rec, answer(500, faultXML(code, "refused")), answer(200, successScheduleXML)), fastRetries)
		_, err := c.ScheduleCampaign(context.Background(), seedParams())
		require.Error(t, err)
		assert.Equal(t, 1, rec.count(), "code %d", code)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	}
}

func TestDailyQuotaErrorSaysWhenItResets(t *testing.T) {
	t.Parallel()
	// 23:30 CST on 28 Nov 2026.
	now := time.Date(2026, 11, 29, 5, 30, 0, 0, time.UTC)
	c := newMockClient(t, answer(500, faultXML(20015, "Request limit exceeded")), fastRetries, marketo.WithClock(func() time.Time { return now }))
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.ErrorIs(t, err, marketo.ErrDailyQuotaExceeded)
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, "2026-11-29T00:00:00-06:00", f.QuotaResetsAt.Format(time.RFC3339))
	assert.Contains(t, err.Error(), "the daily quota resets at 2026-11-29T00:00:00-06:00 (midnight US Central)")
}

func TestFinalErrorCountsAttemptsAndUnwrapsToLastCause(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, sequence(rec,
		answer(500, faultXML(20023, "Rate limit exceeded")),
		answer(500, faultXML(20024, "Concurrency limit exceeded"))), fastRetries)
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.Error(t, err)
	assert.Equal(t, 4, rec.count())
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 4, oe.Attempts)
	assert.ErrorIs(t, err, marketo.ErrConcurrencyLimitExceeded)
	assert.NotErrorIs(t, err, marketo.ErrRateLimitExceeded)
	assert.EqualError(t, err, "marketo: ScheduleCampaign: fault 20024 (concurrency limit exceeded): Concurrency limit exceeded (after 4 attempts)")
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	policy := marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Second})
	c := newMockClient(t, sequence(rec, answer(503, "busy", "Retry-After", "1"), answer(200, successScheduleXML)), policy)
	start := time.Now()
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), time.Second, "Retry-After: 1 means wait at least a second")
	assert.Equal(t, 2, rec.count())
}

// MaxDelay caps a Retry-After too: an hour's Retry-After under a 10 ms cap
// is waited for 10 ms, which the call's minute allows, so the retry happens.
func TestRetryAfterIsCappedAtMaxDelay(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	policy := marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond})
	c := newMockClient(t, sequence(rec, answer(503, "busy", "Retry-After", "3600"), answer(200, successScheduleXML)), policy)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.ScheduleCampaign(ctx, seedParams())
	require.NoError(t, err)
	assert.Equal(t, 2, rec.count())
}

// Retry-After may be an HTTP date, read against the client's clock: an hour
// ahead outlasts the call's deadline, so the call stops after one attempt;
// a date already past means no wait beyond the backoff, so it retries.
func TestRetryAfterAsAnHTTPDate(t *testing.T) {
	t.Parallel()
	now := vectorTime(t)
	policy := marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Hour})
	for _, tc := range []struct {
		name     string
		at       time.Time
		requests int
	}{
		{"an hour ahead", now.Add(time.Hour), 1},
		{"in the past", now.Add(-time.Hour), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, sequence(rec, answer(503, "busy", "Retry-After", tc.at.UTC().Format(http.TimeFormat)), answer(200, successScheduleXML)), policy)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, _ = c.ScheduleCampaign(ctx, seedParams())
			assert.NoError(t, ctx.Err(), "the call waited for its deadline")
			assert.Equal(t, tc.requests, rec.count())
		})
	}
}

// countingServer answers every request with a rate-limit fault (which
// proves the call did not run, so it may be retried) and counts requests.
func countingServer(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := newSOAPServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, faultXML(20023, "Rate limit exceeded"))
	})
	return srv.URL, &n
}

func TestRetryStopsWhenTheDeadlineIsShorterThanTheWait(t *testing.T) {
	t.Parallel()
	url, requests := countingServer(t)
	policy := marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Hour, MaxDelay: time.Hour})
	c, err := marketo.NewClient(marketo.Config{Endpoint: url, UserID: "u", EncryptionKey: "k"}, policy, marketo.WithoutLimiter())
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	// The wait (30 to 60 minutes) would outlast the deadline: the call
	// returns the fault at once instead of retrying or waiting.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = c.ScheduleCampaign(ctx, runNowParams())
	assert.NoError(t, ctx.Err(), "the call waited for its deadline")
	assert.ErrorIs(t, err, marketo.ErrRateLimitExceeded)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, int64(1), requests.Load(), "no retry when the wait would outlast the deadline")
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 1, oe.Attempts)
}

func TestRetryHappensWhenTheDeadlineAllowsTheWait(t *testing.T) {
	t.Parallel()
	url, requests := countingServer(t)
	c, err := marketo.NewClient(marketo.Config{Endpoint: url, UserID: "u", EncryptionKey: "k"}, fastRetries, marketo.WithoutLimiter())
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = c.ScheduleCampaign(ctx, runNowParams())
	assert.ErrorIs(t, err, marketo.ErrRateLimitExceeded)
	assert.Equal(t, int64(4), requests.Load(), "waits of a few milliseconds fit in a minute")
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 4, oe.Attempts)
}

// retrySignal is a slog handler that reports each "marketo retry" record,
// which the client logs just before it starts waiting.
type retrySignal struct{ waiting chan struct{} }

func (h retrySignal) Enabled(context.Context, slog.Level) bool { return true }
func (h retrySignal) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h retrySignal) WithGroup(string) slog.Handler            { return h }
func (h retrySignal) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "marketo retry" {
		select {
		case h.waiting <- struct{}{}:
		default:
		}
	}
	return nil
}

func TestRetryWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	sig := retrySignal{waiting: make(chan struct{}, 1)}
	policy := marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour})
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 500, "text/xml", faultXML(20023, "Rate limit exceeded")), policy, marketo.WithLogger(slog.New(sig)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.ScheduleCampaign(ctx, seedParams())
		done <- err
	}()
	<-sig.waiting // the client is waiting an hour before its second attempt
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the wait did not end with the context")
	}
	assert.ErrorIs(t, err, marketo.ErrRateLimitExceeded, "the error is the last fault, not a bare context error")
	assert.Equal(t, 1, rec.count())
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 1, oe.Attempts)
}

func TestRetryPolicyValidation(t *testing.T) {
	t.Parallel()
	cfg := marketo.Config{Endpoint: testEndpoint, UserID: "u", EncryptionKey: "k"}
	for _, p := range []marketo.RetryPolicy{
		{MaxAttempts: 0},
		{MaxAttempts: 3},
		{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Millisecond},
	} {
		_, err := marketo.NewClient(cfg, marketo.WithRetryPolicy(p))
		assert.Error(t, err, "%+v", p)
	}
	_, err := marketo.NewClient(cfg, marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 1}))
	assert.NoError(t, err)
}
