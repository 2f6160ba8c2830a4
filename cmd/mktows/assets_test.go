package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mktows/marketo/marketotest"
)

// Campaigns and lists named without --program (REST), lists named by
// --list-id, and what Marketo said about each call.

// twinSeed adds to the default tenant a program holding a campaign and a
// list named as the default program's.
func twinSeed() *marketotest.Seed {
	return &marketotest.Seed{Programs: []marketotest.SeedProgram{{Name: "Other Program",
		Campaigns: []marketotest.SeedCampaign{{Name: "Batch Campaign Example", Type: "batch"}},
		Lists:     []marketotest.SeedList{{Name: "Trav-Test-List"}}}}}
}

func TestNamesWithoutProgramOnREST(t *testing.T) {
	t.Parallel()
	t.Run("schedule-campaign by --campaign alone", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		r := mktows(t, restEnvFor(srv), "", "schedule-campaign", "--campaign", "Batch Campaign Example")
		wantCode(t, r, exitOK)
		if runs := srv.Runs(); len(runs) != 1 || runs[0].Campaign != "Batch Campaign Example" || runs[0].Program != "Trav-Demo-Program" {
			t.Fatalf("runs = %+v", runs)
		}
		if !regexp.MustCompile(`^Scheduled campaign "Batch Campaign Example" \(ID \d+\)\.\n(.*\n)*Marketo request ID: \S+\n$`).MatchString(r.stdout) {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	})
	t.Run("import-list by --list alone, --json", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		r := mktows(t, restEnvFor(srv), importCSV, "--json", "import-list", "--list", "Trav-Test-List", "--file", "-")
		wantCode(t, r, exitOK)
		out := decode[importOut](t, r.stdout)
		if out.Program != "" || out.List != "Trav-Test-List" || out.ListID == 0 || len(out.ImportIDs) != 1 || len(out.RequestIDs) != 1 || out.RequestIDs[0] == "" {
			t.Errorf("output = %+v", out)
		}
		if jobs := srv.BulkImports(); len(jobs) != 1 || jobs[0].List != "Trav-Test-List" || jobs[0].Rows != 2 {
			t.Errorf("jobs = %+v", jobs)
		}
	})
	t.Run("import-list by --list-id", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, marketotest.WithImportDuration(0))
		r := mktows(t, restEnvFor(srv), importCSV, "--json", "import-list", "--list", "Trav-Test-List", "--file", "-")
		wantCode(t, r, exitOK)
		id := decode[importOut](t, r.stdout).ListID
		before := len(srv.Requests())
		r = mktows(t, restEnvFor(srv), importCSV, "import-list", "--list-id", strconv.Itoa(id), "--file", "-", "--wait", "--poll-interval", "10ms")
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "Import to list "+strconv.Itoa(id)+": COMPLETE\n") || !strings.Contains(r.stdout, "Marketo request ID: ") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
		for _, req := range srv.Requests()[before:] {
			if strings.Contains(req.Path, "/lists.json") {
				t.Errorf("--list-id looked the list up: %s", req.Path)
			}
		}
		if jobs := srv.BulkImports(); len(jobs) != 2 || jobs[1].List != "Trav-Test-List" {
			t.Errorf("jobs = %+v", jobs)
		}
	})
	t.Run("a name two programs share", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, marketotest.WithSeed(twinSeed()))
		r := mktows(t, restEnvFor(srv), "", "schedule-campaign", "--campaign", "Batch Campaign Example")
		wantCode(t, r, exitFail)
		for _, want := range []string{`2 campaigns are named "Batch Campaign Example": ID `, `in program "Trav-Demo-Program"`, `in program "Other Program"`,
			"name the one meant by --campaign-id (or by --program when it is in a program)"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		r = mktows(t, restEnvFor(srv), importCSV, "--json", "import-list", "--list", "Trav-Test-List", "--file", "-")
		wantCode(t, r, exitFail)
		je := decode[jsonError](t, r.stderr)
		if !strings.Contains(je.Error.Message, `2 static lists are named "Trav-Test-List"`) || !strings.Contains(je.Error.Message, "--list-id") {
			t.Errorf("error = %+v", je.Error)
		}
		if len(srv.Runs()) != 0 || len(srv.BulkImports()) != 0 {
			t.Error("an ambiguous name ran something")
		}
		r = mktows(t, restEnvFor(srv), "", "schedule-campaign", "--program", "Other Program", "--campaign", "Batch Campaign Example")
		wantCode(t, r, exitOK)
	})
	t.Run("list not found by name alone", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		r := mktows(t, restEnvFor(srv), importCSV, "import-list", "--list", "trav-test-list", "--file", "-")
		wantCode(t, r, exitFail)
		if !strings.Contains(r.stderr, `no static list named "trav-test-list"`) || !strings.Contains(r.stderr, "hint: check --list: no static list has that exact name, case included") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
	})
}

func TestProgramAndListIDOnSOAP(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, envFor(srv), importCSV, "import-list", "--list", "Trav-Test-List", "--file", "-")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "mktows import-list: --program is required") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	r = mktows(t, envFor(srv), "", "schedule-campaign", "--campaign", "Batch Campaign Example")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "mktows schedule-campaign: --program is required") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	r = mktows(t, envFor(srv), importCSV, "--json", "import-list", "--list-id", "1001", "--file", "-")
	wantCode(t, r, exitUsage)
	je := decode[jsonError](t, r.stderr)
	if je.Error.Field != "--list-id" || !strings.Contains(je.Error.Message, "not available on the SOAP API, which names lists: give --program and --list instead") {
		t.Errorf("error = %+v", je.Error)
	}
	r = mktows(t, envFor(srv), "", "--json", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example")
	wantCode(t, r, exitOK)
	if strings.Contains(r.stdout, "request_ids") || strings.Contains(r.stdout, "warnings") {
		t.Errorf("SOAP output carries REST metadata:\n%s", r.stdout)
	}
	if len(srv.Requests()) != 1 {
		t.Errorf("the fake received %d requests, want the one valid call", len(srv.Requests()))
	}
}

// The fake's default tenant keeps batch campaign "Monthly Newsletter Send"
// and static list "Newsletter Subscribers" in folder Operational
// Campaigns, outside any program.
func TestFolderAssetsOnREST(t *testing.T) {
	t.Parallel()
	t.Run("schedule-campaign", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		r := mktows(t, restEnvFor(srv), "", "--json", "schedule-campaign", "--campaign", "Monthly Newsletter Send")
		wantCode(t, r, exitOK)
		runs := srv.Runs()
		if len(runs) != 1 || runs[0].Folder != "Operational Campaigns" {
			t.Fatalf("runs = %+v", runs)
		}
		if out := decode[scheduleOut](t, r.stdout); out.Program != "" || out.CampaignID != runs[0].CampaignID || len(out.RequestIDs) != 1 {
			t.Errorf("output = %+v", out)
		}
	})
	t.Run("import-list by --list, then by --list-id", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, marketotest.WithImportDuration(0))
		r := mktows(t, restEnvFor(srv), importCSV, "import-list", "--list", "Newsletter Subscribers", "--file", "-", "--wait", "--poll-interval", "10ms")
		wantCode(t, r, exitOK)
		m := regexp.MustCompile(`Import to list "Newsletter Subscribers" \(ID (\d+)\): COMPLETE\n`).FindStringSubmatch(r.stdout)
		if m == nil {
			t.Fatalf("stdout:\n%s", r.stdout)
		}
		r = mktows(t, restEnvFor(srv), "Email Address\ncarl@example.com\n", "--json", "import-list", "--list-id", m[1], "--file", "-")
		wantCode(t, r, exitOK)
		if out := decode[importOut](t, r.stdout); strconv.Itoa(out.ListID) != m[1] || out.List != "" || len(out.ImportIDs) != 1 {
			t.Errorf("output = %+v", out)
		}
		jobs := srv.BulkImports()
		if len(jobs) != 2 || jobs[0].Folder != "Operational Campaigns" || jobs[1].Folder != "Operational Campaigns" || jobs[1].List != "Newsletter Subscribers" {
			t.Errorf("jobs = %+v", jobs)
		}
	})
	t.Run("campaigns", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, marketotest.WithSeed(&marketotest.Seed{Folders: []marketotest.SeedFolder{{Name: "Requests",
			Campaigns: []marketotest.SeedCampaign{{Name: "Folder Welcome", Type: "trigger", Requestable: true}}}}}))
		r := mktows(t, restEnvFor(srv), "", "campaigns", "--name", "Welcome")
		wantCode(t, r, exitOK)
		if !regexp.MustCompile(`\n\d+ +Welcome Email Trigger +Trav-Demo-Program\n\d+ +Folder Welcome +\(folder\)\n`).MatchString(r.stdout) {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	})
	t.Run("a name a folder and a program share", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, marketotest.WithSeed(&marketotest.Seed{Programs: []marketotest.SeedProgram{{Name: "Newsletter Program",
			Lists: []marketotest.SeedList{{Name: "Newsletter Subscribers"}}}}}))
		r := mktows(t, restEnvFor(srv), importCSV, "import-list", "--list", "Newsletter Subscribers", "--file", "-")
		wantCode(t, r, exitFail)
		for _, want := range []string{`2 static lists are named "Newsletter Subscribers"`, `in a folder (workspace "Default")`, `in program "Newsletter Program"`, "--list-id"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		if n := len(srv.BulkImports()); n != 0 {
			t.Errorf("%d imports", n)
		}
	})
}
