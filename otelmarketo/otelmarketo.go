// Package otelmarketo reports the calls of a marketo.Client to
// OpenTelemetry: a span per SDK call (marketo.ScheduleCampaign, …) with a
// child span per HTTP attempt, access token request and name lookup, and
// metrics of calls, durations, limiter waits, calls in flight and the daily
// limits used.
//
//	client, err := marketo.NewRESTClient(cfg, otelmarketo.WithTelemetry())
//
// Providers come from the options, or else from the otel globals when the
// client is made, as otelhttp does. Nothing secret and no lead data reaches
// a span, an event or a metric: the SDK's Observer never hands them over
// (see marketo.Observer). The core module has no OpenTelemetry dependency;
// this module is where it lives.
package otelmarketo

import (
	"errors"
	"fmt"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/mktows/marketo"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/mktows/marketo/otelmarketo"

// Option configures the telemetry.
type Option func(*config) error

type config struct {
	tp      trace.TracerProvider
	mp      metric.MeterProvider
	limiter marketo.RateLimiter
}

// WithTracerProvider takes spans from tp instead of the global provider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) error {
		if tp == nil {
			return errors.New("otelmarketo: WithTracerProvider: provider is nil")
		}
		c.tp = tp
		return nil
	}
}

// WithMeterProvider takes instruments from mp instead of the global
// provider.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) error {
		if mp == nil {
			return errors.New("otelmarketo: WithMeterProvider: provider is nil")
		}
		c.mp = mp
		return nil
	}
}

// WithLimiter reports the daily quota and clone budget l has used, as
// gauges; l must implement marketo.UsageReporter (*marketo.Limiter and
// *redislimit.Limiter do). Give the limiter the client is given with
// marketo.WithLimiter: a client's own default limiter is not visible from
// outside.
func WithLimiter(l marketo.RateLimiter) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("otelmarketo: WithLimiter: limiter is nil")
		}
		if _, ok := l.(marketo.UsageReporter); !ok {
			return fmt.Errorf("otelmarketo: WithLimiter: %T does not report its usage (marketo.UsageReporter)", l)
		}
		c.limiter = l
		return nil
	}
}

// WithTelemetry is a marketo.Option that reports the client's calls to
// OpenTelemetry (see NewObserver).
func WithTelemetry(opts ...Option) marketo.Option {
	return func(c *marketo.Client) error {
		o, err := NewObserver(opts...)
		if err != nil {
			return err
		}
		return marketo.WithObserver(o)(c)
	}
}

// NewObserver returns a marketo.Observer that turns a client's calls into
// spans and metrics, for callers that combine it with an Observer of their
// own.
func NewObserver(opts ...Option) (*marketo.Observer, error) {
	cfg := config{}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("otelmarketo: nil Option")
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.tp == nil {
		cfg.tp = otel.GetTracerProvider()
	}
	if cfg.mp == nil {
		cfg.mp = otel.GetMeterProvider()
	}
	t := &telemetry{tracer: cfg.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(marketo.Version))}
	if err := t.makeInstruments(cfg.mp.Meter(ScopeName, metric.WithInstrumentationVersion(marketo.Version)), cfg.limiter); err != nil {
		return nil, fmt.Errorf("otelmarketo: %w", err)
	}
	return &marketo.Observer{
		Call:         t.call,
		Lookup:       t.lookup,
		LimiterWait:  t.limiterWait,
		Attempt:      t.attempt,
		Retry:        t.retry,
		TokenRequest: t.tokenRequest,
	}, nil
}

// telemetry holds the tracer and the instruments one Observer reports to.
type telemetry struct {
	tracer          trace.Tracer
	calls           metric.Int64Counter
	callDuration    metric.Float64Histogram
	attemptDuration metric.Float64Histogram
	waitDuration    metric.Float64Histogram
	inFlight        metric.Int64UpDownCounter
}
