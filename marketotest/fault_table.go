package marketotest

import (
	"fmt"
	"strings"

	"github.com/mktows/marketo"
)

// codeText is a code's standard text on its API: the title SOAP writes in
// faultstring ("20014 - Authentication failed"), the message REST sends
// when nothing more specific is said (limits, injected faults).
type codeText struct {
	api  string // APISOAP or APIREST: the codes of the two do not overlap
	text string
}

// codeTexts holds every code the fake answers with its standard text, in
// the words of Marketo's documentation, Adobe's error-code table and
// recorded answers. 606's text carries the window's numbers (see
// rateLimitMessage).
var codeTexts = map[marketo.Code]codeText{
	codeInternalError:            {APISOAP, "Internal error"},
	codeAPIInternalError:         {APISOAP, "Internal error"},
	codeRequestNotUnderstood:     {APISOAP, "Request not understood"},
	codeAccessDenied:             {APISOAP, "Access denied"},
	codeAuthenticationFailed:     {APISOAP, "Authentication failed"},
	codeRequestLimitExceeded:     {APISOAP, "Request limit exceeded"},
	codeRequestExpired:           {APISOAP, "Request expired"},
	codeInvalidRequest:           {APISOAP, "Invalid request"},
	codeUnsupportedOperation:     {APISOAP, "Unsupported operation"},
	codeRateLimitExceeded:        {APISOAP, "Rate limit exceeded"},
	codeConcurrencyLimitExceeded: {APISOAP, "Concurrency limit exceeded"},
	codeLeadKeyRequired:          {APISOAP, "Lead key required"},
	codeLeadKeyBad:               {APISOAP, "Lead key bad"},
	codeLeadNotFound:             {APISOAP, "Lead not found"},
	codeLeadAttributeBad:         {APISOAP, "Unknown lead field"},
	codeParameterRequired:        {APISOAP, "Parameter required"},
	codeBadParameter:             {APISOAP, "Input error"},
	codeListNotFound:             {APISOAP, "List not found"},
	codeCampaignNotFound:         {APISOAP, "Campaign not found"},
	codeBadParameterValue:        {APISOAP, "Bad parameter"},
	restTokenInvalid:             {APIREST, "Access token invalid"},
	restTokenExpired:             {APIREST, "Access token expired"},
	restAccessDenied:             {APIREST, "Access denied"},
	restTimedOut:                 {APIREST, "Request timed out"},
	restMethodNotAllowed:         {APIREST, "HTTP Method not supported"},
	restRateLimit:                {APIREST, "Max rate limit '%d' exceeded with in '%d' secs"},
	restDailyQuota:               {APIREST, "Daily quota reached"},
	restUnavailable:              {APIREST, "API Temporarily Unavailable"},
	restInvalidJSON:              {APIREST, "Invalid JSON"},
	restNotFound:                 {APIREST, "Requested resource not found"},
	restSystemError:              {APIREST, "System error"},
	restContentType:              {APIREST, "Invalid Content Type"},
	restInvalidMultipart:         {APIREST, "Invalid multipart request"},
	restUnreachable:              {APIREST, "Invalid Subscription"},
	restConcurrency:              {APIREST, "Concurrent access limit reached"},
	restBlank:                    {APIREST, "Value cannot be blank"},
	restBusinessRule:             {APIREST, "Business Rule Violation"},
	restInvalidValue:             {APIREST, "Invalid value"},
	restInvalidData:              {APIREST, "Invalid data"},
	restLeadNotFound:             {APIREST, "Lead not found"},
	restFieldNotFound:            {APIREST, "Field not found"},
	restObjectNotFound:           {APIREST, "Object not found"},
	restTooManyImports:           {APIREST, "Too many imports"},
	restImportInProgress:         {APIREST, "Import in progress"},
	restCloneLimit:               {APIREST, "Clone to program daily limit reached"},
	restInvalidRunAt:             {APIREST, "Invalid runAt date"},
}

// The tenant's operations (schedule, request, import, the lookups) refuse
// with a domainErr: what broke a rule and the facts needed to word it, in
// no API's terms. Each front turns it into its own fault with soap() or
// rest(), both read from the one table below, so a rule is written once
// and its words for each API sit side by side.

// errKind is the rule a domainErr broke.
type errKind int

const (
	errProgramNotFound    errKind = iota + 1 // no program of that name
	errCampaignNotFound                      // no campaign of that name in the program
	errCampaignIDNotFound                    // no campaign with that ID
	errNotBatch                              // a schedule of a trigger campaign
	errBatchRequested                        // a request (trigger) of a batch campaign
	errNotRequestable                        // a request of a trigger campaign without a Campaign is Requested trigger
	errInactive                              // a request of a campaign that is not active
	errRunAtInvalid                          // a run time that is not a date-time with an offset
	errRunAtTooFar                           // a run time more than two years ahead
	errCloneNameEmpty                        // cloneToProgramName given empty
	errCloneExists                           // cloneToProgramName names a program that exists (the campaign's own included)
	errCloneFolder                           // a clone of a campaign outside any program
	errCloneAssets                           // a clone of a program holding assets that cannot be cloned
	errCloneLimit                            // the day's clones are spent
	errTooManyLeads                          // more leads than one call takes
	errLeadNotFound                          // no lead with that key or ID
	errListNotFound                          // no list of that name in the program
	errListIDNotFound                        // no static list with that ID
	errImportInProgress                      // the list is being imported to
	errTooManyImports                        // the import queue is full
	errNoImport                              // no import to that list yet
	errBatchNotFound                         // no import batch with that ID (or too old)
	errTokenName                             // a call's My Token name not of the form {{my.name}}
	errTokenRepeated                         // a call's My Token given twice, ignoring case
	errTooManyTokens                         // more My Tokens than one call takes
	errKinds                                 // the number of kinds, plus one
)

// domainErr is a refusal of the tenant. Only the facts its kind's words
// use are set.
type domainErr struct {
	kind       errKind
	campaign   string // campaign name
	campaignID int
	program    string // program name; for errCloneExists the clone's
	list       string // list name
	listID     string // list ID as asked for
	batch      int
	n, max     int
	assets     []string
	keyType    string // lead key type (SOAP's LeadKey)
	keyValue   string
	leadID     int
}

func (e *domainErr) Error() string { return e.rest().Message }

// inCampaign returns e with the campaign's facts set.
func (e *domainErr) inCampaign(c *campaign) *domainErr {
	e.campaign, e.campaignID = c.Name, c.ID
	return e
}

// words is one API's fault for a kind: its code and its text.
type words struct {
	code marketo.Code
	text func(e *domainErr) string
}

// say returns words whose text is format filled by args from the error.
func say(code marketo.Code, format string, args func(e *domainErr) []any) words {
	return words{code: code, text: func(e *domainErr) string {
		if args == nil {
			return format
		}
		return fmt.Sprintf(format, args(e)...)
	}}
}

func campaignName(e *domainErr) []any { return []any{e.campaign} }
func campaignID(e *domainErr) []any   { return []any{e.campaignID} }
func programName(e *domainErr) []any  { return []any{e.program} }
func limitArgs(e *domainErr) []any    { return []any{e.n, e.max} }

// domainFaults is the one table of how each API words each refusal: the
// SOAP fault code and detail message, the REST error code and message.
// The texts are those Marketo answers where known, the fake's own
// (doc.go) otherwise. A kind that only one API's rules reach still has
// both columns, so a rule shared later answers in the other API's words.
var domainFaults = [errKinds]struct{ soap, rest words }{
	errProgramNotFound: {
		say(codeCampaignNotFound, "Program %s not found", programName),
		say(restObjectNotFound, "Program %s not found", programName)},
	errCampaignNotFound: {
		say(codeCampaignNotFound, "Campaign %s not found in program %s", func(e *domainErr) []any { return []any{e.campaign, e.program} }),
		say(restObjectNotFound, "Campaign %s not found in program %s", func(e *domainErr) []any { return []any{e.campaign, e.program} })},
	errCampaignIDNotFound: {
		say(codeCampaignNotFound, "Campaign %d not found", campaignID),
		say(restObjectNotFound, "Campaign %d not found", campaignID)},
	errNotBatch: {
		say(codeBadParameter, "Campaign %s is not a batch campaign; scheduleCampaign runs batch campaigns only", campaignName),
		say(restInvalidData, "Campaign %d is a trigger campaign: schedule.json runs batch campaigns only", campaignID)},
	errBatchRequested: {
		say(codeBadParameter, "Campaign %s cannot be requested: it needs a Campaign is Requested trigger", campaignName),
		say(restInvalidData, "Campaign %d is a batch campaign: trigger.json runs trigger campaigns only", campaignID)},
	errNotRequestable: {
		say(codeBadParameter, "Campaign %s cannot be requested: it needs a Campaign is Requested trigger", campaignName),
		say(restInvalidData, "Campaign %d cannot be triggered: it has no 'Campaign is Requested' trigger", campaignID)},
	errInactive: {
		say(codeBadParameter, "Campaign %s cannot be requested: it is not active", campaignName),
		say(restInvalidData, "Campaign %d cannot be triggered: it is not active", campaignID)},
	errRunAtInvalid: {
		say(codeBadParameterValue, "Invalid value '%s' for campaignRunAt: a dateTime is required", func(e *domainErr) []any { return []any{e.keyValue} }),
		say(restInvalidValue, "Invalid value '%s'. Required of type 'datetime' with an offset", func(e *domainErr) []any { return []any{e.keyValue} })},
	errRunAtTooFar: {
		say(codeBadParameter, "Invalid campaignRunAt: %s is more than two years ahead", func(e *domainErr) []any { return []any{e.keyValue} }),
		say(restInvalidRunAt, "Invalid runAt date: %s is more than two years ahead", func(e *domainErr) []any { return []any{e.keyValue} })},
	errCloneNameEmpty: {
		say(codeBadParameter, "cloneToProgramName is empty", nil),
		say(restInvalidData, "cloneToProgramName is empty", nil)},
	errCloneExists: {
		say(codeBadParameter, "Program %s already exists; cloneToProgramName must name a new program", programName),
		say(restInvalidData, "Program %s already exists; cloneToProgramName must name a new program", programName)},
	errCloneFolder: {
		say(codeBadParameter, "Campaign %d is not in a program: cloneToProgramName clones the campaign's program", campaignID),
		say(restBusinessRule, "Campaign %d is not in a program: cloneToProgramName clones the campaign's program", campaignID)},
	errCloneAssets: {
		say(codeBadParameter, "Program %s cannot be cloned: it holds assets of type %s", cloneAssets),
		say(restBusinessRule, "Program %s cannot be cloned: it holds assets of type %s", cloneAssets)},
	errCloneLimit: {
		say(codeRequestLimitExceeded, "Request limit exceeded: cloneToProgramName is limited to %d scheduleCampaign calls a day", func(e *domainErr) []any { return []any{e.max} }),
		say(restCloneLimit, "Clone to program daily limit reached: %d a day", func(e *domainErr) []any { return []any{e.max} })},
	errTooManyLeads: {
		say(codeBadParameter, "Too many leads: %d (at most %d)", limitArgs),
		say(restInvalidData, "Too many leads: %d (at most %d)", limitArgs)},
	errLeadNotFound: {
		say(codeLeadNotFound, "No lead found with %s = %s", func(e *domainErr) []any { return []any{e.keyType, e.keyValue} }),
		say(restLeadNotFound, "Lead %d not found", func(e *domainErr) []any { return []any{e.leadID} })},
	errListNotFound: {
		say(codeListNotFound, "List %s not found in program %s", listInProgram),
		say(restObjectNotFound, "List %s not found in program %s", listInProgram)},
	errListIDNotFound: {
		say(codeListNotFound, "Static list %s not found", func(e *domainErr) []any { return []any{e.listID} }),
		say(restObjectNotFound, "Static list %s not found", func(e *domainErr) []any { return []any{e.listID} })},
	errImportInProgress: {
		say(codeBadParameter, "An import to list %s of program %s is already in progress", listInProgram),
		say(restImportInProgress, "Import to list %s is already in progress (batch %d)", func(e *domainErr) []any { return []any{e.listID, e.batch} })},
	errTooManyImports: {
		say(codeBadParameter, "Too many imports: %d are queued", func(e *domainErr) []any { return []any{e.n} }),
		say(restTooManyImports, "Too many imports: %d are queued", func(e *domainErr) []any { return []any{e.n} })},
	errNoImport: {
		say(codeBadParameter, "No import to list %s of program %s", listInProgram),
		say(restObjectNotFound, "No import to list %s of program %s", listInProgram)},
	errTokenName: {
		say(codeBadParameter, "Token name %q is not of the form {{my.name}}", tokenName),
		say(restInvalidData, "Token name %q is not of the form {{my.name}}", tokenName)},
	errTokenRepeated: {
		say(codeBadParameter, "Token %s given more than once", tokenName),
		say(restInvalidData, "Token %s given more than once", tokenName)},
	errTooManyTokens: {
		say(codeBadParameter, "Too many tokens: %d (at most %d)", limitArgs),
		say(restInvalidData, "Too many tokens: %d (at most %d)", limitArgs)},
	errBatchNotFound: {
		say(codeBadParameter, "Import batch %d not found", func(e *domainErr) []any { return []any{e.batch} }),
		say(restObjectNotFound, "Import batch %d not found", func(e *domainErr) []any { return []any{e.batch} })},
}

func cloneAssets(e *domainErr) []any   { return []any{e.program, strings.Join(e.assets, ", ")} }
func listInProgram(e *domainErr) []any { return []any{e.list, e.program} }
func tokenName(e *domainErr) []any     { return []any{e.keyValue} }

// soap is the error as a SOAP fault.
func (e *domainErr) soap() *Fault {
	w := domainFaults[e.kind].soap
	return &Fault{Code: w.code, Message: w.text(e)}
}

// rest is the error as an item of a REST answer's errors.
func (e *domainErr) rest() *Fault {
	w := domainFaults[e.kind].rest
	return &Fault{Code: w.code, Message: w.text(e)}
}
