package marketo_test

import (
	"context"
	"errors"
	"net"
	"regexp"
	"sync"
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
	assert.Contains(t, err.Error(), "after 4 attempts")
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

func TestRetryWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	policy := marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour})
	c := newMockClient(t, answer(500, faultXML(20023, "Rate limit exceeded")), policy)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.ScheduleCampaign(ctx, seedParams())
	require.Error(t, err)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.ErrorIs(t, err, marketo.ErrRateLimitExceeded, "the error is the last fault, not a bare context error")

	// With a deadline that the wait would overrun, the call returns at once.
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	start = time.Now()
	_, err = c.ScheduleCampaign(ctx2, seedParams())
	assert.ErrorIs(t, err, marketo.ErrRateLimitExceeded)
	assert.Less(t, time.Since(start), 10*time.Second)
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
