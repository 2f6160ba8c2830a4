package marketo_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// eventLog is an Observer that writes each event as one line.
type eventLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *eventLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *eventLog) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func (l *eventLog) observer() *marketo.Observer {
	return &marketo.Observer{
		Call: func(ctx context.Context, e marketo.CallStart) (context.Context, func(marketo.CallEnd)) {
			l.add("call %s %s id=%d", e.Operation, e.API, e.CampaignID)
			return ctx, func(e marketo.CallEnd) {
				l.add("call end %s attempts=%d sent=%t code=%d id=%d request=%t", e.Outcome, e.Attempts, e.Sent, e.Code, e.CampaignID, e.RequestID != "")
			}
		},
		Lookup: func(ctx context.Context, e marketo.LookupStart) (context.Context, func(marketo.LookupEnd)) {
			l.add("lookup %s %s", e.Operation, e.Path)
			return ctx, func(e marketo.LookupEnd) { l.add("lookup end ok=%t", e.OK) }
		},
		LimiterWait: func(_ context.Context, e marketo.LimiterWait) {
			l.add("limiter %s attempt=%d %s", e.Operation, e.Attempt, e.Result)
		},
		Attempt: func(ctx context.Context, e marketo.AttemptStart) (context.Context, func(marketo.AttemptEnd)) {
			l.add("attempt %s %s %d", e.Operation, e.API, e.Attempt)
			return ctx, func(e marketo.AttemptEnd) {
				l.add("attempt end %s status=%d code=%d sent=%t", e.Outcome, e.HTTPStatus, e.Code, e.Sent)
			}
		},
		Retry: func(_ context.Context, e marketo.Retry) {
			l.add("retry %s after %d: %s code=%d", e.Operation, e.Attempt, e.Reason, e.Code)
		},
		TokenRequest: func(ctx context.Context) (context.Context, func(marketo.TokenRequestEnd)) {
			l.add("token")
			return ctx, func(e marketo.TokenRequestEnd) { l.add("token end status=%d ok=%t", e.HTTPStatus, e.OK) }
		},
	}
}

func TestObserverSeesAFirstRESTCall(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	var log eventLog
	c, err := marketo.NewRESTClient(srv.RESTConfig(), marketo.WithObserver(log.observer()))
	require.NoError(t, err)
	res, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"})
	require.NoError(t, err)
	want := strings.Join([]string{
		"call ScheduleCampaign REST id=0",
		"lookup ScheduleCampaign /rest/v1/campaigns.json",
		"limiter ScheduleCampaign attempt=1 acquired",
		"attempt ScheduleCampaign REST 1",
		"token",
		"token end status=200 ok=true",
		"attempt end ran status=200 code=0 sent=true",
		"lookup end ok=true",
		"limiter ScheduleCampaign attempt=1 acquired",
		"attempt ScheduleCampaign REST 1",
		"attempt end ran status=200 code=0 sent=true",
		fmt.Sprintf("call end ran attempts=0 sent=false code=0 id=%d request=true", res.CampaignID),
	}, "\n")
	require.Equal(t, want, log.text())
}

func TestObserverSeesARetryAndARefusal(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	var log eventLog
	c, err := marketo.NewClient(srv.Config(), marketo.WithObserver(log.observer()),
		marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 3, BaseDelay: 1, MaxDelay: 1}))
	require.NoError(t, err)
	srv.On(marketotest.TargetScheduleCampaign).FailNext(1, marketo.CodeConcurrencyLimitExceeded)
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		ProgramName: "Trav-Demo-Program", CampaignName: "No Such Campaign"})
	require.Error(t, err)
	want := strings.Join([]string{
		"call ScheduleCampaign SOAP id=0",
		"limiter ScheduleCampaign attempt=1 acquired",
		"attempt ScheduleCampaign SOAP 1",
		"attempt end retryable status=500 code=20024 sent=true",
		"retry ScheduleCampaign after 1: retryable code=20024",
		"limiter ScheduleCampaign attempt=2 acquired",
		"attempt ScheduleCampaign SOAP 2",
		"attempt end refused status=500 code=20113 sent=true",
		"call end refused attempts=2 sent=true code=20113 id=0 request=false",
	}, "\n")
	require.Equal(t, want, log.text())
}

func TestObserverSeesALostAnswer(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	var log eventLog
	c, err := marketo.NewRESTClient(srv.RESTConfig(), marketo.WithObserver(log.observer()))
	require.NoError(t, err)
	srv.On(marketotest.TargetScheduleCampaign).DropAnswerNext(1)
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
	require.Contains(t, log.text(), "attempt end unknown status=0 code=0 sent=true\ncall end unknown attempts=1 sent=true code=0 id=1001")
}

func TestWithObserverRefusesNil(t *testing.T) {
	t.Parallel()
	_, err := marketo.NewRESTClient(marketo.RESTConfig{Endpoint: "https://123-ABC-456.mktorest.com", ClientID: "id", ClientSecret: "s"},
		marketo.WithObserver(nil))
	require.ErrorContains(t, err, "WithObserver: observer is nil")
}

func TestObserverLimiterRefusal(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	l, err := marketo.NewLimiter(marketo.LimiterConfig{DailyQuota: 1})
	require.NoError(t, err)
	var log eventLog
	c, err := marketo.NewClient(srv.Config(), marketo.WithObserver(log.observer()), marketo.WithLimiter(l))
	require.NoError(t, err)
	p := marketo.ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"}
	_, err = c.ScheduleCampaign(context.Background(), p)
	require.NoError(t, err)
	_, err = c.ScheduleCampaign(context.Background(), p)
	require.True(t, errors.Is(err, marketo.ErrDailyQuotaExceeded), err)
	require.True(t, strings.HasSuffix(log.text(), "limiter ScheduleCampaign attempt=1 quota_exceeded\ncall end refused attempts=0 sent=false code=0 id=0 request=false"), log.text())
}

// ImportFailures goes to the call loop without a backend method: the loop
// reports the call itself, once.
func TestObserverSeesImportFailuresAsOneCall(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	var log eventLog
	c, err := marketo.NewRESTClient(srv.RESTConfig(), marketo.WithObserver(log.observer()))
	require.NoError(t, err)
	rows, err := c.ImportFailures(context.Background(), "999999")
	if err == nil {
		rows.Close()
	}
	text := log.text()
	require.True(t, strings.HasPrefix(text, "call ImportFailures REST id=0\n"), text)
	require.Equal(t, 1, strings.Count(text, "call ImportFailures"), text)
	require.Equal(t, 1, strings.Count(text, "call end"), text)
}
