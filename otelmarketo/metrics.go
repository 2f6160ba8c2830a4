package otelmarketo

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/metric"

	"github.com/mktows/marketo"
)

// Metric names. Durations are in seconds, as OpenTelemetry's semantic
// conventions ask.
const (
	metricCalls           = "marketo.client.calls"
	metricCallDuration    = "marketo.client.call.duration"
	metricAttemptDuration = "marketo.client.attempt.duration"
	metricLimiterWait     = "marketo.client.limiter.wait"
	metricInFlight        = "marketo.client.calls.in_flight"
	metricQuotaUsed       = "marketo.limiter.daily_quota.used"
	metricQuotaLimit      = "marketo.limiter.daily_quota.limit"
	metricClonesUsed      = "marketo.limiter.clones.used"
	metricClonesLimit     = "marketo.limiter.clones.limit"
)

// durationBuckets suit Marketo's latencies and limiter waits: from 5 ms to
// a 20 s window and a 30 s backoff.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60}

// makeInstruments creates the instruments, and the usage gauges when a
// limiter that reports its usage is given.
func (t *telemetry) makeInstruments(m metric.Meter, limiter marketo.RateLimiter) error {
	var err, e error
	t.calls, e = m.Int64Counter(metricCalls, metric.WithUnit("{call}"),
		metric.WithDescription("SDK calls made, by operation, API, outcome and Marketo error code."))
	err = errors.Join(err, e)
	t.callDuration, e = m.Float64Histogram(metricCallDuration, metric.WithUnit("s"), metric.WithExplicitBucketBoundaries(durationBuckets...),
		metric.WithDescription("Duration of SDK calls, lookups, limiter waits and retries included."))
	err = errors.Join(err, e)
	t.attemptDuration, e = m.Float64Histogram(metricAttemptDuration, metric.WithUnit("s"), metric.WithExplicitBucketBoundaries(durationBuckets...),
		metric.WithDescription("Duration of HTTP attempts, from sending the request to reading the answer."))
	err = errors.Join(err, e)
	t.waitDuration, e = m.Float64Histogram(metricLimiterWait, metric.WithUnit("s"), metric.WithExplicitBucketBoundaries(durationBuckets...),
		metric.WithDescription("Time attempts waited for the rate limiter, by how the wait ended."))
	err = errors.Join(err, e)
	t.inFlight, e = m.Int64UpDownCounter(metricInFlight, metric.WithUnit("{call}"),
		metric.WithDescription("SDK calls in progress."))
	err = errors.Join(err, e)
	if limiter != nil {
		err = errors.Join(err, usageGauges(m, limiter.(marketo.UsageReporter)))
	}
	return err
}

// usageGauges reports how much of the daily quota and clone budget u has
// counted, read at each collection.
func usageGauges(m metric.Meter, u marketo.UsageReporter) error {
	quotaUsed, err1 := m.Int64ObservableGauge(metricQuotaUsed, metric.WithUnit("{call}"),
		metric.WithDescription("Calls the limiter counted today (US Central day)."))
	quotaLimit, err2 := m.Int64ObservableGauge(metricQuotaLimit, metric.WithUnit("{call}"),
		metric.WithDescription("Calls the limiter allows per day."))
	clonesUsed, err3 := m.Int64ObservableGauge(metricClonesUsed, metric.WithUnit("{clone}"),
		metric.WithDescription("Program clones the limiter counted today (US Central day)."))
	clonesLimit, err4 := m.Int64ObservableGauge(metricClonesLimit, metric.WithUnit("{clone}"),
		metric.WithDescription("Program clones the limiter allows per day."))
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return err
	}
	_, err := m.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		use, err := u.DailyUsage(ctx)
		if err != nil {
			return err
		}
		o.ObserveInt64(quotaUsed, int64(use.Calls))
		o.ObserveInt64(quotaLimit, int64(use.DailyQuota))
		o.ObserveInt64(clonesUsed, int64(use.Clones))
		o.ObserveInt64(clonesLimit, int64(use.ClonesPerDay))
		return nil
	}, quotaUsed, quotaLimit, clonesUsed, clonesLimit)
	return err
}
