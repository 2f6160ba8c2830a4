package otelmarketo_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
	"github.com/mktows/marketo/otelmarketo"
)

// harness is a fake tenant and in-memory exporters for one test.
type harness struct {
	srv    *marketotest.Server
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	opts   []otelmarketo.Option
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{srv: marketotest.NewServer(), spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	t.Cleanup(h.srv.Close)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	h.opts = []otelmarketo.Option{otelmarketo.WithTracerProvider(tp), otelmarketo.WithMeterProvider(mp)}
	return h
}

// fastRetries keeps retries quick: the waits are not under test.
var fastRetries = marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})

func (h *harness) rest(t *testing.T, opts ...marketo.Option) *marketo.Client {
	t.Helper()
	c, err := marketo.NewRESTClient(h.srv.RESTConfig(), append([]marketo.Option{otelmarketo.WithTelemetry(h.opts...), fastRetries}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (h *harness) soap(t *testing.T, opts ...marketo.Option) *marketo.Client {
	t.Helper()
	c, err := marketo.NewClient(h.srv.Config(), append([]marketo.Option{otelmarketo.WithTelemetry(h.opts...), fastRetries}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ended returns the ended spans named name.
func (h *harness) ended(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range h.spans.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// one returns the one ended span named name.
func (h *harness) one(t *testing.T, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	s := h.ended(name)
	if len(s) != 1 {
		t.Fatalf("%d spans named %q, want 1; all: %v", len(s), name, h.names())
	}
	return s[0]
}

func (h *harness) names() []string {
	var n []string
	for _, s := range h.spans.Ended() {
		n = append(n, s.Name())
	}
	return n
}

func attr(s sdktrace.ReadOnlySpan, k attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes() {
		if kv.Key == k {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func wantAttr(t *testing.T, s sdktrace.ReadOnlySpan, k attribute.Key, want any) {
	t.Helper()
	v, ok := attr(s, k)
	if !ok {
		t.Fatalf("span %q has no %s; has %v", s.Name(), k, s.Attributes())
	}
	if got := v.AsInterface(); got != want {
		t.Fatalf("span %q: %s = %v (%T), want %v (%T)", s.Name(), k, got, got, want, want)
	}
}

func childOf(t *testing.T, child, parent sdktrace.ReadOnlySpan) {
	t.Helper()
	if child.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Fatalf("span %q is not a child of %q", child.Name(), parent.Name())
	}
}

// collect reads the metrics.
func (h *harness) collect(t *testing.T) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

func findMetric(t *testing.T, rm metricdata.ResourceMetrics, name string) metricdata.Metrics {
	t.Helper()
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m
			}
		}
	}
	t.Fatalf("no metric %q", name)
	return metricdata.Metrics{}
}

// callCount returns the marketo.client.calls count with exactly attrs.
func callCount(t *testing.T, rm metricdata.ResourceMetrics, attrs ...attribute.KeyValue) int64 {
	t.Helper()
	want := attribute.NewSet(attrs...)
	for _, dp := range findMetric(t, rm, "marketo.client.calls").Data.(metricdata.Sum[int64]).DataPoints {
		if dp.Attributes.Equals(&want) {
			return dp.Value
		}
	}
	return 0
}

var byID = marketo.ScheduleCampaignParams{CampaignID: 1001}

var byName = marketo.ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"}

func TestASuccessfulCallIsOneClientSpanWithItsAttempt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if _, err := h.soap(t).ScheduleCampaign(context.Background(), byName); err != nil {
		t.Fatal(err)
	}
	call := h.one(t, "marketo.ScheduleCampaign")
	if call.SpanKind() != trace.SpanKindClient || call.Status().Code == codes.Error {
		t.Fatalf("kind %v, status %v", call.SpanKind(), call.Status())
	}
	wantAttr(t, call, "marketo.api", "SOAP")
	wantAttr(t, call, "marketo.operation", "ScheduleCampaign")
	wantAttr(t, call, "marketo.outcome", "ran")
	at := h.one(t, "marketo.ScheduleCampaign attempt")
	childOf(t, at, call)
	wantAttr(t, at, "marketo.attempt", int64(1))
	wantAttr(t, at, "http.response.status_code", int64(200))
	wantAttr(t, at, "server.address", "127.0.0.1")
	wantAttr(t, at, "http.request.method", "POST")
	wantAttr(t, call, "server.address", "127.0.0.1")
	wantAttr(t, call, "marketo.attempts", int64(1))

	rm := h.collect(t)
	if n := callCount(t, rm, attribute.String("marketo.operation", "ScheduleCampaign"), attribute.String("marketo.api", "SOAP"),
		attribute.String("marketo.outcome", "ran")); n != 1 {
		t.Fatalf("calls ran = %d, want 1", n)
	}
	if hist := findMetric(t, rm, "marketo.client.call.duration").Data.(metricdata.Histogram[float64]); hist.DataPoints[0].Count != 1 {
		t.Fatalf("call duration count %d", hist.DataPoints[0].Count)
	}
	if hist := findMetric(t, rm, "marketo.client.attempt.duration").Data.(metricdata.Histogram[float64]); hist.DataPoints[0].Count != 1 {
		t.Fatalf("attempt duration count %d", hist.DataPoints[0].Count)
	}
	inFlight := findMetric(t, rm, "marketo.client.calls.in_flight").Data.(metricdata.Sum[int64])
	if inFlight.IsMonotonic || inFlight.DataPoints[0].Value != 0 {
		t.Fatalf("in flight after the call: %+v", inFlight)
	}
}

func TestACallRetriedAfter606HasTwoAttemptsAndARetryEvent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.rest(t)
	h.srv.On(marketotest.TargetScheduleCampaign).FailNext(1, marketo.CodeMaxRateExceeded)
	if _, err := c.ScheduleCampaign(context.Background(), byID); err != nil {
		t.Fatal(err)
	}
	call := h.one(t, "marketo.ScheduleCampaign")
	wantAttr(t, call, "marketo.outcome", "ran")
	attempts := h.ended("marketo.ScheduleCampaign attempt")
	if len(attempts) != 2 {
		t.Fatalf("%d attempts, want 2", len(attempts))
	}
	wantAttr(t, attempts[0], "marketo.outcome", "retryable")
	wantAttr(t, attempts[0], "marketo.error_code", int64(606))
	wantAttr(t, attempts[0], "error.type", "606")
	if attempts[0].Status().Code != codes.Error {
		t.Fatal("the refused attempt's status is not an error")
	}
	wantAttr(t, attempts[1], "marketo.attempt", int64(2))
	wantAttr(t, attempts[1], "marketo.outcome", "ran")
	if v, ok := attr(attempts[1], "marketo.request_id"); !ok || v.AsString() == "" {
		t.Fatal("no request id on the successful attempt")
	}
	wantAttr(t, call, "marketo.attempts", int64(2))
	var retry *sdktrace.Event
	for i, e := range call.Events() {
		if e.Name == "marketo.retry" {
			retry = &call.Events()[i]
		}
	}
	if retry == nil {
		t.Fatalf("no retry event on the call span: %v", call.Events())
	}
	if want := attribute.String("marketo.retry.reason", "retryable"); !hasKV(retry.Attributes, want) || !hasKV(retry.Attributes, attribute.Int("marketo.error_code", 606)) {
		t.Fatalf("retry event %v", retry.Attributes)
	}
}

func hasKV(kvs []attribute.KeyValue, want attribute.KeyValue) bool {
	for _, kv := range kvs {
		if kv == want {
			return true
		}
	}
	return false
}

func TestARefusedCallIsAnErrorSpanWithItsCode(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.rest(t).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 999999})
	if err == nil {
		t.Fatal("no error for a missing campaign")
	}
	call := h.one(t, "marketo.ScheduleCampaign")
	if call.Status().Code != codes.Error || !strings.Contains(call.Status().Description, "refused") {
		t.Fatalf("status %+v", call.Status())
	}
	wantAttr(t, call, "marketo.outcome", "refused")
	wantAttr(t, call, "marketo.error_code", int64(1013))
	wantAttr(t, call, "marketo.attempts", int64(1))
	if v, ok := attr(call, "marketo.request_id"); !ok || v.AsString() == "" {
		t.Fatal("no request id on the refused call")
	}
	rm := h.collect(t)
	if n := callCount(t, rm, attribute.String("marketo.operation", "ScheduleCampaign"), attribute.String("marketo.api", "REST"),
		attribute.String("marketo.outcome", "refused"), attribute.Int("marketo.error_code", 1013)); n != 1 {
		t.Fatalf("refused calls with 1013 = %d, want 1", n)
	}
}

func TestALostAnswerIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.rest(t)
	h.srv.On(marketotest.TargetScheduleCampaign).DropAnswerNext(1)
	_, err := c.ScheduleCampaign(context.Background(), byID)
	if err == nil {
		t.Fatal("no error for a lost answer")
	}
	call := h.one(t, "marketo.ScheduleCampaign")
	wantAttr(t, call, "marketo.outcome", "unknown")
	if call.Status().Code != codes.Error || !strings.Contains(call.Status().Description, "outcome unknown") {
		t.Fatalf("status %+v", call.Status())
	}
	if n := len(h.ended("marketo.ScheduleCampaign attempt")); n != 1 {
		t.Fatalf("%d attempts of a call whose outcome is unknown, want 1 (never retried)", n)
	}
	if n := callCount(t, h.collect(t), attribute.String("marketo.operation", "ScheduleCampaign"), attribute.String("marketo.api", "REST"),
		attribute.String("marketo.outcome", "unknown")); n != 1 {
		t.Fatalf("unknown calls = %d, want 1", n)
	}
}

func TestALimiterWaitIsAnEventAndAHistogramAndUsageIsAGauge(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	l, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: 1, Window: 50 * time.Millisecond, ClonesPerDay: 5})
	if err != nil {
		t.Fatal(err)
	}
	h.opts = append(h.opts, otelmarketo.WithLimiter(l))
	c := h.soap(t, marketo.WithLimiter(l))
	for range 2 { // the second waits for the first to leave the window
		if _, err := c.ScheduleCampaign(context.Background(), byName); err != nil {
			t.Fatal(err)
		}
	}
	calls := h.ended("marketo.ScheduleCampaign")
	ev := calls[1].Events()
	if len(ev) != 1 || ev[0].Name != "marketo.limiter.wait" || !hasKV(ev[0].Attributes, attribute.String("marketo.limiter.result", "acquired")) {
		t.Fatalf("events %v", ev)
	}
	var waited float64
	for _, kv := range ev[0].Attributes {
		if kv.Key == "marketo.limiter.wait_seconds" {
			waited = kv.Value.AsFloat64()
		}
	}
	if waited <= 0 {
		t.Fatalf("the second call waited %v s", waited)
	}
	rm := h.collect(t)
	wait := findMetric(t, rm, "marketo.client.limiter.wait").Data.(metricdata.Histogram[float64])
	if len(wait.DataPoints) != 1 || wait.DataPoints[0].Count != 2 || wait.DataPoints[0].Sum < waited {
		t.Fatalf("limiter wait histogram %+v", wait.DataPoints)
	}
	gauge := func(name string) int64 {
		return findMetric(t, rm, name).Data.(metricdata.Gauge[int64]).DataPoints[0].Value
	}
	if used, quota, clones, budget := gauge("marketo.limiter.daily_quota.used"), gauge("marketo.limiter.daily_quota.limit"),
		gauge("marketo.limiter.clones.used"), gauge("marketo.limiter.clones.limit"); used != 2 || quota != 10000 || clones != 0 || budget != 5 {
		t.Fatalf("usage gauges: %d of %d calls, %d of %d clones", used, quota, clones, budget)
	}
}

func TestAFirstRESTCallShowsItsLookupAndTokenRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if _, err := h.rest(t).ScheduleCampaign(context.Background(), byName); err != nil {
		t.Fatal(err)
	}
	call := h.one(t, "marketo.ScheduleCampaign")
	lookup := h.one(t, "marketo.lookup")
	childOf(t, lookup, call)
	wantAttr(t, lookup, "marketo.lookup.path", "/rest/v1/campaigns.json")
	attempts := h.ended("marketo.ScheduleCampaign attempt")
	if len(attempts) != 2 {
		t.Fatalf("%d attempts, want the lookup's and the schedule's", len(attempts))
	}
	childOf(t, attempts[0], lookup)
	childOf(t, attempts[1], call)
	token := h.one(t, "marketo.token")
	childOf(t, token, attempts[0])
	wantAttr(t, token, "http.response.status_code", int64(200))
	if token.SpanKind() != trace.SpanKindClient {
		t.Fatalf("token span kind %v", token.SpanKind())
	}
	wantAttr(t, call, "marketo.campaign_id", int64(1001))
	if v, ok := attr(call, "marketo.request_id"); !ok || v.AsString() == "" {
		t.Fatal("no request id on the call")
	}
}

// tokenCatcher records the access tokens a client sends.
type tokenCatcher struct {
	mu     sync.Mutex
	tokens []string
}

func (c *tokenCatcher) RoundTrip(r *http.Request) (*http.Response, error) {
	if a := r.Header.Get("Authorization"); a != "" {
		c.mu.Lock()
		c.tokens = append(c.tokens, strings.TrimPrefix(a, "Bearer "))
		c.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestNoSecretOrLeadDataReachesTelemetry(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	catcher := &tokenCatcher{}
	hc := &http.Client{Transport: catcher, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	rest, soap := h.rest(t, marketo.WithHTTPClient(hc)), h.soap(t)
	const email, absent = "jdoe@janeconsulting.com", "nobody.here@example.com"
	tokenValue := "a My Token value"
	ctx := context.Background()
	for _, c := range []*marketo.Client{rest, soap} {
		for _, lead := range []string{email, absent} { // one found, one whose lookup fails
			_, _ = c.RequestCampaign(ctx, marketo.RequestCampaignParams{
				ProgramName: "Trav-Demo-Program", CampaignName: "Trigger Campaign Example",
				Leads:  []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: lead}},
				Tokens: []marketo.Token{{Name: "my.message", Value: tokenValue}},
			})
		}
	}
	for _, c := range []*marketo.Client{rest, soap} { // refused before sending, the values in the errors' text
		_, _ = c.RequestCampaign(ctx, marketo.RequestCampaignParams{CampaignID: 1001,
			Leads:  []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: email}},
			Tokens: []marketo.Token{{Name: "", Value: tokenValue}}})
		_, _ = c.ImportFailures(ctx, email)
		_, _ = c.ListCampaigns(ctx, marketo.ListCampaignsParams{Type: marketo.CampaignType(email)})
	}
	h.srv.On(marketotest.TargetScheduleCampaign).FailNext(1, marketo.CodeAccessTokenExpired) // a token refused and replaced
	if _, err := rest.ScheduleCampaign(ctx, byID); err != nil {
		t.Fatal(err)
	}
	catcher.mu.Lock()
	secrets := append([]string{h.srv.RESTConfig().ClientSecret, h.srv.Config().EncryptionKey, email, absent, tokenValue}, catcher.tokens...)
	catcher.mu.Unlock()
	if len(secrets) < 7 {
		t.Fatalf("caught %d access tokens, want 2", len(secrets)-5)
	}

	var seen []string
	for _, s := range h.spans.Ended() {
		seen = append(seen, s.Name(), s.Status().Description)
		seen = appendKVs(seen, s.Attributes())
		for _, e := range s.Events() {
			seen = append(seen, e.Name)
			seen = appendKVs(seen, e.Attributes)
		}
	}
	rm := h.collect(t)
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			seen = append(seen, m.Name)
			seen = appendMetricLabels(seen, m.Data)
		}
	}
	if !strings.Contains(strings.Join(seen, "\n"), "/rest/v1/leads.json") {
		t.Fatal("no lead lookup was observed: the test misses the path that handles emails")
	}
	if refused := len(h.ended("marketo.ImportFailures")); refused != 2 {
		t.Fatalf("%d ImportFailures calls refused before sending were observed, want 2", refused)
	}
	if len(seen) < 50 {
		t.Fatalf("only %d strings seen: the test reads nothing", len(seen))
	}
	for _, s := range seen {
		for _, secret := range secrets {
			if secret != "" && strings.Contains(strings.ToLower(s), strings.ToLower(secret)) {
				t.Errorf("telemetry holds %q: %q", secret, s)
			}
		}
	}
}

func appendKVs(out []string, kvs []attribute.KeyValue) []string {
	for _, kv := range kvs {
		out = append(out, string(kv.Key), kv.Value.String())
	}
	return out
}

func appendMetricLabels(out []string, data metricdata.Aggregation) []string {
	switch d := data.(type) {
	case metricdata.Sum[int64]:
		for _, dp := range d.DataPoints {
			out = appendKVs(out, dp.Attributes.ToSlice())
		}
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			out = appendKVs(out, dp.Attributes.ToSlice())
		}
	case metricdata.Gauge[int64]:
		for _, dp := range d.DataPoints {
			out = appendKVs(out, dp.Attributes.ToSlice())
		}
	}
	return out
}

func TestOptionsRefuseNil(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]otelmarketo.Option{
		"WithTracerProvider": otelmarketo.WithTracerProvider(nil),
		"WithMeterProvider":  otelmarketo.WithMeterProvider(nil),
		"WithLimiter":        otelmarketo.WithLimiter(nil),
	} {
		if _, err := otelmarketo.NewObserver(opt); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s(nil): %v", name, err)
		}
	}
}

func TestACallRefusedBeforeSendingIsACountedErrorSpan(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if _, err := h.soap(t).ListCampaigns(context.Background(), marketo.ListCampaignsParams{}); err == nil {
		t.Fatal("ListCampaigns on SOAP did not fail")
	}
	_, err := h.rest(t).RequestCampaign(context.Background(), marketo.RequestCampaignParams{CampaignID: 1001,
		Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "x"}}})
	if err == nil {
		t.Fatal("an IDNUM lead key that is no number was not refused")
	}
	if names := h.names(); len(names) != 2 {
		t.Fatalf("spans %v, want the two calls alone", names)
	}
	list := h.one(t, "marketo.ListCampaigns")
	if list.Status().Code != codes.Error || list.Status().Description != "refused before sending: rest_only" {
		t.Fatalf("status %+v", list.Status())
	}
	wantAttr(t, list, "marketo.outcome", "refused")
	wantAttr(t, list, "marketo.attempts", int64(0))
	wantAttr(t, list, "marketo.refusal", "rest_only")
	wantAttr(t, list, "error.type", "rest_only")
	request := h.one(t, "marketo.RequestCampaign")
	wantAttr(t, request, "marketo.refusal", "invalid")
	if v, ok := attr(request, "marketo.invalid_fields"); !ok || strings.Join(v.AsStringSlice(), ",") != "Leads[0].Value" {
		t.Fatalf("invalid fields %v", v.AsStringSlice())
	}
	rm := h.collect(t)
	if n := callCount(t, rm, attribute.String("marketo.operation", "ListCampaigns"), attribute.String("marketo.api", "SOAP"),
		attribute.String("marketo.outcome", "refused"), attribute.String("marketo.refusal", "rest_only")); n != 1 {
		t.Fatalf("refused ListCampaigns calls = %d, want 1", n)
	}
	if n := callCount(t, rm, attribute.String("marketo.operation", "RequestCampaign"), attribute.String("marketo.api", "REST"),
		attribute.String("marketo.outcome", "refused"), attribute.String("marketo.refusal", "invalid")); n != 1 {
		t.Fatalf("refused RequestCampaign calls = %d, want 1", n)
	}
}

func TestListCampaignsIsOneSpanWithAPageLookupEach(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if err := h.srv.AddProgram("Big", nil); err != nil {
		t.Fatal(err)
	}
	for i := range 300 { // with the default tenant's 6: two pages
		if _, err := h.srv.AddCampaign(marketotest.Campaign{Program: "Big", Name: "C" + strconv.Itoa(i), Kind: marketotest.Batch}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.rest(t).ListCampaigns(context.Background(), marketo.ListCampaignsParams{}); err != nil {
		t.Fatal(err)
	}
	call := h.one(t, "marketo.ListCampaigns")
	wantAttr(t, call, "marketo.outcome", "ran")
	wantAttr(t, call, "marketo.attempts", int64(2))
	lookups, attempts := h.ended("marketo.lookup"), h.ended("marketo.ListCampaigns attempt")
	if len(lookups) != 2 || len(attempts) != 2 {
		t.Fatalf("%d lookups and %d attempts, want a page's each: %v", len(lookups), len(attempts), h.names())
	}
	for i, a := range attempts {
		childOf(t, lookups[i], call)
		childOf(t, a, lookups[i])
		wantAttr(t, a, "http.request.method", "GET")
		if v, ok := attr(a, "marketo.request_id"); !ok || v.AsString() == "" {
			t.Fatalf("attempt %d has no request id", i)
		}
	}
	if n := callCount(t, h.collect(t), attribute.String("marketo.operation", "ListCampaigns"), attribute.String("marketo.api", "REST"),
		attribute.String("marketo.outcome", "ran")); n != 1 {
		t.Fatalf("ListCampaigns calls = %d, want 1", n)
	}
}
