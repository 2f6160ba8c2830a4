package marketo

import (
	"slices"
	"strconv"
	"strings"
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

// The error codes Marketo documents for the REST API (Adobe's error-code
// page): the HTTP-level 500 and 502, the 6xx codes (the whole request
// failed and was not executed), the 7xx codes (the request failed: no
// data, or bad parameters) and the 1xxx codes (a record's or a parameter's
// reason; as a call's error, the call did not run).
const (
	CodeInternalServerError        Code = 500  // internal server error (also a malformed REST URL)
	CodeBadGateway                 Code = 502  // bad gateway, likely a timeout
	CodeAccessTokenEmpty           Code = 600  // no access token in the request
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
	CodeCannotBeBlank              Code = 701  // a required value is blank
	CodeNoDataFound                Code = 702  // no data found
	CodeFeatureNotEnabled          Code = 703  // the feature is not enabled for the subscription
	CodeInvalidDateFormat          Code = 704  // invalid date format
	CodeBusinessRuleViolation      Code = 709  // business rule violation, e.g. a program that cannot be cloned
	CodeParentFolderNotFound       Code = 710  // parent folder not found
	CodeIncompatibleFolderType     Code = 711  // incompatible folder type
	CodePersonAccountMerge         Code = 712  // merge to a person account is invalid
	CodeTransientError             Code = 713  // transient error
	CodeDefaultRecordTypeNotFound  Code = 714  // the default record type was not found
	CodeExternalSalesPersonUnknown Code = 718  // external sales person ID not found
	CodeLockWaitTimeout            Code = 719  // lock wait timeout
	CodeInvalidValue               Code = 1001 // a value of the wrong type
	CodeMissingValue               Code = 1002 // a required parameter is missing
	CodeInvalidData                Code = 1003 // invalid data, e.g. a trigger of a batch campaign
	CodeRecordLeadNotFound         Code = 1004 // lead not found (per record)
	CodeLeadExists                 Code = 1005 // the lead already exists
	CodeFieldNotFound              Code = 1006 // no such field
	CodeMultipleLeadsMatch         Code = 1007 // several leads match the lookup
	CodePartitionAccessDenied      Code = 1008 // access denied to the partition
	CodePartitionNameRequired      Code = 1009 // a partition name is required
	CodePartitionUpdateNotAllowed  Code = 1010 // the partition cannot be updated
	CodeFieldNotSupported          Code = 1011 // the field is not supported here
	CodeInvalidCookie              Code = 1012 // invalid cookie value
	CodeObjectNotFound             Code = 1013 // object (campaign, list, import) not found
	CodeCreateFailed               Code = 1014 // the object could not be created
	CodeLeadNotInList              Code = 1015 // the lead is not in the list
	CodeTooManyImports             Code = 1016 // more than 10 bulk imports queued
	CodeObjectExists               Code = 1017 // the object already exists
	CodeCRMEnabled                 Code = 1018 // not allowed while a CRM sync is enabled
	CodeImportInProgress           Code = 1019 // the list is already being imported to
	CodeCloneLimitReached          Code = 1020 // clone-to-program daily limit reached
	CodeCompanyUpdateNotAllowed    Code = 1021 // the company cannot be updated
	CodeObjectInUse                Code = 1022 // the object is in use
	CodeProgramStatusNotFound      Code = 1025 // program status not found
	CodeCustomObjectNotEnabled     Code = 1026 // custom objects are not enabled
	CodeActivityTypeLimit          Code = 1027 // the custom activity type limit is reached
	CodeFieldLimit                 Code = 1028 // the field limit is reached
	CodeBulkQueueFull              Code = 1029 // too many jobs in queue; by its message also export daily quota exceeded, or job already queued
	CodeUnsupportedFilterType      Code = 1035 // unsupported filter type
	CodeDuplicateInput             Code = 1036 // the same object twice in the input
	CodeLeadSkipped                Code = 1037 // the lead was skipped
	CodeInvalidRunAt               Code = 1042 // runAt more than two years ahead
	CodeDiscardDraftFailed         Code = 1048 // discarding a custom object draft failed
	CodeActivityTooLarge           Code = 1049 // the activity could not be created (too large)
	CodeMergeDuplicate             Code = 1076 // merge refused: it would create a duplicate
	CodeMergeFieldLength           Code = 1077 // merge failed on a CRM field's length
	CodeMergeEntityInvalid         Code = 1078 // merge failed: a deleted entity, not a lead or contact, or a filter mismatch
	CodeMergeURLConflict           Code = 1079 // merge failed on a personalized URL conflict
	CodeMergeTooManyLeads          Code = 1080 // merge with more than 25 lead IDs
)

// codeClass is what a code proves about the call that got it, and what
// the client does next.
type codeClass int

const (
	// classUnknown: the request may have run (an internal error, a
	// gateway timeout).
	classUnknown codeClass = iota
	// classRefused: the request did not run; repeating it as it is will
	// not help.
	classRefused
	// classRetryable: the request did not run; a later attempt may succeed.
	classRetryable
	// classRetryOnce: the request did not run; one more attempt may
	// succeed, more are unlikely to.
	classRetryOnce
	// classBusy: the request did not run because a queue or the list is
	// busy; a later attempt may succeed, after busyWait (Adobe asks for
	// 5 to 30 s).
	classBusy
	// classDailyQuota: the request did not run and will not before
	// midnight US Central, when Marketo resets its daily quotas.
	classDailyQuota
)

// outcome is what the class proves to the retry loop.
func (c codeClass) outcome() outcome {
	switch c {
	case classRefused, classDailyQuota:
		return outcomeRefused
	case classRetryable, classBusy:
		return outcomeRetryable
	case classRetryOnce:
		return outcomeRetryableOnce
	}
	return outcomeUnknown
}

// codeInfo is what the SDK knows of one code: its meaning, the sentinel a
// fault with it matches, and what the fault proves about the call.
type codeInfo struct {
	text     string
	sentinel error
	class    codeClass
}

// codes is the one table of Marketo's error codes, SOAP's and REST's,
// classed as Adobe's error-code page says: a 6xx, a 7xx or a call-level 1xxx
// did not run. The internal errors (10001, 20011, 500), REST's 502 (a
// gateway timeout, which may have left the request running) and any code
// not in the table leave a call that changes the tenant unknown. 1029 has
// three meanings only its message tells apart (see codeMessages); its entry
// here is the one for any other message.
var codes = map[Code]codeInfo{
	CodeInternalError:            {"internal error", nil, classUnknown},
	CodeAPIInternalError:         {"API service internal error", nil, classUnknown},
	CodeRequestNotUnderstood:     {"request not understood", nil, classRefused},
	CodeAccessDenied:             {"access denied", ErrAccessDenied, classRefused},
	CodeAuthenticationFailed:     {"authentication failed", ErrAuthenticationFailed, classRefused},
	CodeRequestLimitExceeded:     {"daily request limit exceeded", ErrDailyQuotaExceeded, classDailyQuota},
	CodeRequestExpired:           {"request expired", ErrRequestExpired, classRetryable},
	CodeInvalidRequest:           {"invalid request", nil, classRefused},
	CodeUnsupportedOperation:     {"unsupported operation", nil, classRefused},
	CodeQueryRangeTooLarge:       {"query range over 30 days", nil, classRefused},
	CodeRateLimitExceeded:        {"rate limit exceeded", ErrRateLimitExceeded, classRetryable},
	CodeConcurrencyLimitExceeded: {"concurrency limit exceeded", ErrConcurrencyLimitExceeded, classRetryable},
	CodeLeadKeyRequired:          {"lead key required", nil, classRefused},
	CodeLeadKeyBad:               {"bad lead key", nil, classRefused},
	CodeLeadNotFound:             {"lead not found", ErrLeadNotFound, classRefused},
	CodeLeadDetailRequired:       {"lead detail required", nil, classRefused},
	CodeLeadAttributeBad:         {"bad lead attribute", nil, classRefused},
	CodeLeadSyncFailed:           {"lead sync failed", nil, classRefused},
	CodeActivityKeyBad:           {"bad activity key", nil, classRefused},
	CodeLeadOwnerNotFound:        {"lead owner not found", nil, classRefused},
	CodeParameterRequired:        {"parameter required", nil, classRefused},
	CodeBadParameter:             {"bad parameter", ErrBadParameter, classRefused},
	CodeListNotFound:             {"list not found", ErrListNotFound, classRefused},
	CodeCampaignNotFound:         {"campaign not found", ErrCampaignNotFound, classRefused},
	CodeBadParameterValue:        {"bad parameter", ErrBadParameter, classRefused},
	CodeBadStreamPosition:        {"bad stream position", nil, classRefused},
	CodeStreamAtEnd:              {"stream at end", nil, classRefused},

	CodeInternalServerError:        {"internal server error", nil, classUnknown},
	CodeBadGateway:                 {"bad gateway", nil, classUnknown},
	CodeAccessTokenEmpty:           {"access token empty", ErrAuthenticationFailed, classRefused},
	CodeAccessTokenInvalid:         {"access token invalid", ErrAuthenticationFailed, classRefused},
	CodeAccessTokenExpired:         {"access token expired", nil, classRefused},
	CodeRESTAccessDenied:           {"access denied", ErrAccessDenied, classRefused},
	CodeRequestTimedOut:            {"request timed out", nil, classRetryable},
	CodeMethodNotSupported:         {"HTTP method not supported", nil, classRefused},
	CodeMaxRateExceeded:            {"rate limit exceeded", ErrRateLimitExceeded, classRetryable},
	CodeDailyQuotaReached:          {"daily quota reached", ErrDailyQuotaExceeded, classDailyQuota},
	CodeAPIUnavailable:             {"API temporarily unavailable", nil, classRetryable},
	CodeInvalidJSON:                {"invalid JSON", nil, classRefused},
	CodeResourceNotFound:           {"resource not found", nil, classRefused},
	CodeSystemError:                {"system error", nil, classRetryOnce},
	CodeInvalidContentType:         {"invalid content type", nil, classRefused},
	CodeInvalidMultipart:           {"invalid multipart request", nil, classRefused},
	CodeSubscriptionUnreachable:    {"subscription unreachable", nil, classRetryable},
	CodeConcurrentAccessLimit:      {"concurrency limit exceeded", ErrConcurrencyLimitExceeded, classRetryable},
	CodeSubscriptionTypeNotAllowed: {"subscription type not allowed", nil, classRefused},
	CodeCannotBeBlank:              {"cannot be blank", ErrBadParameter, classRefused},
	CodeNoDataFound:                {"no data found", nil, classRefused},
	CodeFeatureNotEnabled:          {"feature not enabled", nil, classRefused},
	CodeInvalidDateFormat:          {"invalid date format", ErrBadParameter, classRefused},
	CodeBusinessRuleViolation:      {"business rule violation", nil, classRefused},
	CodeParentFolderNotFound:       {"parent folder not found", nil, classRefused},
	CodeIncompatibleFolderType:     {"incompatible folder type", nil, classRefused},
	CodePersonAccountMerge:         {"merge to person account invalid", nil, classRefused},
	CodeTransientError:             {"transient error", nil, classRetryable},
	CodeDefaultRecordTypeNotFound:  {"default record type not found", nil, classRefused},
	CodeExternalSalesPersonUnknown: {"external sales person ID not found", nil, classRefused},
	CodeLockWaitTimeout:            {"lock wait timeout", nil, classRetryable},
	CodeInvalidValue:               {"invalid value", ErrBadParameter, classRefused},
	CodeMissingValue:               {"missing required value", ErrBadParameter, classRefused},
	CodeInvalidData:                {"invalid data", nil, classRefused},
	CodeRecordLeadNotFound:         {"lead not found", ErrLeadNotFound, classRefused},
	CodeLeadExists:                 {"lead already exists", nil, classRefused},
	CodeFieldNotFound:              {"field not found", nil, classRefused},
	CodeMultipleLeadsMatch:         {"multiple leads match", nil, classRefused},
	CodePartitionAccessDenied:      {"access denied to partition", ErrAccessDenied, classRefused},
	CodePartitionNameRequired:      {"partition name required", nil, classRefused},
	CodePartitionUpdateNotAllowed:  {"partition update not allowed", nil, classRefused},
	CodeFieldNotSupported:          {"field not supported", nil, classRefused},
	CodeInvalidCookie:              {"invalid cookie value", nil, classRefused},
	CodeObjectNotFound:             {"object not found", nil, classRefused},
	CodeCreateFailed:               {"failed to create object", nil, classRefused},
	CodeLeadNotInList:              {"lead not in list", nil, classRefused},
	CodeTooManyImports:             {"too many imports queued", nil, classBusy},
	CodeObjectExists:               {"object already exists", nil, classRefused},
	CodeCRMEnabled:                 {"CRM enabled", nil, classRefused},
	CodeImportInProgress:           {"list import in progress", nil, classBusy},
	CodeCloneLimitReached:          {"clone-to-program daily limit reached", ErrCloneBudgetExhausted, classRefused},
	CodeCompanyUpdateNotAllowed:    {"company update not allowed", nil, classRefused},
	CodeObjectInUse:                {"object in use", nil, classRefused},
	CodeProgramStatusNotFound:      {"program status not found", nil, classRefused},
	CodeCustomObjectNotEnabled:     {"custom object not enabled", nil, classRefused},
	CodeActivityTypeLimit:          {"activity type limit reached", nil, classRefused},
	CodeFieldLimit:                 {"field limit reached", nil, classRefused},
	CodeBulkQueueFull:              {"too many jobs in queue", nil, classBusy},
	CodeUnsupportedFilterType:      {"unsupported filter type", nil, classRefused},
	CodeDuplicateInput:             {"duplicate object in input", nil, classRefused},
	CodeLeadSkipped:                {"lead skipped", nil, classRefused},
	CodeInvalidRunAt:               {"invalid runAt", ErrBadParameter, classRefused},
	CodeDiscardDraftFailed:         {"discard draft failed", nil, classRefused},
	CodeActivityTooLarge:           {"failed to create activity", nil, classRefused},
	CodeMergeDuplicate:             {"merge would duplicate a record", nil, classRefused},
	CodeMergeFieldLength:           {"merge failed on a CRM field length", nil, classRefused},
	CodeMergeEntityInvalid:         {"merge failed on an invalid entity", nil, classRefused},
	CodeMergeURLConflict:           {"merge failed on a personalized URL conflict", nil, classRefused},
	CodeMergeTooManyLeads:          {"merge of more than 25 leads", nil, classRefused},
}

// codeMessages are the meanings of a code that only Marketo's message
// tells apart, matched as case-insensitive substrings; a message matching
// none has the code's meaning in codes. 1029 is "Too many jobs in queue"
// (busy: submit again later, a bounded number of times), "Export daily
// quota exceeded" (refused until midnight US Central) or "Job already
// queued" (refused: submitting again would queue the job twice).
var codeMessages = map[Code][]struct {
	message string
	info    codeInfo
}{
	CodeBulkQueueFull: {
		{"export daily quota exceeded", codeInfo{"export daily quota exceeded", nil, classDailyQuota}},
		{"job already queued", codeInfo{"job already queued", nil, classRefused}},
	},
}

// codeInfoOf returns what the table says of code with Marketo's message.
func codeInfoOf(code Code, message string) codeInfo {
	if variants, ok := codeMessages[code]; ok {
		m := strings.ToLower(message)
		for _, v := range variants {
			if strings.Contains(m, v.message) {
				return v.info
			}
		}
	}
	return codes[code]
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

// codesIn returns the codes the table puts in class, in ascending order,
// counting a code whose message can put it there (1029's variants) too.
func codesIn(class codeClass) []Code {
	var out []Code
	for code, info := range codes {
		in := info.class == class
		for _, v := range codeMessages[code] {
			in = in || v.info.class == class
		}
		if in {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}
