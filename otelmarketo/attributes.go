package otelmarketo

import (
	"strconv"

	"go.opentelemetry.io/otel/attribute"

	"github.com/mktows/marketo"
)

// The attributes of spans, events and metrics. None carries a secret or
// lead data: only what marketo.Observer hands over.
const (
	keyAPI        = attribute.Key("marketo.api")         // "REST" or "SOAP"
	keyOperation  = attribute.Key("marketo.operation")   // the SDK method
	keyCampaignID = attribute.Key("marketo.campaign_id") // when known
	keyAttempts   = attribute.Key("marketo.attempts")    // a call's attempts, its lookups' included
	keyAttempt    = attribute.Key("marketo.attempt")     // an attempt's number, from 1
	keyOutcome    = attribute.Key("marketo.outcome")     // ran, refused, retryable, unknown
	keyErrorCode  = attribute.Key("marketo.error_code")  // Marketo's code of the failure
	keyRequestID  = attribute.Key("marketo.request_id")  // REST requestId
	keyLookupPath = attribute.Key("marketo.lookup.path") // a lookup's endpoint, without its query
	keyRefusal    = attribute.Key("marketo.refusal")     // why a call was refused before sending
	keyInvalid    = attribute.Key("marketo.invalid_fields")
	keyRetryWhy   = attribute.Key("marketo.retry.reason")
	keyRetryWait  = attribute.Key("marketo.retry.wait_seconds")
	keyLimiter    = attribute.Key("marketo.limiter.result")
	keyWaited     = attribute.Key("marketo.limiter.wait_seconds")
)

// Semantic convention keys, spelt out so that no semconv version is pinned.
const (
	keyHTTPStatus    = attribute.Key("http.response.status_code")
	keyHTTPMethod    = attribute.Key("http.request.method")
	keyErrorType     = attribute.Key("error.type")
	keyServerAddress = attribute.Key("server.address")
)

// codeAttrs appends the failure's code, if any.
func codeAttrs(attrs []attribute.KeyValue, code marketo.Code) []attribute.KeyValue {
	if code != 0 {
		attrs = append(attrs, keyErrorCode.Int(int(code)))
	}
	return attrs
}

// errorType is the error.type of a failure: its Marketo code, else its
// HTTP status, else its outcome.
func errorType(o marketo.Outcome, code marketo.Code, status int) string {
	switch {
	case code != 0:
		return strconv.Itoa(int(code))
	case status >= 400:
		return strconv.Itoa(status)
	}
	return o.String()
}
