package main

import (
	"strings"
	"testing"

	"github.com/mktows/marketo/marketotest"
)

// cloneDemoProgram schedules the batch campaign in a clone of its program,
// so that every campaign of Trav-Demo-Program exists twice by name.
func cloneDemoProgram(t *testing.T, srv *marketotest.Server) {
	t.Helper()
	r := mktows(t, restEnvFor(srv), "", "schedule-campaign", "--campaign-id", "1001", "--clone-to", "Copy")
	wantCode(t, r, exitOK)
}

func TestCampaignsListsBatchCampaignsWithProgramOrFolder(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, restEnvFor(srv), "", "campaigns", "--type", "batch")
	wantCode(t, r, exitOK)
	want := "ID    NAME                     TYPE   PROGRAM            DESCRIPTION\n" +
		"1001  Batch Campaign Example   batch  Trav-Demo-Program\n" +
		"1005  Monthly Newsletter Send  batch  (folder)\n"
	if !strings.HasPrefix(r.stdout, want) {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
}

func TestCampaignsTellsClonesApart(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	cloneDemoProgram(t, srv)
	r := mktows(t, restEnvFor(srv), "", "campaigns", "--type", "all", "--name", "Trigger Campaign Example", "--exact")
	wantCode(t, r, exitOK)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[1], "1002  Trigger Campaign Example  trigger  Trav-Demo-Program") ||
		!strings.Contains(lines[2], "Trigger Campaign Example  trigger  Copy") || strings.HasPrefix(lines[2], "1002 ") {
		t.Errorf("stdout:\n%s", r.stdout)
	}

	r = mktows(t, restEnvFor(srv), "", "campaigns", "--json", "--type", "trigger", "--name", "trigger", "--program", "Copy")
	wantCode(t, r, exitOK)
	out := decode[campaignsOut](t, r.stdout)
	if len(out.Campaigns) != 3 || out.Source != "" || out.Truncated {
		t.Fatalf("out = %+v", out)
	}
	for _, c := range out.Campaigns {
		if c.Program != "Copy" || c.Type != "trigger" || c.Active == nil || c.ProgramID == 0 || !strings.Contains(strings.ToLower(c.Name), "trigger") {
			t.Errorf("campaign %+v", c)
		}
	}
}

func TestCampaignsMarksInactiveTriggers(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, restEnvFor(srv), "", "campaigns", "--type", "trigger", "--name", "Paused")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "1006  Paused Request Trigger  trigger (inactive)  (folder)") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

func TestCampaignsTypeFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  func(*marketotest.Server) map[string]string
		args []string
		code int
		want string
	}{
		{"bad type", restEnvFor, []string{"--type", "smart"}, exitUsage, `--type "smart": want requestable, batch, trigger or all`},
		{"program without a type", restEnvFor, []string{"--program", "P"}, exitUsage, "--program needs --type batch, trigger or all"},
		{"exact without a name", restEnvFor, []string{"--type", "all", "--exact"}, exitUsage, "--exact needs --name"},
		{"source with a type", restEnvFor, []string{"--type", "batch", "--source", "SALES"}, exitUsage, "--source is for --type requestable"},
		{"SOAP", envFor, []string{"--type", "batch"}, exitUsage, "hint: --type batch, trigger and all need the REST API (--api rest)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			r := mktows(t, tc.env(srv), "", append([]string{"campaigns"}, tc.args...)...)
			wantCode(t, r, tc.code)
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr:\n%s\nwant %q", r.stderr, tc.want)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("the fake received %d requests", n)
			}
		})
	}
}

// The hint of a schedule by a name that several campaigns carry points to
// the listing that tells them apart.
func TestScheduleAmbiguousNamePointsToTheBatchListing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	cloneDemoProgram(t, srv)
	r := mktows(t, restEnvFor(srv), "", "schedule-campaign", "--campaign", "Batch Campaign Example")
	wantCode(t, r, exitFail)
	if !strings.Contains(r.stderr, "hint: 'mktows campaigns --type batch --name NAME --exact' lists them with their IDs and programs") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}
