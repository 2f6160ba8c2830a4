package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mktows/marketo"
)

// faultHint says what to do about a fault. It names the flags the user gave,
// and a flag not given only as the way to give it. The sentinels match the
// same failure on both APIs; a few codes need words of their own.
func (a *app) faultHint(f *marketo.Fault) string {
	switch f.Code {
	case marketo.CodeLeadKeyRequired, marketo.CodeLeadKeyBad:
		return "check " + a.given("--lead", "--leads-file") + ": each lead is TYPE:VALUE, e.g. EMAIL:a@example.com or IDNUM:42"
	case marketo.CodeLeadAttributeBad:
		return "a --file header column is not a lead field: use the field names the Marketo UI shows, e.g. Email Address"
	case marketo.CodeInvalidRequest, marketo.CodeRequestNotUnderstood:
		return "Marketo did not understand the request: check that --endpoint is a SOAP endpoint of a supported version"
	case marketo.CodeResourceNotFound:
		return "Marketo has no such resource: check that --endpoint is the REST endpoint, e.g. https://284-RPR-133.mktorest.com/rest"
	case marketo.CodeInvalidRunAt:
		return "--run-at may be at most two years ahead"
	case marketo.CodeInvalidData, marketo.CodeParameterRequired:
		return a.badParameterHint()
	case marketo.CodeObjectNotFound:
		if a.command() == "import-status" {
			return "check --import-id: it must be a job ID that 'mktows import-list' printed in the last 7 days"
		}
	}
	switch {
	case errors.Is(f, marketo.ErrAuthenticationFailed):
		return a.authHint()
	case errors.Is(f, marketo.ErrRequestExpired):
		return "Marketo refused the request time: check this machine's clock"
	case errors.Is(f, marketo.ErrDailyQuotaExceeded):
		return a.quotaHint(f)
	case errors.Is(f, marketo.ErrRateLimitExceeded), errors.Is(f, marketo.ErrConcurrencyLimitExceeded):
		return "the tenant's rate limits are shared by all its integrations; wait a little and try again"
	case errors.Is(f, marketo.ErrAccessDenied):
		if a.api == apiREST {
			return "the API user may not do this: check its role's permissions and the IP allow-list in Marketo (Admin > Users & Roles, Admin > Web Services)"
		}
		return "the SOAP API user may not do this: check its role in Marketo (Admin > Integration > SOAP API)"
	case errors.Is(f, marketo.ErrCampaignNotFound):
		return a.notFoundHint()
	case errors.Is(f, marketo.ErrListNotFound):
		return a.listNotFoundHint()
	case errors.Is(f, marketo.ErrLeadNotFound):
		return a.leadsNotFoundHint()
	case errors.Is(f, marketo.ErrCloneBudgetExhausted):
		return a.cloneHint()
	case errors.Is(f, marketo.ErrBadParameter):
		return a.badParameterHint()
	}
	return ""
}

// cloneHint is for a ScheduleCampaign --clone-to beyond the day's clones,
// refused by the SDK's limiter or by Marketo.
func (a *app) cloneHint() string {
	return fmt.Sprintf("Marketo allows %d program clones a day; try again after midnight US Central", a.clonesPerDay())
}

// clonesPerDay is how many ScheduleCampaign --clone-to Marketo runs a day.
func (a *app) clonesPerDay() int {
	if a.api == apiREST {
		return 20
	}
	return 10
}

// authHint is for credentials Marketo refused.
func (a *app) authHint() string {
	if a.api == apiREST {
		return "check " + marketo.EnvRESTClientID + " (--client-id) and the client secret (" + marketo.EnvRESTClientSecret + " or --client-secret-file)"
	}
	return "check " + marketo.EnvUserID + " (--user-id) and the encryption key (" + marketo.EnvEncryptionKey + " or --encryption-key-file)"
}

// notMarketoHint is for an answer that is not the API's.
func (a *app) notMarketoHint() string {
	if a.api == apiREST {
		return "the answer was not Marketo REST: check that --endpoint is the REST endpoint, e.g. https://284-RPR-133.mktorest.com/rest"
	}
	return "the answer was not Marketo SOAP: check that --endpoint is the SOAP endpoint, e.g. https://123-ABC-456.mktoapi.com/soap/mktows/2_9"
}

// endpointEnv is the variable --endpoint defaults to.
func (a *app) endpointEnv() string {
	if a.api == apiREST {
		return marketo.EnvRESTEndpoint
	}
	return marketo.EnvEndpoint
}

// quotaHint says when the daily quota resets; the clone allowance counts
// only with --clone-to on SOAP.
func (a *app) quotaHint(f *marketo.Fault) string {
	resets := "midnight US Central"
	if !f.QuotaResetsAt.IsZero() {
		resets = f.QuotaResetsAt.Local().Format(time.RFC3339) + " (midnight US Central)"
	}
	used := "the tenant's daily request quota is used up"
	if a.set["clone-to"] && a.api == apiSOAP {
		// SOAP answers both with 20015; REST has 1020 for the clones.
		used = "the tenant's daily request quota, or its 10 program clones a day (--clone-to), is used up"
	}
	return used + "; it resets at " + resets
}

// leadsNotFoundHint is for leads Marketo does not have.
func (a *app) leadsNotFoundHint() string {
	return "check " + a.given("--lead", "--leads-file") + ": every lead must exist in Marketo"
}

// notFoundHint is for Marketo's "campaign not found", which also means a
// program not found. On REST 'mktows campaigns --type batch' lists the
// batch campaigns a schedule names; SOAP cannot list them.
func (a *app) notFoundHint() string {
	switch a.command() {
	case "schedule-campaign":
		return a.batchNotFoundHint()
	case "request-campaign":
		if a.set["campaign-id"] {
			return "check --campaign-id: 'mktows campaigns' lists the campaigns you can request, with their IDs"
		}
		if !a.set["program"] {
			return "check --campaign: 'mktows campaigns' lists the campaigns you can request, with their programs"
		}
		return "check --program and --campaign: 'mktows campaigns' lists the campaigns you can request"
	case "import-list":
		if a.set["campaign"] {
			return "check --program and --campaign: --campaign must name a campaign of that program"
		}
		return "check --program"
	case "import-status":
		return "check --program"
	}
	return "check the program and campaign names"
}

// batchNotFoundHint is notFoundHint for schedule-campaign.
func (a *app) batchNotFoundHint() string {
	list := "'mktows campaigns --type batch' lists the batch campaigns with their IDs and programs"
	if a.api == apiSOAP {
		list = "the SOAP API cannot list batch campaigns; the Marketo UI shows each one's ID in its URL"
	}
	switch {
	case a.set["campaign-id"]:
		return "check --campaign-id: it must be a batch campaign's ID; " + list
	case !a.set["program"]:
		return "check --campaign: no batch campaign has that exact name, case included; " + list
	}
	return "check --program and --campaign: they must name a batch campaign of that program; " + list
}

// listNotFoundHint is for a static list that is not there: by its ID, in
// --program, or by its name alone (REST).
func (a *app) listNotFoundHint() string {
	switch {
	case a.set["list-id"]:
		return "check --list-id: no static list has that ID"
	case a.set["program"]:
		return "check --list: it must be a static list of the program given with --program"
	}
	return "check --list: no static list has that exact name, case included"
}

// ambiguousHint is for a name that several campaigns or lists carry.
func (a *app) ambiguousHint() string {
	switch a.command() {
	case "request-campaign":
		return "'mktows campaigns' lists the campaigns you can request, with their IDs and programs"
	case "schedule-campaign":
		return "'mktows campaigns --type batch --name NAME --exact' lists them with their IDs and programs"
	}
	return "the Marketo UI shows each one's ID in its URL"
}

// badParameterHint is for a value Marketo refused although its type was
// right: what the command's flags must satisfy beyond their syntax.
func (a *app) badParameterHint() string {
	switch a.command() {
	case "request-campaign":
		return "only trigger campaigns with a \"Campaign is Requested\" trigger can be requested ('mktows campaigns' lists them)"
	case "schedule-campaign":
		if a.set["clone-to"] {
			return "only batch campaigns can be scheduled, and --clone-to must name a program that does not exist yet"
		}
		return "only batch campaigns can be scheduled"
	case "import-list":
		return "an import to --list may still be in progress ('mktows import-status' shows it), or the --file header lacks Email Address or repeats a column"
	case "import-status":
		return "--list may have had no import yet"
	}
	return "Marketo refused a parameter value; its message says which"
}

// unknownOutcomeAdvice says what to check before repeating a call that may
// have run.
func (a *app) unknownOutcomeAdvice() string {
	if a.command() == "import-list" {
		return "check the import with 'mktows import-status' before importing again"
	}
	return "check the campaign in Marketo before running this again"
}

// command is the name of the command being run, "" before there is one.
func (a *app) command() string {
	if a.cmd == nil {
		return ""
	}
	return a.cmd.name
}

// given lists the flags among flags that the user gave, or all of them when
// none was given.
func (a *app) given(flags ...string) string {
	var set []string
	for _, f := range flags {
		if a.set[strings.TrimPrefix(f, "--")] {
			set = append(set, f)
		}
	}
	if len(set) == 0 {
		set = flags
	}
	return strings.Join(set, " and ")
}
