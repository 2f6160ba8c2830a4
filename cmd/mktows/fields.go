package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/mktows/marketo"
)

// flagFor names what the SDK's validation errors call by Go names after what
// the user typed: each parameter field after its flag (the same flag in
// every command), each constant after its flag value.
var flagFor = map[string]string{
	"ProgramName":        "--program",
	"CampaignName":       "--campaign",
	"CampaignID":         "--campaign-id",
	"ListName":           "--list",
	"ListID":             "--list-id",
	"Mode":               "--mode",
	"ClearList":          "--clear",
	"RunAt":              "--run-at",
	"CloneToProgramName": "--clone-to",
	"Tokens":             "--token",
	"Leads":              "--lead/--leads-file",
	"Source":             "--source",
	"Name":               "--name",
	"ExactName":          "--exact",
	"Type":               "--type",
	"Header":             "--file header",
	"Rows":               "--file",
	"WithPollInterval":   "--poll-interval",
	"ImportID":           "--import-id",

	"Config.Endpoint":      "--endpoint (" + marketo.EnvEndpoint + ")",
	"Config.UserID":        "--user-id (" + marketo.EnvUserID + ")",
	"Config.EncryptionKey": "--encryption-key-file (" + marketo.EnvEncryptionKey + ")",

	"RESTConfig.Endpoint":     "--endpoint (" + marketo.EnvRESTEndpoint + ")",
	"RESTConfig.ClientID":     "--client-id (" + marketo.EnvRESTClientID + ")",
	"RESTConfig.ClientSecret": "--client-secret-file (" + marketo.EnvRESTClientSecret + ")",
	"RESTConfig.IdentityURL":  "--identity-url (" + marketo.EnvRESTIdentityURL + ")",
	"SourceMKTOWS":            "MKTOWS",
	"SourceSales":             "SALES",

	"ImportModeUpsertLeads": "upsert",
	"ImportModeListOnly":    "list-only",
	"UPSERTLEADS":           "upsert",
	"LISTONLY":              "list-only",
}

// phraseFor rewrites the SDK's phrases that point Go programmers at Go
// names, before flagFor names single fields.
var phraseFor = strings.NewReplacer(
	"one of the LeadKey… constants", "one of the types 'mktows request-campaign --help' lists",
	"give one of ImportToListResult.ImportIDs (or use WaitForImports)", "give a job ID that 'mktows import-list' printed",
	"pass Tokens to RequestCampaign", "pass --token to 'mktows request-campaign'",
)

// goName matches a Go name in a validation error: a field, maybe indexed
// and qualified ("Tokens[1].Name", "Rows[2][3]", "Config.Endpoint"), or a
// constant. Words that are not in flagFor are left as they are.
var goName = regexp.MustCompile(`\b[A-Z][A-Za-z]*(?:\[\d+\])*(?:\.[A-Z][A-Za-z]*)?`)

// flagNames names the SDK's fields after the flags of one command line.
type flagNames struct {
	items   map[string][]string // list field → origin of each element, e.g. "Tokens" → `--token "my.x=1"`
	columns []string            // the --file header, naming Rows[i][j]'s column
}

// field names an SDK field, such as "Tokens[1].Name", after where its value
// came from, such as `--token "my.x=1" (name)`.
func (n flagNames) field(f string) string {
	if flag, ok := flagFor[f]; ok {
		return flag
	}
	base, idx, rest, ok := splitIndex(f)
	if !ok {
		return f
	}
	name := n.item(base, idx)
	if _, col, _, ok := splitIndex("x" + rest); ok && col < len(n.columns) {
		return fmt.Sprintf("%s, column %q", name, n.columns[col])
	}
	if r := strings.TrimPrefix(rest, "."); r != "" {
		return name + " (" + strings.ToLower(r) + ")"
	}
	return name
}

// item names element idx of list field base: where it came from, or its
// place among the flag's values.
func (n flagNames) item(base string, idx int) string {
	if origins := n.items[base]; idx < len(origins) {
		return origins[idx]
	}
	flag, ok := flagFor[base]
	if !ok {
		return fmt.Sprintf("%s[%d]", base, idx)
	}
	return fmt.Sprintf("%s #%d", flag, idx+1)
}

// quoted matches a value the SDK quotes in a rule (with %q): the user's own
// text, such as a header column "First Name", which is never rewritten.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// rule rewrites a rule's text, such as "also Tokens[1]" or "requires Name",
// in the user's words.
func (n flagNames) rule(r string) string {
	var b strings.Builder
	last := 0
	for _, q := range quoted.FindAllStringIndex(r, -1) {
		b.WriteString(n.words(r[last:q[0]]))
		b.WriteString(r[q[0]:q[1]])
		last = q[1]
	}
	b.WriteString(n.words(r[last:]))
	return b.String()
}

// words rewrites the Go names in unquoted text.
func (n flagNames) words(s string) string {
	return goName.ReplaceAllStringFunc(phraseFor.Replace(s), n.field)
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
