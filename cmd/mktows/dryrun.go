package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
)

// errDryRun is what the dry-run HTTP client answers instead of sending.
var errDryRun = errors.New("dry run: the request was not sent")

// dryRunClient is the HTTPClient of --dry-run. Without lookups it never
// dials: a REST access-token request gets a made-up token, so that the
// request the command is about comes next (requestsOnly keeps the made-up
// answer out of the trace). With lookups, REST GETs (the token request and
// the read-only lookups of names) go to the tenant, so that the request
// the command is about carries the IDs they found. Every other request
// fails with errDryRun once the SDK has traced it.
type dryRunClient struct {
	lookups *http.Client  // nil: nothing is sent
	sent    *atomic.Int64 // the GETs sent through lookups
}

func (d dryRunClient) Do(req *http.Request) (*http.Response, error) {
	if d.lookups != nil && req.Method == http.MethodGet {
		d.sent.Add(1)
		return d.lookups.Do(req)
	}
	if req.Body != nil {
		_ = req.Body.Close()
	}
	if strings.HasSuffix(req.URL.Path, "/oauth/token") {
		body := `{"access_token":"dry-run","token_type":"bearer","expires_in":3600,"scope":"dry-run"}`
		return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: req}, nil
	}
	return nil, errDryRun
}

// requestsOnly is the --dry-run trace: the requests the SDK traced, without
// the access-token answer dryRunClient made up. The tracer writes each
// request and answer in one Write.
type requestsOnly struct{ w io.Writer }

func (r requestsOnly) Write(p []byte) (int, error) {
	if strings.HasPrefix(string(p), "< ") {
		return len(p), nil
	}
	return r.w.Write(p)
}

// dryRunOut is the --json output of --dry-run.
type dryRunOut struct {
	DryRun    bool   `json:"dry_run"`
	Operation string `json:"operation"`
	Request   string `json:"request"`
	Note      string `json:"note,omitempty"`
	// LookupsSent counts the read-only GETs sent to find the IDs the
	// request names, LookedUpCampaignID the campaign ID they found.
	LookupsSent        int `json:"lookups_sent,omitempty"`
	LookedUpCampaignID int `json:"looked_up_campaign_id,omitempty"`
}

// campaignInPath finds the campaign ID of a traced schedule or trigger
// request.
var campaignInPath = regexp.MustCompile(`(?m)^> POST \S*/v1/campaigns/(\d+)/(?:schedule|trigger)\.json`)

// lookedUp returns the dry run's campaign ID when lookups found it.
func lookedUp(trace string, sent int) int {
	m := campaignInPath.FindStringSubmatch(trace)
	if sent == 0 || m == nil {
		return 0
	}
	id, _ := strconv.Atoi(m[1])
	return id
}

// printDryRun prints the request the SDK traced instead of sending it.
func (a *app) printDryRun(s *session, operation, note string) error {
	trace := strings.TrimRight(s.wire.String(), "\n")
	secrets := "signature redacted"
	if s.api == apiREST {
		secrets = "secrets redacted"
		switch {
		case operation == "ImportToList" && !strings.Contains(trace, "\n> POST "):
			note = strings.TrimSpace("On the REST API, the lead fields and the list are looked up first and the dry run ends at the first request. " + note)
		case (operation == "ScheduleCampaign" || operation == "RequestCampaign") && !strings.Contains(trace, "\n> POST "):
			note = strings.TrimSpace("On the REST API, names are looked up first and the dry run ends at the first request: give --campaign-id (and IDNUM leads) to see the call itself. " + note)
		}
	}
	out := dryRunOut{DryRun: true, Operation: operation, Request: trace, Note: note, LookupsSent: int(s.lookupsSent.Load())}
	sent := "nothing was sent"
	if out.LookupsSent > 0 {
		sent = "only read-only lookups were sent"
	}
	if out.LookedUpCampaignID = lookedUp(trace, out.LookupsSent); out.LookedUpCampaignID != 0 {
		out.Note = strings.TrimSpace(fmt.Sprintf("Campaign ID %d was looked up by name: the GET requests above were sent (they change nothing), the %s was not. %s",
			out.LookedUpCampaignID, operation, note))
	}
	return a.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "Dry run: %s. %s would send (%s):\n\n%s\n", sent, operation, secrets, trace)
		if out.Note != "" {
			fmt.Fprintf(w, "\n%s\n", out.Note)
		}
	})
}
