package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// errDryRun is what the dry-run HTTP client answers instead of sending.
var errDryRun = errors.New("dry run: the request was not sent")

// dryRunClient is the HTTPClient of --dry-run: it never dials. A REST
// access-token request gets a made-up token, so that the request the
// command is about comes next (requestsOnly keeps the made-up answer out of
// the trace); every other request fails with errDryRun once the SDK has
// traced it.
type dryRunClient struct{}

func (dryRunClient) Do(req *http.Request) (*http.Response, error) {
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
	return a.emit(dryRunOut{DryRun: true, Operation: operation, Request: trace, Note: note}, func(w io.Writer) {
		fmt.Fprintf(w, "Dry run: nothing was sent. %s would send (%s):\n\n%s\n", operation, secrets, trace)
		if note != "" {
			fmt.Fprintf(w, "\n%s\n", note)
		}
	})
}
