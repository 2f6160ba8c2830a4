package marketo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Code is a Marketo error code: a SOAP fault's detail/serviceException/code
// (10001, 20xxx) or a REST error's code (5xx–1xxx). The two ranges do not
// overlap, so one type serves both APIs.
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

// The error codes Marketo documents for the REST API. A 6xx code means the
// whole request failed and was not executed.
const (
	CodeBadGateway                 Code = 502  // bad gateway
	CodeAccessTokenInvalid         Code = 601  // access token invalid
	CodeAccessTokenExpired         Code = 602  // access token expired
	CodeRESTAccessDenied           Code = 603  // access denied (permission, IP allow-list)
	CodeRequestTimedOut            Code = 604  // request timed out
	CodeMethodNotSupported         Code = 605  // HTTP method not supported
	CodeMaxRateExceeded            Code = 606  // more than 100 calls in 20 seconds
	CodeDailyQuotaReached          Code = 607  // daily quota reached
	CodeAPIUnavailable             Code = 608  // API temporarily unavailable
	CodeInvalidJSON                Code = 609  // invalid JSON
	CodeResourceNotFound           Code = 610  // requested resource not found
	CodeSystemError                Code = 611  // system error
	CodeInvalidContentType         Code = 612  // invalid content type
	CodeInvalidMultipart           Code = 613  // invalid multipart request
	CodeSubscriptionUnreachable    Code = 614  // subscription unreachable
	CodeConcurrentAccessLimit      Code = 615  // more than 10 calls in flight
	CodeSubscriptionTypeNotAllowed Code = 616  // the subscription type cannot use this API
	CodeTransientError             Code = 713  // transient error
	CodeLockWaitTimeout            Code = 719  // lock wait timeout
	CodeInvalidData                Code = 1003 // invalid data, e.g. a trigger of a batch campaign
	CodeRecordLeadNotFound         Code = 1004 // lead not found (per record)
	CodeObjectNotFound             Code = 1013 // object (campaign, list) not found
	CodeTooManyImports             Code = 1016 // more than 10 bulk imports queued
	CodeImportInProgress           Code = 1019 // the list is already being imported to
	CodeCloneLimitReached          Code = 1020 // clone-to-program daily limit reached
	CodeBulkQueueFull              Code = 1029 // too many jobs in the bulk queue
	CodeInvalidRunAt               Code = 1042 // runAt more than two years ahead
)

// codeInfo is what the SDK knows of one code: its meaning, the sentinel a
// fault with it matches, and what the fault proves about the call.
type codeInfo struct {
	text     string
	sentinel error
	outcome  outcome
}

// codes is the one table of Marketo's error codes. A code not in it (and
// the internal errors) leaves the outcome of a state-changing call unknown.
var codes = map[Code]codeInfo{
	CodeInternalError:            {"internal error", nil, outcomeUnknown},
	CodeAPIInternalError:         {"API service internal error", nil, outcomeUnknown},
	CodeRequestNotUnderstood:     {"request not understood", nil, outcomeRefused},
	CodeAccessDenied:             {"access denied", ErrAccessDenied, outcomeRefused},
	CodeAuthenticationFailed:     {"authentication failed", ErrAuthenticationFailed, outcomeRefused},
	CodeRequestLimitExceeded:     {"daily request limit exceeded", ErrDailyQuotaExceeded, outcomeRefused},
	CodeRequestExpired:           {"request expired", ErrRequestExpired, outcomeRetryable},
	CodeInvalidRequest:           {"invalid request", nil, outcomeRefused},
	CodeUnsupportedOperation:     {"unsupported operation", nil, outcomeRefused},
	CodeQueryRangeTooLarge:       {"query range over 30 days", nil, outcomeRefused},
	CodeRateLimitExceeded:        {"rate limit exceeded", ErrRateLimitExceeded, outcomeRetryable},
	CodeConcurrencyLimitExceeded: {"concurrency limit exceeded", ErrConcurrencyLimitExceeded, outcomeRetryable},
	CodeLeadKeyRequired:          {"lead key required", nil, outcomeRefused},
	CodeLeadKeyBad:               {"bad lead key", nil, outcomeRefused},
	CodeLeadNotFound:             {"lead not found", ErrLeadNotFound, outcomeRefused},
	CodeLeadDetailRequired:       {"lead detail required", nil, outcomeRefused},
	CodeLeadAttributeBad:         {"bad lead attribute", nil, outcomeRefused},
	CodeLeadSyncFailed:           {"lead sync failed", nil, outcomeRefused},
	CodeActivityKeyBad:           {"bad activity key", nil, outcomeRefused},
	CodeLeadOwnerNotFound:        {"lead owner not found", nil, outcomeRefused},
	CodeParameterRequired:        {"parameter required", nil, outcomeRefused},
	CodeBadParameter:             {"bad parameter", ErrBadParameter, outcomeRefused},
	CodeListNotFound:             {"list not found", ErrListNotFound, outcomeRefused},
	CodeCampaignNotFound:         {"campaign not found", ErrCampaignNotFound, outcomeRefused},
	CodeBadParameterValue:        {"bad parameter", ErrBadParameter, outcomeRefused},
	CodeBadStreamPosition:        {"bad stream position", nil, outcomeRefused},
	CodeStreamAtEnd:              {"stream at end", nil, outcomeRefused},

	CodeBadGateway:                 {"bad gateway", nil, outcomeRetryable},
	CodeAccessTokenInvalid:         {"access token invalid", ErrAuthenticationFailed, outcomeRefused},
	CodeAccessTokenExpired:         {"access token expired", nil, outcomeRefused},
	CodeRESTAccessDenied:           {"access denied", ErrAccessDenied, outcomeRefused},
	CodeRequestTimedOut:            {"request timed out", nil, outcomeRetryable},
	CodeMethodNotSupported:         {"HTTP method not supported", nil, outcomeRefused},
	CodeMaxRateExceeded:            {"rate limit exceeded", ErrRateLimitExceeded, outcomeRetryable},
	CodeDailyQuotaReached:          {"daily quota reached", ErrDailyQuotaExceeded, outcomeRefused},
	CodeAPIUnavailable:             {"API temporarily unavailable", nil, outcomeRetryable},
	CodeInvalidJSON:                {"invalid JSON", nil, outcomeRefused},
	CodeResourceNotFound:           {"resource not found", nil, outcomeRefused},
	CodeSystemError:                {"system error", nil, outcomeRetryableOnce},
	CodeInvalidContentType:         {"invalid content type", nil, outcomeRefused},
	CodeInvalidMultipart:           {"invalid multipart request", nil, outcomeRefused},
	CodeSubscriptionUnreachable:    {"subscription unreachable", nil, outcomeRetryable},
	CodeConcurrentAccessLimit:      {"concurrency limit exceeded", ErrConcurrencyLimitExceeded, outcomeRetryable},
	CodeSubscriptionTypeNotAllowed: {"subscription type not allowed", nil, outcomeRefused},
	CodeTransientError:             {"transient error", nil, outcomeRetryable},
	CodeLockWaitTimeout:            {"lock wait timeout", nil, outcomeRetryable},
	CodeInvalidData:                {"invalid data", nil, outcomeRefused},
	CodeRecordLeadNotFound:         {"lead not found", ErrLeadNotFound, outcomeRefused},
	CodeObjectNotFound:             {"object not found", nil, outcomeRefused},
	CodeTooManyImports:             {"too many imports queued", nil, outcomeRetryable},
	CodeImportInProgress:           {"list import in progress", nil, outcomeRetryable},
	CodeCloneLimitReached:          {"clone-to-program daily limit reached", ErrCloneBudgetExhausted, outcomeRefused},
	CodeBulkQueueFull:              {"bulk queue full", nil, outcomeRetryable},
	CodeInvalidRunAt:               {"invalid runAt", ErrBadParameter, outcomeRefused},
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
func (c Code) Meaning() string { return codes[c].text }

// Sentinel errors for the faults callers most often handle. A *Fault with a
// matching code satisfies errors.Is(err, ErrX), on both APIs: for example
// ErrCampaignNotFound matches SOAP's 20113, and REST's 1013 for a campaign
// or a campaign name that matched no campaign.
var (
	ErrAuthenticationFailed     = errors.New("marketo: authentication failed")
	ErrRequestExpired           = errors.New("marketo: request expired")
	ErrRateLimitExceeded        = errors.New("marketo: rate limit exceeded")
	ErrConcurrencyLimitExceeded = errors.New("marketo: concurrency limit exceeded")
	ErrDailyQuotaExceeded       = errors.New("daily request quota exceeded")
	ErrAccessDenied             = errors.New("marketo: access denied")
	ErrCampaignNotFound         = errors.New("marketo: campaign not found")
	ErrLeadNotFound             = errors.New("marketo: lead not found")
	ErrListNotFound             = errors.New("marketo: list not found")
	ErrBadParameter             = errors.New("marketo: bad parameter")
)

// Fault is an error answer from Marketo: a SOAP fault whose
// detail/serviceException carries a Marketo error code, or a REST answer
// with success=false and an error code. Marketo usually sends SOAP faults
// with HTTP 500, sometimes with 200, and REST errors with 200; all become a
// *Fault.
type Fault struct {
	Code        Code   // the Marketo error code, e.g. CodeCampaignNotFound (20113) or CodeObjectNotFound (1013)
	FaultCode   string // SOAP only: the faultcode, e.g. "SOAP-ENV:Client"
	FaultString string // SOAP only: the faultstring, e.g. "20113 - Campaign not found"
	Message     string // Marketo's message: SOAP's detail/serviceException/message, REST's errors[].message
	HTTPStatus  int    // the HTTP status the fault arrived with
	RequestID   string // REST only: the answer's requestId, for Marketo support
	// QuotaResetsAt is, for the daily quota codes (20015, 607), the next
	// midnight US Central time, when Marketo resets the daily quota.
	QuotaResetsAt time.Time

	// sentinel, when set, is what the fault matches instead of its code's
	// sentinel: REST's 1013 means a missing campaign or a missing list
	// depending on the endpoint.
	sentinel error
}

// Error says the code, its meaning and Marketo's message once each, e.g.
// "fault 20113 (campaign not found): Campaign Nope not found in program P".
func (f *Fault) Error() string {
	var b strings.Builder
	b.WriteString("fault ")
	b.WriteString(f.Code.String())
	if msg := f.message(); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if f.HTTPStatus != 0 && f.HTTPStatus != 200 && f.HTTPStatus != 500 {
		fmt.Fprintf(&b, " (HTTP %d)", f.HTTPStatus)
	}
	if !f.QuotaResetsAt.IsZero() {
		b.WriteString("; the daily quota resets at " + f.QuotaResetsAt.Format(time.RFC3339) + " (midnight US Central)")
	}
	return b.String()
}

// message returns Marketo's message without the code it often repeats
// ("20113 - …", "… (20113)"), which Error already says.
func (f *Fault) message() string {
	msg := f.Message
	if msg == "" {
		msg = f.FaultString
	}
	n := strconv.Itoa(int(f.Code))
	msg = strings.TrimSpace(msg)
	msg = strings.TrimSpace(strings.TrimSuffix(msg, "("+n+")"))
	if rest, ok := strings.CutPrefix(msg, n); ok {
		msg = strings.TrimSpace(strings.TrimLeft(rest, " -:"))
	}
	return msg
}

// Is reports whether target is the sentinel error for f's code, so that
// errors.Is(err, marketo.ErrCampaignNotFound) works on any error wrapping a
// fault with code 20113.
func (f *Fault) Is(target error) bool {
	if f.sentinel != nil {
		return f.sentinel == target
	}
	s := codes[f.Code].sentinel
	return s != nil && s == target
}

func (f *Fault) outcome() outcome {
	if info, ok := codes[f.Code]; ok {
		return info.outcome
	}
	return outcomeUnknown
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

func (e *ValidationError) outcome() outcome { return outcomeRefused }

// ValidationErrors returns every *ValidationError in err's tree, in order:
// all the problems a call found in its parameters.
func ValidationErrors(err error) []*ValidationError {
	var out []*ValidationError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *ValidationError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	return out
}

// ErrOutcomeUnknown matches (with errors.Is) every error of a call that may
// have run on Marketo's side: the request was sent but no trustworthy answer
// came back (a timeout or reset after sending, a cancelled context, an answer
// that is not Marketo's). Check the tenant before repeating such a call: a state
// changing call repeated blindly may run twice.
var ErrOutcomeUnknown = errors.New("marketo: outcome unknown: the request was sent and Marketo may have acted on it")

// ErrNotSuccessful matches an answer whose result/success was false: Marketo
// answered without a fault but did not do what was asked.
var ErrNotSuccessful = errors.New("the answer said success=false: Marketo did not do what was asked")

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

// Error keeps the whole text on one line: the problems of joined errors
// (several invalid fields) are separated by "; ".
func (e *OperationError) Error() string {
	s := "marketo: " + e.Operation + ": " + strings.ReplaceAll(e.Err.Error(), "\n", "; ")
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

// ResponseError reports an answer that is neither a success nor an error
// answer of Marketo's API: an HTML page from a gateway, an empty or
// truncated body, malformed XML or JSON, an envelope of another protocol
// (JSON to a SOAP call, XML to a REST call), a wrong content type, a
// redirect, or a body over the size limit.
type ResponseError struct {
	HTTPStatus  int
	ContentType string
	Reason      string // what is wrong, e.g. "body is not XML"
	// Excerpt is the start of the body, at most 200 bytes, with control
	// characters replaced, for diagnosis.
	Excerpt string
	Err     error // the parse error, if any

	// redirectFollowed is set when the caller's HTTP client followed a
	// redirect: whatever the final answer's status, the request may have
	// reached a host that ran it.
	redirectFollowed bool
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

// outcome classifies by what the HTTP status proves: 429 and 503 ask for a
// later retry; 404 and 405 (a wrong path or method), 413 and 414 (a request
// too large), and a 307 or 308 not followed (send it elsewhere) are refused
// before anything runs; anything else, a gateway's 502, a 303 (which may
// follow a POST that ran), a followed redirect or a garbled answer, leaves
// open whether the call ran.
func (e *ResponseError) outcome() outcome {
	if e.redirectFollowed {
		return outcomeUnknown
	}
	switch e.HTTPStatus {
	case http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return outcomeRefused
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return outcomeRetryable
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge, http.StatusRequestURITooLong:
		return outcomeRefused
	}
	return outcomeUnknown
}

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
