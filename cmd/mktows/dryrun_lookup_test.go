package main

import (
	"strings"
	"testing"

	"github.com/mktows/marketo"
)

// A REST schedule by name under --dry-run sends the read-only lookup and
// shows the schedule it would send, with the campaign ID it found.
func TestDryRunScheduleByNameLooksUpTheCampaign(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := restEnvFor(srv)
	r := mktows(t, env, "", "--dry-run", "schedule-campaign", "--campaign", "Monthly Newsletter Send", "--token", "my.x=1")
	wantCode(t, r, exitOK)
	for _, want := range []string{
		"Dry run: only read-only lookups were sent. ScheduleCampaign would send (secrets redacted):",
		"> GET " + env[marketo.EnvRESTEndpoint] + "/v1/campaigns.json?",
		"> POST " + env[marketo.EnvRESTEndpoint] + "/v1/campaigns/1005/schedule.json",
		`{"input":{"tokens":[{"name":"{{my.x}}","value":"1"}]}}`,
		"Campaign ID 1005 was looked up by name: the GET requests above were sent (they change nothing), the ScheduleCampaign was not.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, env[marketo.EnvRESTClientSecret]) || strings.Contains(r.stdout, "< 200") {
		t.Errorf("stdout holds the secret or an answer:\n%s", r.stdout)
	}
	if len(srv.Runs()) != 0 {
		t.Errorf("the campaign ran: %+v", srv.Runs())
	}
	for _, rq := range srv.Requests() {
		if rq.Method != "GET" {
			t.Errorf("the fake received %s %s", rq.Method, rq.Path)
		}
	}

	r = mktows(t, env, "", "--dry-run", "--json", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example")
	wantCode(t, r, exitOK)
	out := decode[dryRunOut](t, r.stdout)
	if out.LookedUpCampaignID != 1001 || out.LookupsSent == 0 || !strings.Contains(out.Request, "/v1/campaigns/1001/schedule.json") ||
		!strings.Contains(out.Note, "Campaign ID 1001 was looked up by name") {
		t.Errorf("output = %+v", out)
	}
	if len(srv.Runs()) != 0 {
		t.Errorf("the campaign ran: %+v", srv.Runs())
	}
}

// A name the lookup cannot resolve ends the dry run with the lookup's
// error and its hint, as the call would.
func TestDryRunScheduleByUnknownName(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, restEnvFor(srv), "", "--dry-run", "schedule-campaign", "--campaign", "Nope")
	wantCode(t, r, exitFail)
	if !strings.Contains(r.stderr, `no campaign named "Nope"`) || !strings.Contains(r.stderr, "'mktows campaigns --type batch'") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// By ID, nothing needs looking up, so nothing is sent, not even a token
// request.
func TestDryRunScheduleByIDSendsNothing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := mktows(t, restEnvFor(srv), "", "--dry-run", "--json", "schedule-campaign", "--campaign-id", "1001")
	wantCode(t, r, exitOK)
	if out := decode[dryRunOut](t, r.stdout); out.LookupsSent != 0 || out.LookedUpCampaignID != 0 {
		t.Errorf("output = %+v", out)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the fake received %d requests", n)
	}
}
