package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/mktows/marketo"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	sched := []string{"schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example"}
	clone := append(sched[:len(sched):len(sched)], "--clone-to", "Copy")
	reqByID := []string{"request-campaign", "--campaign-id", "1003", "--lead", "IDNUM:1"}
	reqByName := []string{"request-campaign", "--program", "Trav-Demo-Program", "--campaign", "Welcome Email Trigger", "--lead", "IDNUM:1"}
	cases := []struct {
		name   string
		code   marketo.Code
		stdin  string
		args   []string
		want   []string
		absent []string // what the hint must not say
	}{
		{"authentication", 20014, "", sched, []string{"Marketo refused the call: 20014 (authentication failed)", "hint: check MARKETO_SOAP_USER_ID (--user-id) and the encryption key"}, nil},
		{"schedule: campaign not found", 20113, "", sched,
			[]string{"20113 (campaign not found)", "hint: check --program and --campaign: they must name a batch campaign of that program; the SOAP API cannot list batch campaigns"}, []string{"mktows campaigns"}},
		{"request by ID: campaign not found", 20113, "", reqByID,
			[]string{"hint: check --campaign-id: 'mktows campaigns' lists the campaigns you can request, with their IDs"}, []string{"--program"}},
		{"request by name: campaign not found", 20113, "", reqByName,
			[]string{"hint: check --program and --campaign: 'mktows campaigns' lists the campaigns you can request"}, []string{"--campaign-id"}},
		{"schedule: bad parameter", 20110, "", sched, []string{"20110 (bad parameter)", "hint: only batch campaigns can be scheduled"}, []string{"--clone-to", "clone"}},
		{"schedule with clone: bad parameter", 20110, "", clone, []string{"hint: only batch campaigns can be scheduled, and --clone-to must name a program that does not exist yet"}, nil},
		{"daily quota", 20015, "", []string{"campaigns"}, []string{"20015 (daily request limit exceeded)", "hint: the tenant's daily request quota is used up; it resets at 20", "(midnight US Central)"}, []string{"clone"}},
		{"daily quota with clone", 20015, "", clone, []string{"hint: the tenant's daily request quota, or its 10 program clones a day (--clone-to), is used up"}, nil},
		{"leads not found", 20103, "EMAIL:nobody@example.com\n", []string{"request-campaign", "--campaign-id", "1003", "--leads-file", "-"},
			[]string{"hint: check --leads-file: every lead must exist in Marketo"}, []string{"--lead "}},
		{"list not found", 20111, "", []string{"import-status", "--program", "Trav-Demo-Program", "--list", "Nope"}, []string{"20111 (list not found)", "check --list"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.FailNext(1, tc.code)
			r := mktows(t, envFor(srv), tc.stdin, tc.args...)
			wantCode(t, r, exitFail)
			for _, want := range tc.want {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			_, hint, _ := strings.Cut(r.stderr, "hint:")
			for _, not := range tc.absent {
				if strings.Contains(hint, not) {
					t.Errorf("hint mentions %q:\n%s", not, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q", r.stdout)
			}
		})
	}
}

func TestWrongKeyIsRefusedByMarketo(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := envFor(srv)
	delete(env, marketo.EnvEncryptionKey)
	key := writeFile(t, "key", "not-the-key\n")
	r := mktows(t, env, "", "--json", "campaigns", "--encryption-key-file", key)
	wantCode(t, r, exitFail)
	e := decode[jsonError](t, r.stderr)
	if e.Error.Code != 20014 || e.Error.Meaning != "authentication failed" || e.Error.ExitCode != exitFail || !strings.Contains(e.Error.Hint, "MARKETO_SOAP_USER_ID") {
		t.Errorf("error = %+v", e.Error)
	}

	// The right key from a file works, and flags override the environment.
	key = writeFile(t, "key", srv.Config().EncryptionKey+"\n")
	env[marketo.EnvUserID] = "someone-else"
	r = mktows(t, env, "", "campaigns", "--encryption-key-file", key, "--user-id", srv.Config().UserID)
	wantCode(t, r, exitOK)
}

func TestOutcomeUnknown(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.DropAnswerNext(1)
	r := mktows(t, envFor(srv), "", "--json", "request-campaign", "--campaign-id", "1003", "--lead", "IDNUM:1")
	wantCode(t, r, exitFail)
	e := decode[jsonError](t, r.stderr)
	if !e.Error.OutcomeUnknown || e.Error.Hint != "the request was sent but no answer came back: check the campaign in Marketo before running this again" {
		t.Errorf("error = %+v", e.Error)
	}
	if runs := srv.Runs(); len(runs) != 1 {
		t.Errorf("runs = %+v; the campaign ran once although its answer was lost", runs)
	}
}

func TestNetworkError(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := envFor(srv)
	srv.Close()
	r := mktows(t, env, "", "campaigns", "--timeout", "1s")
	wantCode(t, r, exitFail)
	if !strings.Contains(r.stderr, "connection refused") || !strings.Contains(r.stderr, "hint: check the network and --endpoint") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

var signature = regexp.MustCompile(`[0-9a-f]{40}`)

func TestDryRun(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"schedule-campaign", "", []string{"schedule-campaign", "--program", "P", "--campaign", "C", "--token", "my.x=<1>"}, "<attrib><name>{{my.x}}</name><value>&lt;1&gt;</value></attrib>"},
		{"request-campaign", "", []string{"request-campaign", "--campaign-id", "7", "--lead", "EMAIL:a@example.com"}, "<leadKey><keyType>EMAIL</keyType><keyValue>a@example.com</keyValue></leadKey>"},
		{"campaigns", "", []string{"campaigns", "--name", "W"}, "<ns1:paramsGetCampaignsForSource><source>MKTOWS</source><name>W</name>"},
		{"import-list", importCSV, []string{"import-list", "--program", "P", "--list", "L", "--file", "-", "--wait"}, "<importFileHeader>Email Address,First Name</importFileHeader>"},
		{"import-status", "", []string{"import-status", "--program", "P", "--list", "L"}, "<ns1:paramsGetImportToListStatus><programName>P</programName>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			r := mktows(t, envFor(srv), tc.stdin, append([]string{"--dry-run"}, tc.args...)...)
			wantCode(t, r, exitOK)
			for _, want := range []string{"Dry run: nothing was sent.", "> POST " + srv.Config().Endpoint, "<requestSignature>[REDACTED]</requestSignature>", tc.want} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			if signature.MatchString(r.stdout + r.stderr) {
				t.Errorf("output holds a signature:\n%s", r.stdout)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("the fake received %d requests", n)
			}

			r = mktows(t, envFor(srv), tc.stdin, append([]string{"--dry-run", "--json"}, tc.args...)...)
			wantCode(t, r, exitOK)
			out := decode[dryRunOut](t, r.stdout)
			if !out.DryRun || !strings.Contains(out.Request, tc.want) || !strings.Contains(out.Request, "[REDACTED]") || signature.MatchString(out.Request) {
				t.Errorf("output = %+v", out)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("the fake received %d requests", n)
			}
		})
	}
}

func TestDryRunStillValidates(t *testing.T) {
	t.Parallel()
	r := mktows(t, nil, "", "--demo", "--dry-run", "schedule-campaign", "--program", "P")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "--campaign is required") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestTrace(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, envFor(srv), "", "--trace", "campaigns")
	wantCode(t, r, exitOK)
	for _, want := range []string{"> POST ", "[REDACTED]", "< 200 OK", "Welcome Email Trigger"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("trace lacks %q:\n%s", want, r.stderr)
		}
	}
	if signature.MatchString(r.stderr) {
		t.Errorf("trace holds a signature:\n%s", r.stderr)
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()
	t.Run("campaigns", func(t *testing.T) {
		t.Parallel()
		r := mktows(t, nil, "", "--demo", "campaigns")
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "1003  Welcome Email Trigger") || !strings.Contains(r.stderr, "--demo: using an in-process fake Marketo tenant") {
			t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
	})
	t.Run("schedule-campaign json", func(t *testing.T) {
		t.Parallel()
		// The demo ignores a configured tenant.
		env := map[string]string{marketo.EnvEndpoint: "https://unreachable.invalid/soap/mktows/2_9"}
		r := mktows(t, env, "", "schedule-campaign", "--demo", "--json", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example")
		wantCode(t, r, exitOK)
		if out := decode[scheduleOut](t, r.stdout); out.RunAt != nil || out.Campaign != "Batch Campaign Example" {
			t.Errorf("output = %+v", out)
		}
		if r.stderr != "" {
			t.Errorf("stderr = %q", r.stderr)
		}
	})
	t.Run("import-status", func(t *testing.T) {
		t.Parallel()
		r := mktows(t, nil, "", "--demo", "--api", "soap", "import-status", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List")
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "COMPLETE") || !strings.Contains(r.stdout, "rows imported:   2") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	})
	t.Run("import-list wait", func(t *testing.T) {
		t.Parallel()
		// The demo's imports take 2 s on the clock, polled every 500 ms.
		r := mktows(t, nil, importCSV, "--demo", "--api", "soap", "import-list", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List", "--file", "-", "--wait")
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stderr, "(polling every 500ms)") || !strings.Contains(r.stderr, "PROCESSING") || !strings.Contains(r.stdout, ": COMPLETE\n") {
			t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
	})
	t.Run("fault", func(t *testing.T) {
		t.Parallel()
		r := mktows(t, nil, "", "--demo", "request-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example", "--lead", "IDNUM:1")
		wantCode(t, r, exitFail)
		if !strings.Contains(r.stderr, "Marketo refused the call: 1003 (invalid data): ") || !strings.Contains(r.stderr, `hint: only trigger campaigns with a "Campaign is Requested" trigger can be requested`) {
			t.Errorf("stderr:\n%s", r.stderr)
		}
	})
	t.Run("SOAP fault", func(t *testing.T) {
		t.Parallel()
		r := mktows(t, nil, "", "--demo", "--api", "soap", "request-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example", "--lead", "IDNUM:1")
		wantCode(t, r, exitFail)
		// The code is said once, though Marketo's message ends with it too.
		if !strings.Contains(r.stderr, "Marketo refused the call: 20110 (bad parameter): Campaign Batch Campaign Example cannot be requested") ||
			strings.Count(r.stderr, "20110") != 1 {
			t.Errorf("stderr:\n%s", r.stderr)
		}
	})
	t.Run("imports on REST", func(t *testing.T) {
		t.Parallel()
		r := mktows(t, nil, "", "--demo", "import-status", "--import-id", demoImportID)
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "Import job "+demoImportID+": COMPLETE\n") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
		r = mktows(t, nil, importCSV, "--demo", "import-list", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List", "--file", "-")
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "Follow it with: mktows import-status --import-id "+demoImportID) {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	})
}
