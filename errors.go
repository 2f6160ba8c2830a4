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

// Sentinel errors for the faults callers most often handle. A *Fault with a
// matching code satisfies errors.Is(err, ErrX), on both APIs: for example
// ErrCampaignNotFound matches SOAP's 20113, and REST's 1013 for a campaign
// or a campaign name that matched no campaign. codes.go says which code
// matches which.
var (
	ErrAuthenticationFailed     = errors.New(errorPrefix + "authentication failed")
	ErrRequestExpired           = errors.New(errorPrefix + "request expired")
	ErrRateLimitExceeded        = errors.New(errorPrefix + "rate limit exceeded")
	ErrConcurrencyLimitExceeded = errors.New(errorPrefix + "concurrency limit exceeded")
	ErrDailyQuotaExceeded       = errors.New(errorPrefix + "daily request quota exceeded")
	ErrAccessDenied             = errors.New(errorPrefix + "access denied")
	ErrCampaignNotFound         = errors.New(errorPrefix + "campaign not found")
	ErrLeadNotFound             = errors.New(errorPrefix + "lead not found")
	ErrListNotFound             = errors.New(errorPrefix + "list not found")
	ErrBadParameter             = errors.New(errorPrefix + "bad parameter")
)

// ErrOutcomeUnknown matches (with errors.Is) every error of a call that may
// have run on Marketo's side: the request was sent but no trustworthy answer
// came back (a timeout or reset after sending, a cancelled context, an answer
// that is not Marketo's). Check the tenant before repeating such a call: a state
// changing call repeated blindly may run twice.
var ErrOutcomeUnknown = errors.New(errorPrefix + "outcome unknown: the request was sent and Marketo may have acted on it")

// ErrNotSuccessful matches an answer whose result/success was false: Marketo
// answered without a fault but did not do what was asked.
var ErrNotSuccessful = errors.New(errorPrefix + "the answer said success=false: Marketo did not do what was asked")

// ErrAmbiguousName matches the error of a call on REST that named a
// campaign or a static list by a name that more than one carries: an
// *AmbiguousNameError when ProgramName was empty, a *CampaignLookupError
// or *ListLookupError when it was given. Nothing was scheduled, requested
// or imported.
var ErrAmbiguousName = errors.New(errorPrefix + "ambiguous name")

// ErrImportNotFound matches the error of GetImportToListStatus,
// WaitForImport, WaitForImports, ImportFailures and ImportWarnings on REST
// when Marketo knows no bulk import job with the ImportID (REST's 1013):
// an ID it never issued, or one more than seven days old, which Marketo
// has forgotten.
var ErrImportNotFound = errors.New(errorPrefix + "import not found")

// ErrUnknownImportStatus matches the error of WaitForImport when Marketo
// reports a status other than the documented PROCESSING, COMPLETE, FAILED
// and CANCELED: the SDK does not guess whether such an import has ended.
var ErrUnknownImportStatus = errors.New(errorPrefix + "unknown import status")

// ErrRESTOnly is the cause of the error of a method the SOAP API has no
// counterpart for (ImportFailures, ImportWarnings). Nothing was sent.
var ErrRESTOnly = errors.New(errorPrefix + "available on the REST API only")

// ErrCloneBudgetExhausted is the cause of the error of a ScheduleCampaign
// with CloneToProgramName refused locally because the day's clones are used
// up. Nothing was sent.
var ErrCloneBudgetExhausted = errors.New(errorPrefix + "the daily budget of program clones is used up")

// ErrResponseTooLarge is the cause of an error for an answer larger than the
// client's limit (see WithMaxResponseBytes), or for a record of an import
// job's failures or warnings file larger than MaxImportRecordBytes.
var ErrResponseTooLarge = errors.New(errorPrefix + "response body exceeds the size limit")

// errorPrefix starts every sentinel's text, so that a sentinel printed on
// its own says where it comes from. Inside an error's text it is dropped
// (see reason): the OperationError around a cause says it once.
const errorPrefix = "marketo: "

// reason returns err's text without the package prefix, as it reads inside
// another error's text.
func reason(err error) string { return strings.TrimPrefix(err.Error(), errorPrefix) }

// detailError is a sentinel with the details of one occurrence: it reads
// as the sentinel's reason and the details, and matches the sentinel.
type detailError struct {
	sentinel error
	detail   string
}

// withDetail returns sentinel with details formatted after its reason,
// e.g. "response body exceeds the size limit (1024 bytes)".
func withDetail(sentinel error, format string, args ...any) error {
	return &detailError{sentinel: sentinel, detail: fmt.Sprintf(format, args...)}
}

func (e *detailError) Error() string { return reason(e.sentinel) + e.detail }
func (e *detailError) Unwrap() error { return e.sentinel }

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
	// QuotaResetsAt is, for the daily quota codes (20015, 607, and 1029
	// with "Export daily quota exceeded"), the next midnight US Central
	// time, when Marketo resets the daily quota.
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
	b.WriteString(strconv.Itoa(int(f.Code)))
	if t := f.info().text; t != "" {
		b.WriteString(" (" + t + ")")
	}
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
	s := f.info().sentinel
	return s != nil && s == target
}

// info returns what the code table says of f: by its code, and for a
// code with several meanings by its message.
func (f *Fault) info() codeInfo { return codeInfoOf(f.Code, f.Message) }

func (f *Fault) outcome() outcome { return f.info().class.outcome() }

// spendsDailyQuota reports a fault that refuses calls until Marketo's daily
// quota resets at midnight US Central (20015, 607, 1029 "Export daily
// quota exceeded"): its QuotaResetsAt says when.
func (f *Fault) spendsDailyQuota() bool { return f.info().class == classDailyQuota }

// busy reports a fault of a busy queue or list (1016, 1019, 1029 "Too many
// jobs in queue"): the request did not run and may be sent again after
// busyWait.
func (f *Fault) busy() bool { return f.info().class == classBusy }

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
	lines := strings.Split(e.Err.Error(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, errorPrefix) // a sentinel as the cause, or among joined ones
	}
	s := errorPrefix + e.Operation + ": " + strings.Join(lines, "; ")
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

// AmbiguousNameError reports that on REST a campaign or a static list named
// by its name alone (ProgramName empty) is not one: several carry the name,
// in different programs or folders. Nothing was scheduled, requested or
// imported. Candidates says where each lives: give the one meant by its ID
// (CampaignID, ListID) or, when it is in a program, by its ProgramName.
// It matches ErrAmbiguousName with errors.Is.
type AmbiguousNameError struct {
	Asset      string // what was looked up: "campaign" or "static list"
	Name       string
	Candidates []NameMatch // in Marketo's order
}

func (e *AmbiguousNameError) Error() string {
	where := make([]string, len(e.Candidates))
	for i, m := range e.Candidates {
		where[i] = fmt.Sprintf("ID %d %s", m.ID, m.where())
	}
	byID := "CampaignID"
	if e.Asset != "campaign" {
		byID = "ListID"
	}
	return fmt.Sprintf("%d %ss are named %q: %s; name the one meant by %s (or by ProgramName when it is in a program)",
		len(e.Candidates), e.Asset, e.Name, strings.Join(where, ", "), byID)
}

// Is reports whether target is ErrAmbiguousName.
func (e *AmbiguousNameError) Is(target error) bool { return target == ErrAmbiguousName }

// CampaignLookupError reports that on REST a campaign's name (in
// ProgramName, when given) named no campaign, or more than one in that
// program. Nothing was scheduled or requested. With no match it matches
// ErrCampaignNotFound with errors.Is; with several, ErrAmbiguousName, and
// IDs lists them: name the campaign by CampaignID instead. (A name given
// without ProgramName that several campaigns carry is an
// *AmbiguousNameError.)
type CampaignLookupError struct {
	ProgramName  string // empty when the campaign was named by its name alone
	CampaignName string
	IDs          []int // the campaigns with that name: none, or more than one
}

func (e *CampaignLookupError) Error() string {
	in := ""
	if e.ProgramName != "" {
		in = fmt.Sprintf(" in program %q", e.ProgramName)
	}
	if len(e.IDs) == 0 {
		return fmt.Sprintf("no campaign named %q%s", e.CampaignName, in)
	}
	return fmt.Sprintf("%d campaigns are named %q%s (IDs %s); give the one meant as CampaignID",
		len(e.IDs), e.CampaignName, in, joinInts(e.IDs))
}

// Is reports whether target is ErrCampaignNotFound and no campaign
// matched, or ErrAmbiguousName and several did.
func (e *CampaignLookupError) Is(target error) bool {
	return (target == ErrCampaignNotFound && len(e.IDs) == 0) || (target == ErrAmbiguousName && len(e.IDs) > 1)
}

// ListLookupError reports that on REST a list's name (in ProgramName, when
// given) named no static list, or more than one in that program. Nothing
// was imported. With no match it matches ErrListNotFound with errors.Is;
// with several, ErrAmbiguousName: name the list by ListID instead. (A name
// given without ProgramName that several lists carry is an
// *AmbiguousNameError.)
type ListLookupError struct {
	ProgramName string // empty when the list was named by its name alone
	ListName    string
	IDs         []int // the lists with that name: none, or more than one
}

func (e *ListLookupError) Error() string {
	in := ""
	if e.ProgramName != "" {
		in = fmt.Sprintf(" in program %q", e.ProgramName)
	}
	if len(e.IDs) == 0 {
		return fmt.Sprintf("no static list named %q%s", e.ListName, in)
	}
	return fmt.Sprintf("%d static lists are named %q%s (IDs %s); give the one meant as ListID", len(e.IDs), e.ListName, in, joinInts(e.IDs))
}

// Is reports whether target is ErrListNotFound and no list matched, or
// ErrAmbiguousName and several did.
func (e *ListLookupError) Is(target error) bool {
	return (target == ErrListNotFound && len(e.IDs) == 0) || (target == ErrAmbiguousName && len(e.IDs) > 1)
}

// LeadLookupError reports lead keys that REST could not turn into exactly
// one lead ID: keys no lead matched, and keys several leads matched (REST
// triggers campaigns by lead ID, so the SDK does not pick one). Nothing was
// requested. It matches ErrLeadNotFound with errors.Is when a key matched
// no lead.
type LeadLookupError struct {
	NotFound  []LeadKey
	Ambiguous []AmbiguousLead
}

func (e *LeadLookupError) Error() string {
	var parts []string
	if len(e.NotFound) > 0 {
		keys := make([]string, len(e.NotFound))
		for i, k := range e.NotFound {
			keys[i] = string(k.Type) + " " + strconv.Quote(k.Value)
		}
		parts = append(parts, "no lead found for "+strings.Join(keys, ", "))
	}
	for _, a := range e.Ambiguous {
		parts = append(parts, fmt.Sprintf("%s %q matches %d leads (IDs %s); give the one meant as an IDNUM key",
			a.Key.Type, a.Key.Value, len(a.IDs), joinInts(a.IDs)))
	}
	return strings.Join(parts, "; ") + "; no campaign was requested"
}

// Is reports whether target is ErrLeadNotFound and a key matched no lead.
func (e *LeadLookupError) Is(target error) bool {
	return target == ErrLeadNotFound && len(e.NotFound) > 0
}

// IdentityError reports that Marketo's identity endpoint refused to issue
// an access token: bad client credentials (HTTP 401 "unauthorized", "Bad
// Client Credentials"), an unknown client ("invalid_client"), or another
// OAuth error. Nothing else was sent. A refusal of the credentials matches
// ErrAuthenticationFailed with errors.Is.
type IdentityError struct {
	HTTPStatus  int
	Code        string // the OAuth error, e.g. "unauthorized"; empty if the answer had none
	Description string // the OAuth error_description, e.g. "Bad Client Credentials"
}

func (e *IdentityError) Error() string {
	s := fmt.Sprintf("identity endpoint refused the client credentials (HTTP %d", e.HTTPStatus)
	if e.Code != "" {
		s += " " + e.Code
	}
	s += ")"
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// Is reports whether target is ErrAuthenticationFailed and e refuses the
// credentials themselves.
func (e *IdentityError) Is(target error) bool {
	if target != ErrAuthenticationFailed {
		return false
	}
	switch e.Code {
	case "unauthorized", "invalid_client", "unauthorized_client", "access_denied":
		return true
	}
	return e.HTTPStatus == http.StatusUnauthorized
}

// ImportFailedError is the error of WaitForImport when the import ends
// FAILED or CANCELED. Status holds Marketo's last report, summary and row
// counts included.
type ImportFailedError struct {
	ProgramName string
	ListName    string
	ImportID    string // the REST bulk import job; empty on SOAP
	Status      ImportToListStatus
}

func (e *ImportFailedError) Error() string {
	s := "marketo: import"
	if e.ImportID != "" {
		s += " " + e.ImportID
	}
	if e.ListName != "" {
		s += fmt.Sprintf(" to list %q", e.ListName)
	}
	if e.ProgramName != "" {
		s += fmt.Sprintf(" of program %q", e.ProgramName)
	}
	s += " ended " + string(e.Status.Status)
	if e.Status.RowsFailed != nil {
		s += fmt.Sprintf(" (%d rows failed)", *e.Status.RowsFailed)
	}
	if e.Status.ImportSummary != "" {
		s += ": " + e.Status.ImportSummary
	}
	return s
}

// ImportIncompleteError is the cause of an ImportToList error on REST when
// the rows were split into several jobs (see MaxImportJobBytes) and a job
// failed after Marketo had accepted the ones before it. Rows[:NextRow] are
// in the jobs ImportIDs names, which run as usual: follow them with
// WaitForImports on an ImportToListResult holding ImportIDs. Rows[NextRow:]
// were not imported, unless the error matches ErrOutcomeUnknown, when the
// job that failed may have been accepted all the same: check the list
// before importing them again. With ImportModeListOnly, which adds leads in
// batches during the call, ImportIDs is empty and the existing leads of
// Rows[:NextRow] were added.
type ImportIncompleteError struct {
	ImportIDs []string
	NextRow   int
	Err       error // why the job of Rows[NextRow] failed
}

func (e *ImportIncompleteError) Error() string {
	if len(e.ImportIDs) == 0 {
		return fmt.Sprintf("rows 0 to %d were processed (their existing leads added to the list), then the batch from row %d failed: %v", e.NextRow-1, e.NextRow, e.Err)
	}
	return fmt.Sprintf("Marketo accepted import jobs %s (rows 0 to %d), then the job from row %d failed: %v",
		strings.Join(e.ImportIDs, ", "), e.NextRow-1, e.NextRow, e.Err)
}

func (e *ImportIncompleteError) Unwrap() error { return e.Err }

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
