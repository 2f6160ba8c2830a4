package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// restEnvFor is the environment that points mktows at srv's REST API.
func restEnvFor(srv *marketotest.Server) map[string]string {
	cfg := srv.RESTConfig()
	return map[string]string{
		marketo.EnvRESTEndpoint:     cfg.Endpoint,
		marketo.EnvRESTClientID:     cfg.ClientID,
		marketo.EnvRESTClientSecret: cfg.ClientSecret,
		marketo.EnvRESTIdentityURL:  cfg.IdentityURL,
	}
}

// backends are the APIs the scenarios run on, each with the environment
// that selects it.
var backends = []struct {
	api string
	env func(*marketotest.Server) map[string]string
}{
	{marketotest.APISOAP, envFor},
	{marketotest.APIREST, restEnvFor},
}

// wantAPI fails unless every request srv received came through api.
func wantAPI(t *testing.T, srv *marketotest.Server, api string) {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("the fake received no requests")
	}
	for _, r := range reqs {
		if r.API != api {
			t.Errorf("request %s %s came through %s, want %s", r.Operation, r.Path, r.API, api)
		}
	}
}

func TestScenariosOnBothAPIs(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.api, func(t *testing.T) {
			t.Parallel()
			t.Run("schedule-campaign", func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				before := time.Now()
				r := mktows(t, b.env(srv), "", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example",
					"--run-at", "+2h", "--clone-to", "Clone 1", "--token", "my.message=a=b")
				wantCode(t, r, exitOK)
				wantAPI(t, srv, b.api)
				runs := srv.Runs()
				if len(runs) != 1 || runs[0].API != b.api || !runs[0].Cloned || runs[0].Program != "Clone 1" || runs[0].Tokens["{{my.message}}"] != "a=b" {
					t.Fatalf("runs = %+v", runs)
				}
				if d := runs[0].RunAt.Sub(before); d < 2*time.Hour-time.Second || d > 2*time.Hour+time.Minute {
					t.Errorf("run at %v, want about 2h after %v", runs[0].RunAt, before)
				}
				for _, want := range []string{`Scheduled campaign "Batch Campaign Example" `, `of program "Trav-Demo-Program".`, `in clone:  "Clone 1"`, `{{my.message}} = "a=b"`} {
					if !strings.Contains(r.stdout, want) {
						t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
					}
				}
			})
			t.Run("request-campaign", func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				r := mktows(t, b.env(srv), "IDNUM:3\n", "--json", "request-campaign", "--program", "Trav-Demo-Program", "--campaign", "Welcome Email Trigger",
					"--lead", "EMAIL:jdoe@janeconsulting.com", "--leads-file", "-", "--token", "my.message=Welcome")
				wantCode(t, r, exitOK)
				wantAPI(t, srv, b.api)
				runs := srv.Runs()
				if len(runs) != 1 || runs[0].Operation != "requestCampaign" || len(runs[0].LeadIDs) != 2 || runs[0].Tokens["{{my.message}}"] != "Welcome" {
					t.Fatalf("runs = %+v", runs)
				}
				out := decode[requestOut](t, r.stdout)
				if out.Campaign != "Welcome Email Trigger" || len(out.Leads) != 2 || out.Leads[0] != (leadOut{"EMAIL", "jdoe@janeconsulting.com"}) {
					t.Errorf("output = %+v", out)
				}
			})
			t.Run("request-campaign by ID", func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				r := mktows(t, b.env(srv), "", "request-campaign", "--campaign-id", "1003", "--lead", "IDNUM:1")
				wantCode(t, r, exitOK)
				wantAPI(t, srv, b.api)
				if runs := srv.Runs(); len(runs) != 1 || runs[0].CampaignID != 1003 {
					t.Errorf("runs = %+v", runs)
				}
				if !strings.Contains(r.stdout, "Requested campaign 1003 for 1 lead(s)") {
					t.Errorf("stdout:\n%s", r.stdout)
				}
			})
			t.Run("campaigns", func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				r := mktows(t, b.env(srv), "", "campaigns", "--name", "welcome")
				wantCode(t, r, exitOK)
				wantAPI(t, srv, b.api)
				want := regexp.QuoteMeta("ID    NAME                   DESCRIPTION\n1003  Welcome Email Trigger\n")
				if b.api == marketotest.APIREST { // where the campaign lives, and the call's request ID
					want = regexp.QuoteMeta("ID    NAME                   PROGRAM            DESCRIPTION\n1003  Welcome Email Trigger  Trav-Demo-Program\n") +
						"Marketo request ID: [^\n]+\n"
				}
				if !regexp.MustCompile("^" + want + "$").MatchString(r.stdout) {
					t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
				}
			})
			t.Run("campaign not found", func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				r := mktows(t, b.env(srv), "", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Nope")
				wantCode(t, r, exitFail)
				want := "hint: check --program and --campaign: they must name a batch campaign of that program; the SOAP API cannot list batch campaigns"
				if b.api == marketotest.APIREST { // the listing that finds it
					want = "hint: check --program and --campaign: they must name a batch campaign of that program; 'mktows campaigns --type batch' lists the batch campaigns with their IDs and programs"
				}
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr:\n%s", r.stderr)
				}
			})
			t.Run("wrong credentials", func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				env := b.env(srv)
				if b.api == marketotest.APISOAP {
					env[marketo.EnvEncryptionKey] = "not-the-key"
				} else {
					env[marketo.EnvRESTClientSecret] = "not-the-secret"
				}
				r := mktows(t, env, "", "campaigns")
				wantCode(t, r, exitFail)
				want := map[string]string{
					marketotest.APISOAP: "hint: check MARKETO_SOAP_USER_ID (--user-id) and the encryption key (MARKETO_SOAP_ENCRYPTION_KEY or --encryption-key-file)",
					marketotest.APIREST: "hint: check MARKETO_REST_CLIENT_ID (--client-id) and the client secret (MARKETO_REST_CLIENT_SECRET or --client-secret-file)",
				}[b.api]
				if !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "not-the-") {
					t.Errorf("stderr:\n%s", r.stderr)
				}
			})
		})
	}
}

func TestRESTOnly(t *testing.T) {
	t.Parallel()
	t.Run("schedule-campaign by ID", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		at := time.Now().Add(48 * time.Hour).Truncate(time.Second)
		r := mktows(t, restEnvFor(srv), "", "--json", "schedule-campaign", "--campaign-id", "1001", "--run-at", at.Format(time.RFC3339))
		wantCode(t, r, exitOK)
		runs := srv.Runs()
		if len(runs) != 1 || runs[0].API != marketotest.APIREST || runs[0].CampaignID != 1001 || !runs[0].RunAt.Equal(at) {
			t.Fatalf("runs = %+v", runs)
		}
		if out := decode[scheduleOut](t, r.stdout); out.CampaignID != 1001 || out.Campaign != "" || out.RunAt == nil || !out.RunAt.Equal(at) {
			t.Errorf("output = %+v", out)
		}
	})
	t.Run("schedule-campaign by ID in a clone, no run time", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		r := mktows(t, restEnvFor(srv), "", "schedule-campaign", "--campaign-id", "1001", "--clone-to", "Clone 7")
		wantCode(t, r, exitOK)
		for _, want := range []string{"Scheduled campaign 1001.\n", "runs at:   in about five minutes (the REST API's earliest)\n", "in clone:  \"Clone 7\"\n"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
	})
	t.Run("run at more than two years ahead", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		r := mktows(t, restEnvFor(srv), "", "schedule-campaign", "--campaign-id", "1001", "--run-at", "+20000h")
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "mktows schedule-campaign: --run-at ") || !strings.Contains(r.stderr, " is more than two years ahead") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("the fake received %d requests", n)
		}
	})
	t.Run("request-campaign by ID with tokens", func(t *testing.T) {
		t.Parallel()
		// SOAP needs the names to send tokens; REST takes them with an ID.
		srv := newServer(t)
		r := mktows(t, restEnvFor(srv), "", "request-campaign", "--campaign-id", "1003", "--lead", "IDNUM:1", "--token", "my.message=Hi")
		wantCode(t, r, exitOK)
		if runs := srv.Runs(); len(runs) != 1 || runs[0].CampaignID != 1003 || runs[0].Tokens["{{my.message}}"] != "Hi" {
			t.Errorf("runs = %+v", runs)
		}
	})
	t.Run("source SALES", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		r := mktows(t, restEnvFor(srv), "", "request-campaign", "--campaign-id", "1003", "--lead", "IDNUM:1", "--source", "sales")
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "--source SALES (Sales Insight) has no REST counterpart; use MKTOWS or leave --source empty") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
		if name := goNameIn(r.stderr); name != "" {
			t.Errorf("stderr names %q:\n%s", name, r.stderr)
		}
		if n := len(srv.Runs()); n != 0 {
			t.Errorf("%d runs", n)
		}
	})
	t.Run("imports", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, marketotest.WithImportDuration(0))
		r := mktows(t, restEnvFor(srv), importCSV, "import-list", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List", "--file", "-", "--wait", "--poll-interval", "10ms")
		wantCode(t, r, exitOK)
		if !regexp.MustCompile(`Import to list "Trav-Test-List" \(ID 1001\) of program "Trav-Demo-Program": COMPLETE\n(.*\n)*  rows imported: +2\n(.*\n)*  import jobs: 3404\nMarketo request ID: \S+\n$`).MatchString(r.stdout) {
			t.Errorf("stdout:\n%s", r.stdout)
		}
		if jobs := srv.BulkImports(); len(jobs) != 1 || jobs[0].Rows != 2 || strings.Join(jobs[0].Columns, ",") != "email,firstName" {
			t.Errorf("jobs = %+v", jobs)
		}

		r = mktows(t, restEnvFor(srv), "", "import-status", "--json", "--import-id", "3404")
		wantCode(t, r, exitOK)
		if st := decode[statusOut](t, r.stdout); st.Status != "COMPLETE" || st.ImportID != "3404" || st.RawStatus != "Complete" || st.RowsImported == nil || *st.RowsImported != 2 {
			t.Errorf("status = %+v", st)
		}

		r = mktows(t, restEnvFor(srv), "", "import-status", "--import-id", "9999")
		wantCode(t, r, exitFail)
		if !strings.Contains(r.stderr, "1013 (object not found)") || !strings.Contains(r.stderr, "hint: check --import-id") {
			t.Errorf("stderr:\n%s", r.stderr)
		}

		// Without the job ID, or with what only SOAP has, nothing is sent.
		before := len(srv.Requests())
		r = mktows(t, restEnvFor(srv), "", "import-status", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List")
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "--import-id is required on the REST API: give a job ID that 'mktows import-list' printed") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
		r = mktows(t, restEnvFor(srv), "\uFEFFEmail Address,{{my.message}}\nann@example.com,Hi\n", "import-list", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List", "--file", "-",
			"--clear", "--campaign", "Batch Campaign Example")
		wantCode(t, r, exitUsage)
		for _, want := range []string{"--clear: is not available on the REST API", "--campaign: is not used on the REST API", "My Token column \"{{my.message}}\" is not available on the REST API"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		if name := goNameIn(r.stderr); name != "" {
			t.Errorf("stderr names %q:\n%s", name, r.stderr)
		}
		if n := len(srv.Requests()) - before; n != 0 {
			t.Errorf("the fake received %d requests", n)
		}
	})
	t.Run("list-only import", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		r := mktows(t, restEnvFor(srv), "Email Address\njdoe@janeconsulting.com\nnobody@example.com\n", "import-list", "--json",
			"--program", "Trav-Demo-Program", "--list", "Trav-Test-List", "--file", "-", "--mode", "list-only")
		wantCode(t, r, exitOK)
		out := decode[importOut](t, r.stdout)
		if out.Final == nil || *out.Final.RowsImported != 1 || *out.Final.RowsIgnored != 1 || len(out.ImportIDs) != 0 {
			t.Errorf("out = %+v, final %+v", out, out.Final)
		}
	})
	t.Run("dry run", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		env := restEnvFor(srv)
		r := mktows(t, env, "", "--dry-run", "schedule-campaign", "--campaign-id", "1001", "--token", "my.x=<1>")
		wantCode(t, r, exitOK)
		for _, want := range []string{"Dry run: nothing was sent. ScheduleCampaign would send (secrets redacted):",
			"> POST " + env[marketo.EnvRESTEndpoint] + "/v1/campaigns/1001/schedule.json", `{"input":{"tokens":[{"name":"{{my.x}}","value":"<1>"}]}}`} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
		for _, secret := range []string{env[marketo.EnvRESTClientSecret], "dry-run", "< 200"} {
			if strings.Contains(r.stdout, secret) {
				t.Errorf("stdout holds %q:\n%s", secret, r.stdout)
			}
		}
		r = mktows(t, env, "", "--dry-run", "--json", "request-campaign", "--program", "Trav-Demo-Program", "--campaign", "Welcome Email Trigger", "--lead", "IDNUM:1")
		wantCode(t, r, exitOK)
		if out := decode[dryRunOut](t, r.stdout); !strings.Contains(out.Request, "/v1/campaigns.json?") || !strings.Contains(out.Note, "names are looked up first") {
			t.Errorf("output = %+v", out)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("the fake received %d requests", n)
		}
	})
}

func TestChooseAPI(t *testing.T) {
	t.Parallel()
	rest := map[string]string{marketo.EnvRESTEndpoint: "https://x.mktorest.com/rest"}
	soap := map[string]string{marketo.EnvEndpoint: "https://x.mktoapi.com/soap/mktows/2_9"}
	both := map[string]string{marketo.EnvRESTIdentityURL: "https://x.mktorest.com/identity", marketo.EnvUserID: "u"}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want api
	}{
		{"REST environment", rest, nil, apiREST},
		{"SOAP environment", soap, nil, apiSOAP},
		{"both environments: REST, as NewClientFromEnv", both, nil, apiREST},
		{"--api soap", both, []string{"--api", "soap"}, apiSOAP},
		{"--api REST", soap, []string{"--api", "REST"}, apiREST},
		{"REST flag", soap, []string{"--client-id", "c"}, apiREST},
		{"SOAP flag", rest, []string{"--encryption-key-file", "k"}, apiSOAP},
		{"--demo", soap, []string{"--demo"}, apiREST},
		{"--demo --api soap", nil, []string{"--demo", "--api", "soap"}, apiSOAP},
	}
	for _, tc := range cases {
		a := &app{getenv: func(k string) string { return tc.env[k] }, set: map[string]bool{}}
		if _, _, done := a.parse(append(tc.args, "campaigns")); done {
			t.Fatalf("%s: parse ended the run", tc.name)
		}
		if got, err := a.chooseAPI(); got != tc.want || err != nil {
			t.Errorf("%s: chooseAPI = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestRESTFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		code marketo.Code
		args []string
		want []string
	}{
		{"campaign ID not found", marketo.CodeObjectNotFound, []string{"request-campaign", "--campaign-id", "1003", "--lead", "IDNUM:1"},
			[]string{"Marketo refused the call: 1013 (object not found)", "hint: check --campaign-id: 'mktows campaigns' lists the campaigns you can request"}},
		{"access denied", marketo.CodeRESTAccessDenied, []string{"campaigns"},
			[]string{"603 (access denied)", "hint: the API user may not do this: check its role's permissions and the IP allow-list"}},
		{"clone limit", marketo.CodeCloneLimitReached, []string{"schedule-campaign", "--campaign-id", "1001", "--clone-to", "Copy"},
			[]string{"1020 (clone-to-program daily limit reached)", "hint: Marketo allows 20 program clones a day"}},
		{"invalid runAt", marketo.CodeInvalidRunAt, []string{"schedule-campaign", "--campaign-id", "1001", "--run-at", "+1h"},
			[]string{"1042 (invalid runAt)", "hint: --run-at may be at most two years ahead"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.FailNext(1, tc.code)
			r := mktows(t, restEnvFor(srv), "", tc.args...)
			wantCode(t, r, exitFail)
			for _, want := range tc.want {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
		})
	}
}
