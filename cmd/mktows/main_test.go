package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

type result struct {
	code           int
	stdout, stderr string
}

// mktows runs one command line in-process with env as the environment.
func mktows(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut, func(k string) string { return env[k] })
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// envFor is the environment that points mktows at srv.
func envFor(srv *marketotest.Server) map[string]string {
	cfg := srv.Config()
	return map[string]string{
		marketo.EnvEndpoint:      cfg.Endpoint,
		marketo.EnvUserID:        cfg.UserID,
		marketo.EnvEncryptionKey: cfg.EncryptionKey,
	}
}

func newServer(t *testing.T, opts ...marketotest.Option) *marketotest.Server {
	t.Helper()
	srv := marketotest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value:\n%s", s)
	}
	return v
}

type jsonError struct {
	Error struct {
		Message        string `json:"message"`
		ExitCode       int    `json:"exit_code"`
		Field          string `json:"field"`
		Code           int    `json:"code"`
		Meaning        string `json:"meaning"`
		Hint           string `json:"hint"`
		OutcomeUnknown bool   `json:"outcome_unknown"`
		Problems       []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"problems"`
	} `json:"error"`
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := envFor(srv)
	t.Cleanup(func() {
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("usage errors sent %d requests", n)
		}
	})
	many := strings.Repeat("EMAIL:x@example.com\n", marketo.MaxRequestCampaignLeads+1)
	sched := []string{"schedule-campaign", "--program", "P", "--campaign", "C"}
	req := []string{"request-campaign", "--campaign-id", "1003"}
	imp := []string{"import-list", "--program", "P", "--list", "L"}
	cases := []struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
		want  string
	}{
		{"no command", env, "", nil, "Usage:"},
		{"unknown command", env, "", []string{"schedule"}, `unknown command "schedule"`},
		{"unknown flag", env, "", []string{"campaigns", "--bogus"}, "-bogus"},
		{"unknown global flag", env, "", []string{"--bogus", "campaigns"}, "-bogus"},
		{"flag without value", env, "", []string{"schedule-campaign", "--program"}, "-program"},
		{"positional argument", env, "", []string{"campaigns", "extra"}, `unexpected argument "extra"`},
		{"missing --program", env, "", []string{"schedule-campaign", "--campaign", "C"}, "--program is required"},
		{"missing --campaign", env, "", []string{"schedule-campaign", "--program", "P"}, "--campaign is required"},
		{"bad --run-at", env, "", append(sched, "--run-at", "tomorrow"), `--run-at "tomorrow"`},
		{"negative --run-at", env, "", append(sched, "--run-at", "+-1h"), `--run-at "+-1h"`},
		{"bad --run-at duration", env, "", append(sched, "--run-at", "+2x"), `--run-at "+2x"`},
		{"--token without =", env, "", append(sched, "--token", "my.message"), `--token "my.message": want NAME=VALUE`},
		{"--token not a My Token", env, "", append(sched, "--token", "lead.x=1"), `--token "lead.x=1" (name)`},
		{"--token twice", env, "", append(sched, "--token", "my.a=1", "--token", "{{my.A}}=2"), `(also --token "my.a=1")`},
		{"bad --lead", env, "", append(req, "--lead", "a@example.com"), `--lead "a@example.com": want TYPE:VALUE`},
		{"bad lead type", env, "", append(req, "--lead", "FOO:1"), `--lead "FOO:1" (type)`},
		{"bad IDNUM", env, "", append(req, "--lead", "IDNUM:abc"), `--lead "IDNUM:abc" (value)`},
		{"no leads", env, "", req, "--lead/--leads-file is required"},
		{"too many leads", env, many, append(req, "--leads-file", "-"), "--lead/--leads-file has 101 lead keys"},
		{"id with token", env, "", append(req, "--lead", "IDNUM:1", "--token", "my.a=1"), "--token must be empty when --campaign-id is set"},
		{"id with names", env, "", append(req, "--lead", "IDNUM:1", "--program", "P", "--campaign", "C"), "  --program: must be empty when --campaign-id is set"},
		{"negative id", env, "", []string{"request-campaign", "--campaign-id", "-1", "--lead", "IDNUM:1"}, "--campaign-id -1 is not a campaign ID; want a positive 32-bit integer"},
		{"program without campaign", env, "", []string{"request-campaign", "--program", "P", "--lead", "IDNUM:1"}, "--campaign is required and must not be blank"},
		{"bad lead type named in flags", env, "", append(req, "--lead", "FOO:1"), `--lead "FOO:1" (type): "FOO" is not a lead key type; want one of the types 'mktows request-campaign --help' lists`},
		{"bad lead in leads file", env, "IDNUM:1\nidnum:x\n", append(req, "--leads-file", "-"), `--leads-file - line 2 (value): "x" is not a lead ID`},
		{"request token not a My Token", env, "", []string{"request-campaign", "--program", "P", "--campaign", "C", "--lead", "IDNUM:1", "--token", "Name=1"}, `--token "Name=1" (name): token "Name" is not a My Token`},
		{"no campaign", env, "", []string{"request-campaign", "--lead", "IDNUM:1"}, "--campaign-id is required"},
		{"bad --source", env, "", []string{"campaigns", "--source", "web"}, `--source "WEB" is not a campaign source`},
		{"--exact without --name", env, "", []string{"campaigns", "--exact"}, "--exact requires --name"},
		{"--exact and bad --source", env, "", []string{"campaigns", "--exact", "--source", "x"}, "  --exact: requires --name"},
		{"leads file not found", env, "", append(req, "--leads-file", "/nonexistent/leads.txt"), "--leads-file: open /nonexistent/leads.txt"},
		{"bad leads file line", env, "# leads\n\nEMAIL:a@example.com\nbob\n", append(req, "--leads-file", "-"), `--leads-file - line 4: "bob"`},
		{"missing --file", env, "", imp, "--file is required"},
		{"file not found", env, "", append(imp, "--file", "/nonexistent/leads.csv"), "--file: open /nonexistent/leads.csv"},
		{"CSV width mismatch", env, "Email Address,First Name\na@example.com,Ann\nb@example.com\n", append(imp, "--file", "-"), "--file - line 3: has 1 fields; the header has 2"},
		{"CSV malformed", env, "Email Address\n\"a@example.com\n", append(imp, "--file", "-"), "--file -: parse error on line 2"},
		{"CSV empty", env, "", append(imp, "--file", "-"), "--file - is empty"},
		{"CSV header only", env, "Email Address\n", append(imp, "--file", "-"), "has a header but no rows"},
		{"CSV bad header", env, "Email Address,{{my.x}\na,b\n", append(imp, "--file", "-", "--campaign", "C"), `--file - header column 2 ("{{my.x}")`},
		{"token column without --campaign", env, "Email Address,{{my.x}}\na@example.com,1\n", append(imp, "--file", "-"), "--campaign is required when --file header has My Token columns"},
		{"CSV repeated column", env, "Email Address,First Name,First Name\na,b,c\n", append(imp, "--file", "-"), `--file - header column 3 ("First Name"): column "First Name" is given twice (also --file - header column 2 ("First Name"))`},
		{"CSV token columns only", env, "{{my.x}}\n1\n", append(imp, "--file", "-", "--campaign", "C"), "--file header has no lead field column; My Token columns follow lead field columns"},
		{"CSV bad value", env, "Email Address,First Name\na@example.com,\"A\x01\"\n", append(imp, "--file", "-"), `--file - line 2, column "First Name": contains control character U+0001`},
		{"CSV blank --program", env, "Email Address\na@example.com\n", []string{"import-list", "--program", " ", "--list", "L", "--file", "-"}, "--program is required and must not be blank"},
		{"bad --mode", env, "Email Address\na@example.com\n", append(imp, "--file", "-", "--mode", "merge"), `--mode "merge"`},
		{"bad --poll-interval", env, "Email Address\na@example.com\n", append(imp, "--file", "-", "--wait", "--poll-interval", "0s"), "--poll-interval 0s"},
		{"missing --list", env, "", []string{"import-status", "--program", "P"}, "--list is required"},
		{"import-status without flags", env, "", []string{"import-status"}, "  --program: is required and must not be blank\n  --list: is required"},
		{"schedule --campaign-id on SOAP", env, "", []string{"schedule-campaign", "--campaign-id", "1001"}, "--campaign-id is not available on the SOAP API, which names campaigns: give --program and --campaign instead"},
		{"schedule --campaign-id with names", env, "", append(sched, "--campaign-id", "1001"), "  --program: must be empty when --campaign-id is set"},
		{"schedule blank --clone-to", env, "", append(sched, "--clone-to", " "), "--clone-to is required and must not be blank"},
		{"schedule token with stray braces", env, "", append(sched, "--token", "{my.x}=1"), `--token "{my.x}=1" (name): token "{my.x}" has stray braces`},
		{"no configuration", nil, "", []string{"campaigns"}, "no tenant configured: set MARKETO_REST_ENDPOINT, MARKETO_REST_CLIENT_ID and MARKETO_REST_CLIENT_SECRET for the REST API (or --endpoint, --client-id, --client-secret-file), or MARKETO_SOAP_ENDPOINT, MARKETO_SOAP_USER_ID and MARKETO_SOAP_ENCRYPTION_KEY for the SOAP API"},
		{"SOAP half configured", map[string]string{marketo.EnvEndpoint: "https://x.mktoapi.com/soap/mktows/2_9"}, "", []string{"campaigns"}, "no SOAP tenant configured: set MARKETO_SOAP_USER_ID (or --user-id), MARKETO_SOAP_ENCRYPTION_KEY (or --encryption-key-file)"},
		{"REST half configured", map[string]string{marketo.EnvRESTClientID: "id"}, "", []string{"campaigns"}, "no REST tenant configured: set MARKETO_REST_ENDPOINT (or --endpoint), MARKETO_REST_CLIENT_SECRET (or --client-secret-file)"},
		{"REST endpoint not https", map[string]string{marketo.EnvRESTEndpoint: "http://example.com/rest", marketo.EnvRESTClientID: "id", marketo.EnvRESTClientSecret: "s"}, "", []string{"campaigns"}, "--endpoint (MARKETO_REST_ENDPOINT) must use https"},
		{"bad --api", env, "", []string{"--api", "graphql", "campaigns"}, `--api "graphql": want rest or soap`},
		{"REST flag with --api soap", env, "", []string{"--api", "soap", "--client-id", "x", "campaigns"}, "--client-id is for --api rest, not --api soap"},
		{"both APIs' flags", env, "", []string{"--client-id", "x", "--user-id", "y", "campaigns"}, "--client-id is a REST flag and --user-id a SOAP flag: give one API's credentials"},
		{"two secrets", env, "", []string{"--api", "rest", "--client-secret-file", "/s", "--client-secret", "s", "campaigns"}, "give --client-secret-file or --client-secret, not both"},
		{"demo with client id", env, "", []string{"--demo", "--client-id", "x", "campaigns"}, "--demo cannot be combined with --client-id"},
		{"plain http endpoint", env, "", []string{"--endpoint", "http://example.com/soap/mktows/2_9", "campaigns"}, "--endpoint (MARKETO_SOAP_ENDPOINT) must use https"},
		{"key file not found", env, "", []string{"campaigns", "--encryption-key-file", "/nonexistent/key"}, "--encryption-key-file: open /nonexistent/key"},
		{"two keys", env, "", []string{"campaigns", "--encryption-key-file", "/k", "--encryption-key", "k"}, "give --encryption-key-file or --encryption-key, not both"},
		{"demo with endpoint", env, "", []string{"--demo", "--endpoint", "https://x.example.com/soap/mktows/2_9", "campaigns"}, "--demo cannot be combined with --endpoint"},
		{"help for unknown command", env, "", []string{"help", "bogus"}, `unknown command "bogus"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := mktows(t, tc.env, tc.stdin, tc.args...)
			wantCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr does not contain %q:\n%s", tc.want, r.stderr)
			}
			if name := goNameIn(r.stderr); name != "" {
				t.Errorf("stderr names %q, a Go name, not a flag:\n%s", name, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout is not empty:\n%s", r.stdout)
			}
		})
	}
}

// goNames matches what only a Go programmer would know: a CamelCase name, an
// indexed field, or one of the SDK's one-word parameter fields after a
// lower-case word ("requires Name"; "First Name" is a lead field).
var goNames = regexp.MustCompile(`\b[A-Z][a-z0-9]+[A-Z]\w*|\w\[\d+\]|\b[a-z]+ (?:Name|Header|Tokens|Leads|Rows|Mode|Source|Config)\b`)

// goNameIn returns the first Go name in msg outside the values it quotes
// (which are the user's own text), or "".
func goNameIn(msg string) string {
	unquoted := regexp.MustCompile(`"(?:[^"\\]|\\.)*"`).ReplaceAllString(msg, `""`)
	return goNames.FindString(unquoted)
}

func TestUsageErrorJSON(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, envFor(srv), "", "--json", "schedule-campaign", "--token", "lead.x=1", "--token", "my.a")
	wantCode(t, r, exitUsage)
	e := decode[jsonError](t, r.stderr)
	if e.Error.ExitCode != exitUsage || e.Error.Field != "--token" || !strings.Contains(e.Error.Message, `--token "my.a"`) {
		t.Errorf("error = %+v", e.Error)
	}
	// Several problems at once are listed one by one, each with its flag.
	r = mktows(t, envFor(srv), "", "schedule-campaign", "--json", "--token", "lead.x=1")
	wantCode(t, r, exitUsage)
	e = decode[jsonError](t, r.stderr)
	var fields []string
	for _, p := range e.Error.Problems {
		fields = append(fields, p.Field)
	}
	if got := strings.Join(fields, ","); got != `--program,--campaign,--token "lead.x=1" (name)` {
		t.Errorf("problem fields = %s", got)
	}
	// A flag error is JSON too when --json comes later on the line.
	r = mktows(t, envFor(srv), "", "campaigns", "--bogus", "--json")
	wantCode(t, r, exitUsage)
	if e := decode[jsonError](t, r.stderr); !strings.Contains(e.Error.Message, "-bogus") {
		t.Errorf("error = %+v", e.Error)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("sent %d requests", n)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := mktows(t, nil, "", args...)
		wantCode(t, r, exitOK)
		for _, want := range []string{"Usage:", "schedule-campaign", "import-status", "--encryption-key-file", "Exit status"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v: help lacks %q:\n%s", args, want, r.stdout)
			}
		}
	}
	for _, c := range commands() {
		for _, args := range [][]string{{c.name, "--help"}, {"help", c.name}, {"--demo", c.name, "-h"}} {
			r := mktows(t, nil, "", args...)
			wantCode(t, r, exitOK)
			for _, want := range []string{"Usage: mktows " + c.name, "Flags:", "Examples:\n  mktows " + c.name} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("%v: help lacks %q:\n%s", args, want, r.stdout)
				}
			}
		}
	}
}

func TestParseRunAt(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 10, 0, 0, 500, time.UTC)
	for in, want := range map[string]time.Time{
		"":                          {},
		"now":                       {},
		"+2h":                       time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
		"+30m":                      time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC),
		"2026-12-01T09:00:00-06:00": time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC),
	} {
		got, err := parseRunAt(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseRunAt(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestParseTokensSplitsAtFirstEquals(t *testing.T) {
	t.Parallel()
	toks, _, err := parseTokens([]string{"my.a=x=y", "{{my.b}}=", " my.c =v "})
	if err != nil {
		t.Fatal(err)
	}
	want := []marketo.Token{{Name: "my.a", Value: "x=y"}, {Name: "{{my.b}}", Value: ""}, {Name: "my.c", Value: "v "}}
	for i := range want {
		if toks[i] != want[i] {
			t.Errorf("token %d = %+v, want %+v", i, toks[i], want[i])
		}
	}
}
