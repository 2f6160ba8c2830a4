package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

func TestScheduleCampaign(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	before := time.Now()
	r := mktows(t, envFor(srv), "", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example",
		"--run-at", "+2h", "--clone-to", "Clone 1", "--token", "my.message=a=b", "--token", "{{my.other token}}=x")
	wantCode(t, r, exitOK)
	runs := srv.Runs()
	if len(runs) != 1 {
		t.Fatalf("runs = %+v", runs)
	}
	run := runs[0]
	if !run.Cloned || run.Program != "Clone 1" || run.Tokens["{{my.message}}"] != "a=b" || run.Tokens["{{my.other token}}"] != "x" {
		t.Errorf("run = %+v", run)
	}
	if d := run.RunAt.Sub(before); d < 2*time.Hour-time.Second || d > 2*time.Hour+time.Minute {
		t.Errorf("run at %v, want about 2h after %v", run.RunAt, before)
	}
	for _, want := range []string{`Scheduled campaign "Batch Campaign Example" of program "Trav-Demo-Program".`, `in clone:  "Clone 1"`, `{{my.message}} = "a=b"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestScheduleCampaignNowOnSOAP: without --run-at, SOAP runs the campaign
// now (REST's earliest is five minutes later; see TestRESTOnly).
func TestScheduleCampaignNowOnSOAP(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, envFor(srv), "", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "runs at:  now\n") {
		t.Errorf("stdout lacks the run time now:\n%s", r.stdout)
	}
}

func TestScheduleCampaignJSON(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, envFor(srv), "", "--json", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example",
		"--run-at", "2030-01-02T09:00:00-06:00", "--token", "my.message=Hi")
	wantCode(t, r, exitOK)
	out := decode[scheduleOut](t, r.stdout)
	want := time.Date(2030, 1, 2, 15, 0, 0, 0, time.UTC)
	if out.Program != "Trav-Demo-Program" || out.RunAt == nil || !out.RunAt.Equal(want) || len(out.Tokens) != 1 || out.Tokens[0] != (tokenOut{"{{my.message}}", "Hi"}) {
		t.Errorf("output = %+v", out)
	}
	if runs := srv.Runs(); len(runs) != 1 || !runs[0].RunAt.Equal(want) {
		t.Errorf("runs = %+v", runs)
	}
	if r.stderr != "" {
		t.Errorf("stderr = %q", r.stderr)
	}
}

// TestScheduleCampaignJSONSaysWhenItRuns: with no --run-at, run_at is null
// and runs says what text output says: now on SOAP, about five minutes
// after the call on REST.
func TestScheduleCampaignJSONSaysWhenItRuns(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, tc := range []struct {
		env  map[string]string
		runs string
	}{
		{envFor(srv), "now"},
		{restEnvFor(srv), "in about five minutes (the REST API's earliest)"},
	} {
		r := mktows(t, tc.env, "", "--json", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example")
		wantCode(t, r, exitOK)
		out := decode[scheduleOut](t, r.stdout)
		if out.RunAt != nil || out.Runs != tc.runs {
			t.Errorf("run_at = %v, runs = %q; want null and %q", out.RunAt, out.Runs, tc.runs)
		}
	}
	r := mktows(t, envFor(srv), "", "--json", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example",
		"--run-at", "2030-01-02T09:00:00-06:00")
	wantCode(t, r, exitOK)
	if out := decode[scheduleOut](t, r.stdout); out.Runs != "at run_at" {
		t.Errorf("runs = %q; want at run_at", out.Runs)
	}
}

func TestRequestCampaign(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	leads := writeFile(t, "leads.txt", "# new sign-ups\n\nemail:dawesomesauce@marketo.com\n  IDNUM:3  \n")
	r := mktows(t, envFor(srv), "", "request-campaign", "--program", "Trav-Demo-Program", "--campaign", "Welcome Email Trigger",
		"--lead", "EMAIL:jdoe@janeconsulting.com", "--leads-file", leads, "--token", "my.message=Welcome", "--source", "sales")
	wantCode(t, r, exitOK)
	runs := srv.Runs()
	if len(runs) != 1 || len(runs[0].LeadIDs) != 3 || runs[0].Source != "SALES" || runs[0].Tokens["{{my.message}}"] != "Welcome" {
		t.Fatalf("runs = %+v", runs)
	}
	for _, want := range []string{`Requested campaign "Welcome Email Trigger" of program "Trav-Demo-Program" for 3 lead(s) (source SALES).`, "leads:   EMAIL:jdoe@janeconsulting.com", "IDNUM:3"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestRequestCampaignByIDJSON(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, envFor(srv), "IDNUM:1\n", "request-campaign", "--json", "--campaign-id", "1003", "--leads-file", "-")
	wantCode(t, r, exitOK)
	out := decode[requestOut](t, r.stdout)
	if out.CampaignID != 1003 || out.Source != "MKTOWS" || len(out.Leads) != 1 || out.Leads[0] != (leadOut{"IDNUM", "1"}) {
		t.Errorf("output = %+v", out)
	}
	if runs := srv.Runs(); len(runs) != 1 || runs[0].CampaignID != 1003 {
		t.Errorf("runs = %+v", runs)
	}
}

func TestCampaigns(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, envFor(srv), "", "campaigns")
	wantCode(t, r, exitOK)
	want := "ID    NAME                      DESCRIPTION\n" +
		"1002  Trigger Campaign Example  Requested by the SOAP API\n" +
		"1003  Welcome Email Trigger\n"
	if r.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
	}

	r = mktows(t, envFor(srv), "", "campaigns", "--name", "Welcome Email Trigger", "--exact", "--json")
	wantCode(t, r, exitOK)
	out := decode[campaignsOut](t, r.stdout)
	if out.Source != "MKTOWS" || len(out.Campaigns) != 1 || out.Campaigns[0] != (campaignOut{ID: 1003, Name: "Welcome Email Trigger"}) {
		t.Errorf("output = %+v", out)
	}

	r = mktows(t, envFor(srv), "", "campaigns", "--name", "nothing like it")
	wantCode(t, r, exitOK)
	if r.stdout != "No requestable campaigns match.\n" {
		t.Errorf("stdout = %q", r.stdout)
	}
}

func TestImportListAndStatus(t *testing.T) {
	t.Parallel()
	srv := newServer(t, marketotest.WithImportDuration(0))
	csv := "\uFEFFEmail Address,First Name,{{my.message}}\nann@example.com,Ann,\"Hi, Ann\"\n\nbob@example.com,Bob,\"Line 1\nLine 2\"\n"
	r := mktows(t, envFor(srv), csv, "import-list", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List", "--file", "-",
		"--campaign", "Batch Campaign Example", "--mode", "list-only", "--clear")
	wantCode(t, r, exitOK)
	imps := srv.Imports()
	if len(imps) != 1 || imps[0].Mode != "LISTONLY" || !imps[0].ClearList || imps[0].Rows != 2 || imps[0].Campaign != "Batch Campaign Example" ||
		strings.Join(imps[0].Columns, "|") != "Email Address|First Name|{{my.message}}" {
		t.Fatalf("imports = %+v", imps)
	}
	if !strings.Contains(r.stdout, "Follow it with: mktows import-status --program Trav-Demo-Program --list Trav-Test-List") {
		t.Errorf("stdout:\n%s", r.stdout)
	}

	r = mktows(t, envFor(srv), "", "import-status", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List")
	wantCode(t, r, exitOK)
	if !regexp.MustCompile(`Import to list "Trav-Test-List" of program "Trav-Demo-Program": COMPLETE\n  started: +\S+\n  ended: +\S+\n`).MatchString(r.stdout) {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	r = mktows(t, envFor(srv), "", "import-status", "--json", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List")
	wantCode(t, r, exitOK)
	st := decode[statusOut](t, r.stdout)
	if st.Status != "COMPLETE" || st.EndedTime == nil || st.RowsImported == nil || st.RowsIgnored == nil || *st.RowsImported+*st.RowsIgnored != 2 {
		t.Errorf("status = %+v", st)
	}
}

// clockWriter advances the fake's clock by step every time a PROCESSING
// progress line is written, so that an import completes after a known
// number of polls without waiting.
type clockWriter struct {
	strings.Builder
	clock  *marketotest.ManualClock
	step   time.Duration
	onPoll func(n int)
	polls  int
}

func (w *clockWriter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), "PROCESSING") {
		w.polls++
		if w.onPoll != nil {
			w.onPoll(w.polls)
		}
		w.clock.Advance(w.step)
	}
	return w.Builder.Write(p)
}

// tty is a clockWriter that says it is a terminal.
type tty struct{ *clockWriter }

func (tty) Stat() (os.FileInfo, error) { return os.Stat(os.DevNull) }

func waitServer(t *testing.T) (*marketotest.Server, *marketotest.ManualClock) {
	clock := marketotest.NewManualClock(time.Now())
	return newServer(t, marketotest.WithClock(clock.Now), marketotest.WithImportDuration(time.Minute)), clock
}

var importArgs = []string{"import-list", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List", "--file", "-", "--wait", "--poll-interval", "1ms"}

const importCSV = "Email Address,First Name\nann@example.com,Ann\nbob@example.com,Bob\n"

func TestImportListWait(t *testing.T) {
	t.Parallel()
	srv, clock := waitServer(t)
	var out strings.Builder
	errOut := &clockWriter{clock: clock, step: 30 * time.Second}
	code := run(importArgs, strings.NewReader(importCSV), &out, errOut, func(k string) string { return envFor(srv)[k] })
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	want := []string{`^Import of 2 row\(s\) to list "Trav-Test-List" .* started; waiting`, `^PROCESSING, 0 of 2 rows imported, estimated time left 60 \(poll 1, `,
		`^PROCESSING, .*left 30 \(poll 2, `, `^COMPLETE, 2 of 2 rows imported \(poll 3, \d+s\)$`}
	if len(lines) != len(want) {
		t.Fatalf("progress:\n%s", errOut.String())
	}
	for i, re := range want {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d = %q, want %s", i, lines[i], re)
		}
	}
	if !strings.Contains(out.String(), "COMPLETE\n") || !strings.Contains(out.String(), "rows imported:   2") {
		t.Errorf("stdout:\n%s", out.String())
	}
}

func TestImportListWaitTerminal(t *testing.T) {
	t.Parallel()
	srv, clock := waitServer(t)
	var out strings.Builder
	errOut := tty{&clockWriter{clock: clock, step: 30 * time.Second}}
	code := run(importArgs, strings.NewReader(importCSV), &out, errOut, func(k string) string { return envFor(srv)[k] })
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
	_, progress, _ := strings.Cut(errOut.String(), "\n")
	if strings.Count(progress, "\r\x1b[K") != 3 || strings.Count(progress, "\n") != 1 || !regexp.MustCompile(`\(poll 3, \d+s\)\n$`).MatchString(progress) {
		t.Errorf("progress = %q", progress)
	}
}

func TestImportListWaitJSON(t *testing.T) {
	t.Parallel()
	srv := newServer(t, marketotest.WithImportDuration(0))
	r := mktows(t, envFor(srv), importCSV, append([]string{"--json"}, importArgs...)...)
	wantCode(t, r, exitOK)
	out := decode[importOut](t, r.stdout)
	if out.Final == nil || out.Final.Status != "COMPLETE" || out.Rows != 2 || out.Mode != "UPSERTLEADS" || out.Status != "PROCESSING" {
		t.Errorf("output = %+v (final %+v)", out, out.Final)
	}
	if r.stderr != "" {
		t.Errorf("stderr = %q", r.stderr)
	}
}

func TestImportListWaitPollFails(t *testing.T) {
	t.Parallel()
	srv, clock := waitServer(t)
	var out strings.Builder
	errOut := &clockWriter{clock: clock, step: 10 * time.Second, onPoll: func(int) { srv.FailNext(1, marketo.CodeAccessDenied) }}
	code := run(importArgs, strings.NewReader(importCSV), &out, errOut, func(k string) string { return envFor(srv)[k] })
	if code != exitFail {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"20013 (access denied)", "hint: the import goes on in Marketo; follow it with: mktows import-status --program Trav-Demo-Program --list Trav-Test-List"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
}
