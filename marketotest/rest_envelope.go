package marketotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/mktows/marketo"
)

// REST error codes the fake answers, as Adobe documents them. Typed
// marketo.Code like the SOAP codes, but the numbers are the fake's own
// record (codes_test.go checks that the SDK agrees).
const (
	restTokenInvalid     marketo.Code = 601 // access token invalid (also: none sent, or sent in the query)
	restTokenExpired     marketo.Code = 602 // access token expired (the first use after expiry)
	restAccessDenied     marketo.Code = 603
	restTimedOut         marketo.Code = 604
	restMethodNotAllowed marketo.Code = 605 // HTTP method not supported on this path
	restRateLimit        marketo.Code = 606 // more than CallsPerWindow calls in Window
	restDailyQuota       marketo.Code = 607 // daily quota reached
	restUnavailable      marketo.Code = 608
	restInvalidJSON      marketo.Code = 609
	restNotFound         marketo.Code = 610 // requested resource (path) not found
	restSystemError      marketo.Code = 611
	restContentType      marketo.Code = 612
	restUnreachable      marketo.Code = 614
	restConcurrency      marketo.Code = 615 // more than MaxInFlight calls in flight
	restBlank            marketo.Code = 701 // a required parameter is missing or empty
	restBusinessRule     marketo.Code = 709 // e.g. cloning a program that holds assets that cannot be cloned
	restInvalidValue     marketo.Code = 1001
	restInvalidData      marketo.Code = 1003
	restLeadNotFound     marketo.Code = 1004
	restFieldNotFound    marketo.Code = 1006
	restObjectNotFound   marketo.Code = 1013
	restCloneLimit       marketo.Code = 1020
	restInvalidRunAt     marketo.Code = 1042
)

// restMessage is a code's standard message; 606's with Marketo's own
// numbers (100 calls in 20 s).
func restMessage(code marketo.Code) string {
	if code == restRateLimit {
		return rateLimitMessage(DefaultRESTLimits())
	}
	if t, ok := codeTexts[code]; ok && t.api == APIREST {
		return t.text
	}
	return "Error"
}

// rateLimitMessage is 606's message for a rate window, as Marketo words it
// ("Max rate limit '100' exceeded with in '20' secs").
func rateLimitMessage(l Limits) string {
	return fmt.Sprintf(codeTexts[restRateLimit].text, l.CallsPerWindow, int(l.Window/time.Second))
}

// restCodeFor maps a SOAP fault code to the REST code that means the same,
// so that a limit of the shared machinery or FailNext(n, soapCode) reads the
// same on both APIs. Codes without a counterpart (and REST codes) are kept.
func restCodeFor(code marketo.Code) marketo.Code {
	switch code {
	case codeRateLimitExceeded:
		return restRateLimit
	case codeConcurrencyLimitExceeded:
		return restConcurrency
	case codeRequestLimitExceeded:
		return restDailyQuota
	case codeAuthenticationFailed:
		return restTokenInvalid
	case codeAccessDenied:
		return restAccessDenied
	case codeInternalError, codeAPIInternalError:
		return restSystemError
	case codeCampaignNotFound, codeListNotFound:
		return restObjectNotFound
	case codeLeadNotFound:
		return restLeadNotFound
	}
	return code
}

// restStandard is an error with the code's standard message.
func restStandard(code marketo.Code) *Fault { return &Fault{Code: code, Message: restMessage(code)} }

// faultFromLimit turns a refusal of the REST limiter into its REST
// code with REST's standard message; 606 names the configured window.
func (a *restAPI) faultFromLimit(f *Fault) *Fault {
	code := restCodeFor(f.Code)
	if code == restRateLimit {
		return &Fault{Code: code, Message: rateLimitMessage(a.lim.l)}
	}
	return restStandard(code)
}

// restAnswer is what a REST operation answers: a result page, or errors.
type restAnswer struct {
	result        any // a slice; written as [] when empty
	nextPageToken string
	errs          []*Fault
	file          *csvAnswer // a CSV file answered instead of an envelope (bulk failures, warnings)
	asset         bool       // answered in the asset API's envelope
	warnings      []string   // the asset API's warnings, plain strings
}

func failed(fs ...*Fault) restAnswer { return restAnswer{errs: fs} }

// restError is an item of errors[]: the code is a JSON string, as Marketo
// sends it ("a quoted integer").
type restError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// restEnvelope is Marketo's answer envelope, fields in Marketo's order.
type restEnvelope struct {
	RequestID     string      `json:"requestId"`
	Result        any         `json:"result,omitempty"`
	Success       bool        `json:"success"`
	NextPageToken string      `json:"nextPageToken,omitempty"`
	Errors        []restError `json:"errors,omitempty"`
}

// requestID returns an ID in Marketo's shape, "e42b#14272d07d78".
func (a *restAPI) requestID(now time.Time) string {
	return fmt.Sprintf("%x#%x", 0xa000+a.seq.Add(1)%0x6000, now.UnixMilli())
}

// assetEnvelope is the asset API's envelope: errors and warnings always
// present, warnings plain strings, result absent when nothing was found.
type assetEnvelope struct {
	Success   bool        `json:"success"`
	Errors    []restError `json:"errors"`
	RequestID string      `json:"requestId"`
	Warnings  []string    `json:"warnings"`
	Result    any         `json:"result,omitempty"`
}

// envelope renders an answer. Errors are HTTP 200 too, success false.
func (a *restAPI) envelope(ans restAnswer, now time.Time) []byte {
	if ans.asset {
		return a.assetEnvelope(ans, now)
	}
	env := restEnvelope{RequestID: a.requestID(now), Success: len(ans.errs) == 0}
	if env.Success {
		env.Result, env.NextPageToken = ans.result, ans.nextPageToken
		if env.Result == nil {
			env.Result = []any{}
		}
	}
	for _, f := range ans.errs {
		env.Errors = append(env.Errors, restError{Code: strconv.Itoa(int(f.Code)), Message: f.Message})
	}
	b, err := json.Marshal(env)
	if err != nil {
		panic("marketotest: REST answer does not encode: " + err.Error())
	}
	return b
}

func (a *restAPI) assetEnvelope(ans restAnswer, now time.Time) []byte {
	env := assetEnvelope{Success: len(ans.errs) == 0, Errors: []restError{}, RequestID: a.requestID(now), Warnings: []string{}}
	if env.Success {
		env.Result = ans.result
		env.Warnings = append(env.Warnings, ans.warnings...)
	}
	for _, f := range ans.errs {
		env.Errors = append(env.Errors, restError{Code: strconv.Itoa(int(f.Code)), Message: f.Message})
	}
	b, err := json.Marshal(env)
	if err != nil {
		panic("marketotest: asset answer does not encode: " + err.Error())
	}
	return b
}

const jsonContentType = "application/json;charset=UTF-8"

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
