package marketo_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
				l.add("call end %s attempts=%d sent=%t code=%d id=%d request=%t%s", e.Outcome, e.Attempts, e.Sent, e.Code, e.CampaignID, e.RequestID != "", refusalText(e))
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
				l.add("attempt end %s %s status=%d code=%d sent=%t request=%t", e.Outcome, e.HTTPMethod, e.HTTPStatus, e.Code, e.Sent, e.RequestID != "")
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
		"attempt end ran GET status=200 code=0 sent=true request=true",
		"lookup end ok=true",
		"limiter ScheduleCampaign attempt=1 acquired",
		"attempt ScheduleCampaign REST 1",
		"attempt end ran POST status=200 code=0 sent=true request=true",
		fmt.Sprintf("call end ran attempts=2 sent=true code=0 id=%d request=true", res.CampaignID),
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
		"attempt end retryable POST status=500 code=20024 sent=true request=false",
		"retry ScheduleCampaign after 1: retryable code=20024",
		"limiter ScheduleCampaign attempt=2 acquired",
		"attempt ScheduleCampaign SOAP 2",
		"attempt end refused POST status=500 code=20113 sent=true request=false",
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
	require.Contains(t, log.text(), "attempt end unknown POST status=0 code=0 sent=true request=false\ncall end unknown attempts=1 sent=true code=0 id=1001")
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
	require.True(t, strings.HasSuffix(log.text(), "limiter ScheduleCampaign attempt=1 quota_exceeded\ncall end refused attempts=0 sent=false code=0 id=0 request=false refusal=daily_quota_exceeded"), log.text())
}

// ImportFailures is one call, with its attempt beneath it.
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

// refusalText is a refused call's class and fields, for the event log.
func refusalText(e marketo.CallEnd) string {
	if e.Refusal == "" {
		return ""
	}
	s := " refusal=" + e.Refusal
	if len(e.InvalidFields) > 0 {
		s += " fields=" + strings.Join(e.InvalidFields, ",")
	}
	return s
}

// cloneBudgetSpent is a Limiter whose clone budget is always used up.
type cloneBudgetSpent struct{ *marketo.Limiter }

func (cloneBudgetSpent) ReserveClone(context.Context) (func(marketo.CloneRefusal), error) {
	return nil, fmt.Errorf("no clone left today: %w", marketo.ErrCloneBudgetExhausted)
}

// A call refused before anything is sent is reported as one call, refused,
// without attempts, named by its class and its fields: never by a value
// of its parameters.
func TestObserverSeesACallRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	const email, secretValue = "jdoe@janeconsulting.com", "a My Token value"
	l, err := marketo.NewLimiter(marketo.RESTLimits())
	require.NoError(t, err)
	cases := map[string]struct {
		soap bool
		call func(context.Context, *marketo.Client) error
		want string
	}{
		"invalid parameters": {call: func(ctx context.Context, c *marketo.Client) error {
			_, err := c.RequestCampaign(ctx, marketo.RequestCampaignParams{CampaignID: 7,
				Leads:  []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: email}},
				Tokens: []marketo.Token{{Name: "", Value: secretValue}}})
			return err
		}, want: "call end refused attempts=0 sent=false code=0 id=0 request=false refusal=invalid fields=Tokens[0].Name,Leads[0].Value"},
		"nil option": {call: func(ctx context.Context, c *marketo.Client) error {
			_, err := c.ListCampaigns(ctx, marketo.ListCampaignsParams{}, nil)
			return err
		}, want: "call end refused attempts=0 sent=false code=0 id=0 request=false refusal=invalid fields=opts[0]"},
		"import ID": {call: func(ctx context.Context, c *marketo.Client) error {
			_, err := c.ImportFailures(ctx, email)
			return err
		}, want: "call end refused attempts=0 sent=false code=0 id=0 request=false refusal=invalid fields=importID"},
		"REST only": {soap: true, call: func(ctx context.Context, c *marketo.Client) error {
			_, err := c.ListCampaigns(ctx, marketo.ListCampaignsParams{})
			return err
		}, want: "call end refused attempts=0 sent=false code=0 id=0 request=false refusal=rest_only"},
		"clone budget": {call: func(ctx context.Context, c *marketo.Client) error {
			_, err := c.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{CampaignID: 1001, CloneToProgramName: "Clone of " + email})
			return err
		}, want: "call end refused attempts=0 sent=false code=0 id=0 request=false refusal=clone_budget_exhausted"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var log eventLog
			opts := []marketo.Option{marketo.WithObserver(log.observer()), marketo.WithLimiter(cloneBudgetSpent{l})}
			c, err := marketo.NewRESTClient(srv.RESTConfig(), opts...)
			if tc.soap {
				c, err = marketo.NewClient(srv.Config(), opts...)
			}
			require.NoError(t, err)
			err = tc.call(context.Background(), c)
			var oe *marketo.OperationError
			require.ErrorAs(t, err, &oe)
			require.False(t, oe.Sent)
			lines := strings.Split(log.text(), "\n")
			require.Len(t, lines, 2, "one call, no lookup, limiter wait or attempt: %s", log.text())
			require.True(t, strings.HasPrefix(lines[0], "call "+oe.Operation+" "), lines[0])
			require.Equal(t, tc.want, lines[1])
			require.NotContains(t, log.text(), "jdoe")
			require.NotContains(t, log.text(), secretValue)
		})
	}
}

// ListCampaigns is one call however many pages it reads: each page is a
// lookup with its attempt beneath the call.
func TestObserverSeesListCampaignsAsOneCall(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	require.NoError(t, srv.AddProgram("Big", nil))
	for i := range 300 { // with the default tenant's 6: two pages
		_, err := srv.AddCampaign(marketotest.Campaign{Program: "Big", Name: fmt.Sprintf("C%03d", i), Kind: marketotest.Batch})
		require.NoError(t, err)
	}
	var log eventLog
	c, err := marketo.NewRESTClient(srv.RESTConfig(), marketo.WithObserver(log.observer()))
	require.NoError(t, err)
	res, err := c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{})
	require.NoError(t, err)
	require.Len(t, res.Metadata.RequestIDs, 2)
	text := log.text()
	require.True(t, strings.HasPrefix(text, "call ListCampaigns REST id=0\n"), text)
	require.Equal(t, 1, strings.Count(text, "call ListCampaigns"), text)
	require.Equal(t, 2, strings.Count(text, "lookup ListCampaigns /rest/v1/campaigns.json"), text)
	require.Equal(t, 2, strings.Count(text, "attempt end ran GET status=200 code=0 sent=true request=true"), text)
	require.True(t, strings.HasSuffix(text, "\ncall end ran attempts=2 sent=true code=0 id=0 request=true"), text)
}

// TestObserverLimiterWaitIsTheWait: the time a LimiterWait reports is
// measured from the start of that wait, so it lies within the call.
func TestObserverLimiterWaitIsTheWait(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var waits []time.Duration
	obs := &marketo.Observer{LimiterWait: func(_ context.Context, e marketo.LimiterWait) {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, e.Waited)
	}}
	c, err := marketo.NewRESTClient(srv.RESTConfig(), marketo.WithObserver(obs))
	require.NoError(t, err)
	start := time.Now()
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"})
	elapsed := time.Since(start)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, waits, 2, "the lookup's and the schedule's")
	for _, w := range waits {
		assert.True(t, w >= 0 && w <= elapsed, "waited %v in a call of %v", w, elapsed)
	}
}
