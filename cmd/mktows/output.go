package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

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

// emit prints v as JSON with --json, or calls human.
func (a *app) emit(v any, human func(w io.Writer)) error {
	if a.g.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	human(a.stdout)
	return nil
}

// fail reports err on stderr and returns the exit code.
func (a *app) fail(err error) int {
	if err == nil {
		return exitOK
	}
	ce := a.explain(err)
	if a.g.json {
		type jsonErr struct {
			Message        string    `json:"message"`
			ExitCode       int       `json:"exit_code"`
			Field          string    `json:"field,omitempty"`
			Code           int       `json:"code,omitempty"`
			Meaning        string    `json:"meaning,omitempty"`
			Hint           string    `json:"hint,omitempty"`
			OutcomeUnknown bool      `json:"outcome_unknown,omitempty"`
			Problems       []problem `json:"problems,omitempty"`
		}
		je := jsonErr{Message: ce.Message, ExitCode: ce.Exit, Field: ce.Field, Code: int(ce.Code), Hint: ce.Hint,
			OutcomeUnknown: ce.OutcomeUnknown, Problems: ce.Problems}
		if ce.Code != 0 {
			je.Meaning = ce.Code.Meaning()
		}
		enc := json.NewEncoder(a.stderr)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(map[string]jsonErr{"error": je})
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
	if ves := validationErrors(err, nil); len(ves) > 0 {
		out := &cliError{Exit: exitUsage, Message: "invalid input; nothing was sent:"}
		for _, ve := range ves {
			out.Problems = append(out.Problems, problem{Field: a.fields.name(ve.Field), Message: a.fields.rewrite(ve.Rule)})
		}
		if len(out.Problems) == 1 {
			out.Message = out.Problems[0].Field + " " + out.Problems[0].Message
			out.Field = out.Problems[0].Field
			out.Problems = nil
		} else {
			out.Field = out.Problems[0].Field
		}
		if a.cmd != nil {
			out.Hint = "run 'mktows " + a.cmd.name + " --help' for usage"
		}
		return out
	}
	out := &cliError{Exit: exitFail, Message: strings.TrimPrefix(err.Error(), "marketo: ")}
	var f *marketo.Fault
	var re *marketo.ResponseError
	var failed *marketo.ImportFailedError
	switch {
	case errors.As(err, &f):
		msg := f.Message
		if msg == "" {
			msg = f.FaultString
		}
		out.Code = f.Code
		out.Message = "Marketo refused the call: " + f.Code.String()
		if msg != "" {
			out.Message += ": " + msg
		}
		out.Hint = a.faultHint(f)
	case errors.As(err, &failed):
		out.Hint = "see the summary above, fix the file and import again"
	case errors.Is(err, marketo.ErrCloneBudgetExhausted):
		out.Hint = "Marketo allows 10 program clones a day; try again after midnight US Central"
	case errors.Is(err, context.DeadlineExceeded):
		out.Hint = fmt.Sprintf("no answer within --timeout %v: check --endpoint and the network, or give a longer --timeout", a.g.timeout)
	case errors.Is(err, context.Canceled):
		out.Message = "interrupted: " + out.Message
	case errors.As(err, &re):
		out.Hint = "the answer was not Marketo SOAP: check that --endpoint is the SOAP endpoint, e.g. https://123-ABC-456.mktoapi.com/soap/mktows/2_9"
	case errors.Is(err, marketo.ErrNotSuccessful):
		out.Hint = "Marketo answered without a fault but did not do it; check the names and try again"
	default:
		out.Hint = "check the network and --endpoint (" + marketo.EnvEndpoint + ")"
	}
	if errors.Is(err, marketo.ErrOutcomeUnknown) {
		out.OutcomeUnknown = true
		out.Hint = "the request was sent but no answer came back: " + a.unknownOutcomeAdvice()
	}
	return out
}

// unknownOutcomeAdvice says what to check before repeating a call that may
// have run.
func (a *app) unknownOutcomeAdvice() string {
	if a.cmd != nil && a.cmd.name == "import-list" {
		return "check the import with 'mktows import-status' before importing again"
	}
	return "check the campaign in Marketo before running this again"
}

// faultHint says what to do about a fault.
func (a *app) faultHint(f *marketo.Fault) string {
	switch f.Code {
	case marketo.CodeAuthenticationFailed:
		return "check " + marketo.EnvUserID + " (--user-id) and the encryption key (" + marketo.EnvEncryptionKey + " or --encryption-key-file)"
	case marketo.CodeRequestExpired:
		return "Marketo refused the request time: check this machine's clock"
	case marketo.CodeRequestLimitExceeded:
		resets := "midnight US Central"
		if !f.QuotaResetsAt.IsZero() {
			resets = f.QuotaResetsAt.Local().Format(time.RFC3339) + " (midnight US Central)"
		}
		return "the tenant's daily quota (or, with --clone-to, its 10 clones a day) is used up; it resets at " + resets
	case marketo.CodeRateLimitExceeded, marketo.CodeConcurrencyLimitExceeded:
		return "the tenant's rate limits are shared by all its integrations; wait a little and try again"
	case marketo.CodeAccessDenied:
		return "the SOAP API user may not do this: check its role in Marketo (Admin > Integration > SOAP API)"
	case marketo.CodeCampaignNotFound:
		return "check the program and campaign names (mktows campaigns lists requestable campaigns)"
	case marketo.CodeListNotFound:
		return "check --list: it must be a static list of the program given with --program"
	case marketo.CodeLeadNotFound:
		return "none of the leads exists in Marketo: check the --lead values"
	case marketo.CodeLeadKeyRequired, marketo.CodeLeadKeyBad:
		return "check the --lead values: TYPE:VALUE, e.g. EMAIL:a@example.com or IDNUM:42"
	case marketo.CodeLeadAttributeBad:
		return "a header column is not a lead field: use the field names the Marketo UI shows, e.g. Email Address"
	case marketo.CodeInvalidRequest, marketo.CodeRequestNotUnderstood:
		return "Marketo did not understand the request: check that --endpoint is a SOAP endpoint of a supported version"
	case marketo.CodeBadParameter, marketo.CodeBadParameterValue, marketo.CodeParameterRequired:
		if a.cmd != nil {
			switch a.cmd.name {
			case "request-campaign":
				return "only trigger campaigns with a \"Campaign is Requested\" trigger can be requested ('mktows campaigns' lists them)"
			case "schedule-campaign":
				return "only batch campaigns can be scheduled, and --clone-to must name a program that does not exist yet"
			}
		}
		return "Marketo refused a parameter value; its message says which"
	}
	return ""
}

// validationErrors collects every *marketo.ValidationError in err's tree.
func validationErrors(err error, out []*marketo.ValidationError) []*marketo.ValidationError {
	if ve, ok := err.(*marketo.ValidationError); ok {
		return append(out, ve)
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if inner := u.Unwrap(); inner != nil {
			out = validationErrors(inner, out)
		}
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			out = validationErrors(inner, out)
		}
	}
	return out
}

// fieldMap names an SDK parameter field, such as "Tokens[1].Name", after
// where its value came from, such as `--token "my.x=1"`.
type fieldMap struct {
	flags   map[string]string   // SDK field → flag, e.g. "ProgramName" → "--program"
	origins map[string][]string // SDK list field → origin of each element
	columns []string            // for Rows[i][j]: the header
}

var configFlags = map[string]string{
	"Config.Endpoint":      "--endpoint (" + marketo.EnvEndpoint + ")",
	"Config.UserID":        "--user-id (" + marketo.EnvUserID + ")",
	"Config.EncryptionKey": "--encryption-key-file (" + marketo.EnvEncryptionKey + ")",
}

func (m fieldMap) name(field string) string {
	if f, ok := configFlags[field]; ok {
		return f
	}
	base, idx, rest, ok := splitIndex(field)
	if !ok {
		if f, ok := m.flags[field]; ok {
			return f
		}
		return field
	}
	origins := m.origins[base]
	if idx >= len(origins) {
		return field
	}
	name := origins[idx]
	if _, col, _, ok := splitIndex("x" + rest); ok && col < len(m.columns) {
		return fmt.Sprintf("%s, column %q", name, m.columns[col])
	}
	if r := strings.TrimPrefix(rest, "."); r != "" {
		return name + " (" + strings.ToLower(r) + ")"
	}
	return name
}

var fieldRef = regexp.MustCompile(`\b[A-Z][A-Za-z]*\[\d+\](\[\d+\])?`)

// rewrite replaces the SDK field names in a rule's text, such as "also
// Tokens[1]", with where the values came from.
func (m fieldMap) rewrite(rule string) string {
	return fieldRef.ReplaceAllStringFunc(rule, m.name)
}

// splitIndex splits "Tokens[1].Name" into "Tokens", 1 and ".Name".
func splitIndex(field string) (base string, idx int, rest string, ok bool) {
	open := strings.IndexByte(field, '[')
	end := strings.IndexByte(field, ']')
	if open <= 0 || end < open {
		return "", 0, "", false
	}
	n, err := strconv.Atoi(field[open+1 : end])
	if err != nil || n < 0 {
		return "", 0, "", false
	}
	return field[:open], n, field[end+1:], true
}

// quoteArg quotes s for a shell command line when it needs it.
func quoteArg(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@/:+=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// clip shortens s for quoting in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}
