package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mktows/marketo"
)

// cliError is an error as the user sees it: what went wrong, where (the flag
// or file), Marketo's code, and what to do next.
type cliError struct {
	Exit           int
	Message        string
	Field          string
	Code           marketo.Code
	Hint           string
	OutcomeUnknown bool
	Problems       []problem
}

type problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *cliError) Error() string { return e.Message }

// usagef is an invalid-input error about field (a flag, e.g. "--run-at").
func usagef(field, format string, args ...any) *cliError {
	return &cliError{Exit: exitUsage, Field: field, Message: fmt.Sprintf(format, args...)}
}

// errorJSON is a cliError in --json output.
type errorJSON struct {
	Message        string    `json:"message"`
	ExitCode       int       `json:"exit_code"`
	Field          string    `json:"field,omitempty"`
	Code           int       `json:"code,omitempty"`
	Meaning        string    `json:"meaning,omitempty"`
	Hint           string    `json:"hint,omitempty"`
	OutcomeUnknown bool      `json:"outcome_unknown,omitempty"`
	Problems       []problem `json:"problems,omitempty"`
}

// fail reports err on stderr and returns the exit code.
func (a *app) fail(err error) int {
	if err == nil {
		return exitOK
	}
	ce := a.explain(err)
	if a.g.json {
		je := errorJSON{Message: ce.Message, ExitCode: ce.Exit, Field: ce.Field, Code: int(ce.Code), Hint: ce.Hint,
			OutcomeUnknown: ce.OutcomeUnknown, Problems: ce.Problems}
		if ce.Code != 0 {
			je.Meaning = ce.Code.Meaning()
		}
		enc := json.NewEncoder(a.stderr)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(map[string]errorJSON{"error": je})
		return ce.Exit
	}
	prefix := "mktows"
	if a.cmd != nil {
		prefix += " " + a.cmd.name
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", prefix, ce.Message)
	for _, p := range ce.Problems {
		fmt.Fprintf(&b, "  %s: %s\n", p.Field, p.Message)
	}
	if ce.Hint != "" {
		fmt.Fprintf(&b, "  hint: %s\n", ce.Hint)
	}
	_, _ = io.WriteString(a.stderr, b.String())
	return ce.Exit
}

// explain turns any error of a command into what the user is told.
func (a *app) explain(err error) *cliError {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce
	}
	if ves := marketo.ValidationErrors(err); len(ves) > 0 {
		return a.invalid(ves)
	}
	out := &cliError{Exit: exitFail, Message: strings.TrimPrefix(err.Error(), "marketo: ")}
	var f *marketo.Fault
	var re *marketo.ResponseError
	var failed *marketo.ImportFailedError
	switch {
	case errors.As(err, &f):
		out.Code = f.Code
		out.Message = faultMessage(f)
		out.Hint = a.faultHint(f)
	case errors.Is(err, marketo.ErrAuthenticationFailed):
		out.Hint = a.authHint()
	case errors.Is(err, marketo.ErrRESTOnly) && a.command() == "campaigns":
		out.Exit, out.Field = exitUsage, "--type"
		out.Hint = "--type batch, trigger and all need the REST API (--api rest); on SOAP, 'mktows campaigns' lists the requestable campaigns"
	case errors.Is(err, marketo.ErrAmbiguousName):
		// The candidates, and the fields that tell them apart, as flags.
		out.Message = a.names.rule(out.Message)
		out.Hint = a.ambiguousHint()
	case errors.Is(err, marketo.ErrCampaignNotFound):
		out.Hint = a.notFoundHint()
	case errors.Is(err, marketo.ErrLeadNotFound):
		out.Hint = a.leadsNotFoundHint()
	case errors.Is(err, marketo.ErrListNotFound):
		out.Hint = a.listNotFoundHint()
	case errors.As(err, &failed):
		out.Hint = "see the summary above, fix the file and import again"
	case errors.Is(err, marketo.ErrCloneBudgetExhausted):
		out.Hint = a.cloneHint()
	case errors.Is(err, context.DeadlineExceeded):
		out.Hint = fmt.Sprintf("no answer within --timeout %v: check --endpoint and the network, or give a longer --timeout", a.g.timeout)
	case errors.Is(err, context.Canceled):
		out.Message = "interrupted: " + out.Message
		var oe *marketo.OperationError
		if errors.As(err, &oe) && !oe.Sent {
			out.Hint = "nothing was sent"
		}
	case errors.As(err, &re):
		out.Hint = a.notMarketoHint()
	case errors.Is(err, marketo.ErrNotSuccessful):
		out.Hint = "Marketo answered without a fault but did not do it; check the names and try again"
	default:
		out.Hint = "check the network and --endpoint (" + a.endpointEnv() + ")"
	}
	var incomplete *marketo.ImportIncompleteError
	if errors.As(err, &incomplete) {
		out.Hint = incompleteHint(incomplete)
	}
	if errors.Is(err, marketo.ErrOutcomeUnknown) {
		out.OutcomeUnknown = true
		out.Hint = "the request was sent but no answer came back: " + a.unknownOutcomeAdvice()
	}
	return out
}

// invalid reports the SDK's validation errors in the user's words: flags
// and files, not Go fields.
func (a *app) invalid(ves []*marketo.ValidationError) *cliError {
	out := &cliError{Exit: exitUsage, Message: "invalid input; nothing was sent:"}
	for _, ve := range ves {
		out.Problems = append(out.Problems, problem{Field: a.names.field(ve.Field), Message: a.names.rule(ve.Rule)})
	}
	out.Field = out.Problems[0].Field
	if len(out.Problems) == 1 {
		// "--program is required", but `--token "x=1" (name): token "x" is ...`.
		sep := " "
		if strings.Contains(ves[0].Field, "[") {
			sep = ": "
		}
		out.Message = out.Problems[0].Field + sep + out.Problems[0].Message
		out.Problems = nil
	}
	if a.cmd != nil {
		out.Hint = "run 'mktows " + a.cmd.name + " --help' for usage"
	}
	return out
}

// faultMessage says what Marketo refused, in its words, giving the code
// once (Marketo's SOAP messages end with it too).
func faultMessage(f *marketo.Fault) string {
	msg := f.Message
	if msg == "" {
		msg = f.FaultString
	}
	msg = strings.TrimSuffix(msg, fmt.Sprintf(" (%d)", int(f.Code)))
	out := "Marketo refused the call: " + f.Code.String()
	if msg != "" {
		out += ": " + msg
	}
	return out
}

// incompleteHint says what of a split REST import Marketo took, and what is
// left to import.
func incompleteHint(e *marketo.ImportIncompleteError) string {
	if len(e.ImportIDs) == 0 {
		return fmt.Sprintf("the existing leads of the first %d row(s) of --file were added to the list; import the others again", e.NextRow)
	}
	return fmt.Sprintf("Marketo accepted job(s) %s with the first %d row(s) of --file ('mktows import-status --import-id ID' follows each); import the others again",
		strings.Join(e.ImportIDs, ", "), e.NextRow)
}
