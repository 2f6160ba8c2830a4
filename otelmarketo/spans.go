package otelmarketo

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/mktows/marketo"
)

// call starts the span of an SDK call, "marketo.<Operation>", and counts it
// in flight; its end records the call's outcome, duration and count.
func (t *telemetry) call(ctx context.Context, e marketo.CallStart) (context.Context, func(marketo.CallEnd)) {
	common := []attribute.KeyValue{keyOperation.String(e.Operation), keyAPI.String(e.API)}
	attrs := append(common[:len(common):len(common)], keyServerAddress.String(e.ServerAddress))
	if e.CampaignID != 0 {
		attrs = append(attrs, keyCampaignID.Int(e.CampaignID))
	}
	ctx, span := t.tracer.Start(ctx, "marketo."+e.Operation, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	inFlight := metric.WithAttributes(common...)
	t.inFlight.Add(ctx, 1, inFlight)
	start := time.Now()
	return ctx, func(end marketo.CallEnd) {
		t.inFlight.Add(ctx, -1, inFlight)
		result := append(common[:len(common):len(common)], keyOutcome.String(end.Outcome.String()))
		result = codeAttrs(result, end.Code)
		if end.Refusal != "" {
			result = append(result, keyRefusal.String(end.Refusal))
		}
		t.calls.Add(ctx, 1, metric.WithAttributes(result...))
		t.callDuration.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(result...))

		span.SetAttributes(keyOutcome.String(end.Outcome.String()), keyAttempts.Int(end.Attempts))
		if end.CampaignID != 0 && e.CampaignID == 0 {
			span.SetAttributes(keyCampaignID.Int(end.CampaignID))
		}
		if end.RequestID != "" {
			span.SetAttributes(keyRequestID.String(end.RequestID))
		}
		switch {
		case end.Refusal != "":
			span.SetAttributes(keyRefusal.String(end.Refusal), keyErrorType.String(end.Refusal))
			if len(end.InvalidFields) > 0 {
				span.SetAttributes(keyInvalid.StringSlice(end.InvalidFields))
			}
			span.SetStatus(codes.Error, "refused before sending: "+end.Refusal)
		case end.Outcome != marketo.OutcomeRan:
			span.SetAttributes(codeAttrs([]attribute.KeyValue{
				keyErrorType.String(errorType(end.Outcome, end.Code, end.HTTPStatus))}, end.Code)...)
			span.SetStatus(codes.Error, statusText(end.Outcome, end.Code))
		}
		span.End()
	}
}

// statusText is a failed span's status description: what the failure
// proved, and its code. It never holds error text, which may quote lead
// data.
func statusText(o marketo.Outcome, code marketo.Code) string {
	text := map[marketo.Outcome]string{
		marketo.OutcomeRefused:   "refused: did not run",
		marketo.OutcomeRetryable: "did not run; may succeed later",
		marketo.OutcomeUnknown:   "outcome unknown: may have run",
	}[o]
	if code != 0 {
		text += " (" + code.String() + ")"
	}
	return text
}

// attempt starts the span of one HTTP attempt; its end records the
// answer's status and the attempt's duration.
func (t *telemetry) attempt(ctx context.Context, e marketo.AttemptStart) (context.Context, func(marketo.AttemptEnd)) {
	common := []attribute.KeyValue{keyOperation.String(e.Operation), keyAPI.String(e.API)}
	ctx, span := t.tracer.Start(ctx, "marketo."+e.Operation+" attempt", trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(append(common[:len(common):len(common)], keyAttempt.Int(e.Attempt), keyServerAddress.String(e.ServerAddress))...))
	start := time.Now()
	return ctx, func(end marketo.AttemptEnd) {
		attrs := append(common[:len(common):len(common)], keyOutcome.String(end.Outcome.String()))
		if end.HTTPStatus != 0 {
			attrs = append(attrs, keyHTTPStatus.Int(end.HTTPStatus))
		}
		t.attemptDuration.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(attrs...))

		span.SetAttributes(keyOutcome.String(end.Outcome.String()))
		if end.HTTPMethod != "" {
			span.SetAttributes(keyHTTPMethod.String(end.HTTPMethod))
		}
		if end.HTTPStatus != 0 {
			span.SetAttributes(keyHTTPStatus.Int(end.HTTPStatus))
		}
		if end.RequestID != "" {
			span.SetAttributes(keyRequestID.String(end.RequestID))
		}
		if end.Outcome != marketo.OutcomeRan {
			span.SetAttributes(codeAttrs([]attribute.KeyValue{keyErrorType.String(errorType(end.Outcome, end.Code, end.HTTPStatus))}, end.Code)...)
			span.SetStatus(codes.Error, statusText(end.Outcome, end.Code))
		}
		span.End()
	}
}

// lookup starts the span of a REST lookup.
func (t *telemetry) lookup(ctx context.Context, e marketo.LookupStart) (context.Context, func(marketo.LookupEnd)) {
	ctx, span := t.tracer.Start(ctx, "marketo.lookup", trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(keyOperation.String(e.Operation), keyLookupPath.String(e.Path)))
	return ctx, func(end marketo.LookupEnd) {
		if end.RequestID != "" {
			span.SetAttributes(keyRequestID.String(end.RequestID))
		}
		if !end.OK {
			span.SetAttributes(codeAttrs(nil, end.Code)...)
			span.SetStatus(codes.Error, "lookup failed")
		}
		span.End()
	}
}

// tokenRequest starts the span of a request for an access token.
func (t *telemetry) tokenRequest(ctx context.Context) (context.Context, func(marketo.TokenRequestEnd)) {
	ctx, span := t.tracer.Start(ctx, "marketo.token", trace.WithSpanKind(trace.SpanKindClient))
	return ctx, func(end marketo.TokenRequestEnd) {
		if end.HTTPStatus != 0 {
			span.SetAttributes(keyHTTPStatus.Int(end.HTTPStatus))
		}
		if !end.OK {
			span.SetStatus(codes.Error, "no access token")
		}
		span.End()
	}
}

// limiterWait records a wait for the RateLimiter, as an event on the
// current span and in the wait histogram.
func (t *telemetry) limiterWait(ctx context.Context, e marketo.LimiterWait) {
	result := keyLimiter.String(e.Result.String())
	t.waitDuration.Record(ctx, e.Waited.Seconds(), metric.WithAttributes(keyOperation.String(e.Operation), result))
	trace.SpanFromContext(ctx).AddEvent("marketo.limiter.wait", trace.WithAttributes(
		keyAttempt.Int(e.Attempt), keyWaited.Float64(e.Waited.Seconds()), result))
}

// retry records the call loop's decision to repeat an attempt, as an event
// on the current span.
func (t *telemetry) retry(ctx context.Context, e marketo.Retry) {
	trace.SpanFromContext(ctx).AddEvent("marketo.retry", trace.WithAttributes(codeAttrs([]attribute.KeyValue{
		keyAttempt.Int(e.Attempt), keyRetryWhy.String(e.Reason), keyRetryWait.Float64(e.Wait.Seconds())}, e.Code)...))
}
