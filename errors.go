package marketo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Code is a Marketo SOAP API error code, as carried in a fault's
// detail/serviceException/code element.
type Code int

// The error codes Marketo documents for the SOAP API.
const (
	CodeInternalError            Code = 10001 // internal error (system)
	CodeAPIInternalError         Code = 20011 // internal error (API service)
	CodeRequestNotUnderstood     Code = 20012 // the request was not understood
	CodeAccessDenied             Code = 20013 // access denied
	CodeAuthenticationFailed     Code = 20014 // bad user ID or signature
	CodeRequestLimitExceeded     Code = 20015 // daily quota used up
	CodeRequestExpired           Code = 20016 // signature timestamp too old or too new
	CodeInvalidRequest           Code = 20017 // a required part of the request is missing
	CodeUnsupportedOperation     Code = 20019 // the operation is not supported
	CodeQueryRangeTooLarge       Code = 20022 // a query range over 30 days
	CodeRateLimitExceeded        Code = 20023 // more than 100 calls in 20 seconds
	CodeConcurrencyLimitExceeded Code = 20024 // more than 10 calls in flight
	CodeLeadKeyRequired          Code = 20101 // a lead key is required
	CodeLeadKeyBad               Code = 20102 // a lead key is malformed
	CodeLeadNotFound             Code = 20103 // no lead matched the key
	CodeLeadDetailRequired       Code = 20104 // lead detail is required
	CodeLeadAttributeBad         Code = 20105 // an unknown or bad lead attribute
	CodeLeadSyncFailed           Code = 20106 // the lead could not be synced
	CodeActivityKeyBad           Code = 20107 // an activity key is malformed
	CodeLeadOwnerNotFound        Code = 20108 // the lead owner does not exist
	CodeParameterRequired        Code = 20109 // a required parameter is missing
	CodeBadParameter             Code = 20110 // a parameter has a bad value
	CodeListNotFound             Code = 20111 // the static list does not exist
	CodeCampaignNotFound         Code = 20113 // the program or campaign does not exist
	CodeBadParameterValue        Code = 20114 // a parameter has a bad value
	CodeBadStreamPosition        Code = 20122 // a stream position is invalid
	CodeStreamAtEnd              Code = 20123 // the stream has no more data
)

var codeText = map[Code]string{
	CodeInternalError:            "internal error",
	CodeAPIInternalError:         "API service internal error",
	CodeRequestNotUnderstood:     "request not understood",
	CodeAccessDenied:             "access denied",
	CodeAuthenticationFailed:     "authentication failed",
	CodeRequestLimitExceeded:     "daily request limit exceeded",
	CodeRequestExpired:           "request expired",
	CodeInvalidRequest:           "invalid request",
	CodeUnsupportedOperation:     "unsupported operation",
	CodeQueryRangeTooLarge:       "query range over 30 days",
	CodeRateLimitExceeded:        "rate limit exceeded",
	CodeConcurrencyLimitExceeded: "concurrency limit exceeded",
	CodeLeadKeyRequired:          "lead key required",
	CodeLeadKeyBad:               "bad lead key",
	CodeLeadNotFound:             "lead not found",
	CodeLeadDetailRequired:       "lead detail required",
	CodeLeadAttributeBad:         "bad lead attribute",
	CodeLeadSyncFailed:           "lead sync failed",
	CodeActivityKeyBad:           "bad activity key",
	CodeLeadOwnerNotFound:        "lead owner not found",
	CodeParameterRequired:        "parameter required",
	CodeBadParameter:             "bad parameter",
	CodeListNotFound:             "list not found",
	CodeCampaignNotFound:         "campaign not found",
	CodeBadParameterValue:        "bad parameter",
	CodeBadStreamPosition:        "bad stream position",
	CodeStreamAtEnd:              "stream at end",
}

// String returns the code's number and meaning, e.g. "20113 (campaign not found)".
func (c Code) String() string {
	if t := c.Meaning(); t != "" {
		return strconv.Itoa(int(c)) + " (" + t + ")"
	}
	return strconv.Itoa(int(c))
}

// Meaning returns what Marketo documents the code to mean, e.g. "campaign
// not found", or "" for a code Marketo does not document.
func (c Code) Meaning() string { return codeText[c] }

// Sentinel errors for the faults callers most often handle. A *Fault with the
// matching code satisfies errors.Is(err, ErrX).
var (
	ErrAuthenticationFailed     = errors.New("marketo: authentication failed")
	ErrRequestExpired           = errors.New("marketo: request expired")
	ErrRateLimitExceeded        = errors.New("marketo: rate limit exceeded")
	ErrConcurrencyLimitExceeded = errors.New("marketo: concurrency limit exceeded")
	ErrDailyQuotaExceeded       = errors.New("marketo: daily request quota exceeded")
	ErrAccessDenied             = errors.New("marketo: access denied")
	ErrCampaignNotFound         = errors.New("marketo: campaign not found")
	ErrLeadNotFound             = errors.New("marketo: lead not found")
	ErrListNotFound             = errors.New("marketo: list not found")
	ErrBadParameter             = errors.New("marketo: bad parameter")
)

var codeSentinel = map[Code]error{
	CodeAuthenticationFailed:     ErrAuthenticationFailed,
	CodeRequestExpired:           ErrRequestExpired,
	CodeRateLimitExceeded:        ErrRateLimitExceeded,
	CodeConcurrencyLimitExceeded: ErrConcurrencyLimitExceeded,
	CodeRequestLimitExceeded:     ErrDailyQuotaExceeded,
	CodeAccessDenied:             ErrAccessDenied,
	CodeCampaignNotFound:         ErrCampaignNotFound,
	CodeLeadNotFound:             ErrLeadNotFound,
	CodeListNotFound:             ErrListNotFound,
	CodeBadParameter:             ErrBadParameter,
	CodeBadParameterValue:        ErrBadParameter,
}

// Fault is an error answer from Marketo: a SOAP fault whose
// detail/serviceException carries a Marketo error code. Marketo usually sends
// faults with HTTP 500, sometimes with 200; both become a *Fault.
type Fault struct {
	Code        Code   // detail/serviceException/code, e.g. CodeCampaignNotFound (20113)
	FaultCode   string // the SOAP faultcode, e.g. "SOAP-ENV:Client"
	FaultString string // the SOAP faultstring, e.g. "20113 - Campaign not found"
	Message     string // detail/serviceException/message
	HTTPStatus  int    // the HTTP status the fault arrived with
	// QuotaResetsAt is, for CodeRequestLimitExceeded (20015), the next
	// midnight US Central time, when Marketo resets the daily quota.
	QuotaResetsAt time.Time
}

func (f *Fault) Error() string {
	var b strings.Builder
	b.WriteString("marketo fault ")
	b.WriteString(f.Code.String())
	msg := f.Message
	if msg == "" {
		msg = f.FaultString
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if f.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", f.HTTPStatus)
	}
	if !f.QuotaResetsAt.IsZero() {
		b.WriteString("; the daily quota resets at " + f.QuotaResetsAt.Format(time.RFC3339) + " (midnight US Central)")
	}
	return b.String()
}

// Is reports whether target is the sentinel error for f's code, so that
// errors.Is(err, marketo.ErrCampaignNotFound) works on any error wrapping a
// fault with code 20113.
func (f *Fault) Is(target error) bool {
	s, ok := codeSentinel[f.Code]
	return ok && s == target
}

// ValidationError reports a parameter or configuration value that breaks a
// rule. It is returned before anything is sent. When several values are bad,
// the call's error joins one ValidationError for each; errors.As finds the
// first.
type ValidationError struct {
	Field string // the Go field, e.g. "Tokens[1].Name" or "Config.Endpoint"
	Rule  string // what the value must satisfy
}

func (e *ValidationError) Error() string {
	return "invalid " + e.Field + ": " + e.Rule
}

// ErrOutcomeUnknown matches (with errors.Is) every error of a call that may
// have run on Marketo's side: the request was sent but no trustworthy answer
// came back (a timeout or reset after sending, a cancelled context, an answer
// that is not SOAP). Check the tenant before repeating such a call: a state
// changing call repeated blindly may run twice.
var ErrOutcomeUnknown = errors.New("marketo: outcome unknown: the request was sent and Marketo may have acted on it")

// ErrNotSuccessful matches an answer whose result/success was false: Marketo
// answered without a fault but did not do what was asked.
var ErrNotSuccessful = errors.New("marketo: Marketo reported success=false")

// OperationError is the error of every call: it names the operation and
// unwraps to the cause (a *Fault, a *ValidationError, a *ResponseError, a
// context error, a network error).
type OperationError struct {
	Operation string // the SDK method, e.g. "ScheduleCampaign"
	// Sent reports whether the request left the client. False means Marketo
	// cannot have acted on it.
	Sent bool
	// OutcomeUnknown is true when Marketo may have acted on the request even
	// though the call failed; errors.Is(err, ErrOutcomeUnknown) then holds.
	OutcomeUnknown bool
	// Attempts is how many HTTP attempts the call made (0 when nothing
	// was sent because the parameters were invalid).
	Attempts int
	Err      error
}

func (e *OperationError) Error() string {
	s := "marketo: " + e.Operation + ": " + e.Err.Error()
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if e.OutcomeUnknown {
		s += " (outcome unknown: the request was sent and Marketo may have run it; check before retrying)"
	}
	return s
}

// Unwrap returns the cause, and ErrOutcomeUnknown when the outcome is unknown.
func (e *OperationError) Unwrap() []error {
	if e.OutcomeUnknown {
		return []error{e.Err, ErrOutcomeUnknown}
	}
	return []error{e.Err}
}

// AttemptTimeoutError is the cause of an error for an attempt that did not
// finish within the client's attempt timeout (see WithAttemptTimeout) while
// the caller's context was still live. It matches context.DeadlineExceeded
// with errors.Is.
type AttemptTimeoutError struct {
	Timeout time.Duration
}

func (e *AttemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %v", e.Timeout)
}

// Is reports whether target is context.DeadlineExceeded.
func (e *AttemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// ResponseError reports an answer that is neither a SOAP success nor a SOAP
// fault: an HTML page from a gateway, JSON, an empty or truncated body,
// malformed XML, an envelope of another protocol, a wrong content type, or a
// body over the size limit.
type ResponseError struct {
	HTTPStatus  int
	ContentType string
	Reason      string // what is wrong, e.g. "body is not XML"
	// Excerpt is the start of the body, at most 200 bytes, with control
	// characters replaced, for diagnosis.
	Excerpt string
	Err     error // the parse error, if any
}

func (e *ResponseError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "none"
	}
	s := fmt.Sprintf("unexpected response (HTTP %d, Content-Type %s): %s", e.HTTPStatus, ct, e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Excerpt != "" {
		s += fmt.Sprintf("; body starts %q", e.Excerpt)
	}
	return s
}

func (e *ResponseError) Unwrap() error { return e.Err }

const excerptMax = 200

// excerpt returns the first bytes of body as printable text for diagnostics.
func excerpt(body []byte) string {
	if len(body) > excerptMax {
		body = body[:excerptMax]
	}
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' {
			return ' '
		}
		return r
	}, s)
}
