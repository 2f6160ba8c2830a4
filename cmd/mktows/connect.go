package main

import (
	"bytes"
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// userAgent identifies the command line to Marketo.
const userAgent = "mktows-cli/" + marketo.Version

// session is a client for one command, and the demo tenant behind it.
type session struct {
	api    api
	client *marketo.Client
	demo   *marketotest.Server
	skew   *atomic.Int64 // demo clock offset, in nanoseconds
	wire   *bytes.Buffer // the --dry-run trace
	// lookups sends a --dry-run's read-only lookups, when the command
	// asked for them (sdkCall.dryRunLookups); lookupsSent counts them.
	lookups     *http.Client
	lookupsSent atomic.Int64
}

func (s *session) close() {
	if s.client != nil {
		s.client.CloseIdleConnections()
	}
	if s.lookups != nil {
		s.lookups.CloseIdleConnections()
	}
	if s.demo != nil {
		s.demo.Close()
	}
}

// dryRun reports whether err is the end of a --dry-run call.
func (s *session) dryRun(err error) bool {
	return s.wire != nil && errors.Is(err, errDryRun)
}

// connect builds the client for the command, on the API chooseAPI picks:
// against the demo tenant with --demo, the configured tenant otherwise; with
// --dry-run it sends nothing.
func (a *app) connect() (*session, error) {
	api, err := a.chooseAPI()
	if err != nil {
		return nil, err
	}
	a.api = api
	s := &session{api: api}
	if a.g.demo {
		err = a.startDemo(s)
	}
	if err == nil {
		s.client, err = a.newClient(s)
	}
	if err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// newClient builds the SDK client of the session's API, for the demo
// tenant or the one the flags and environment configure.
func (a *app) newClient(s *session) (*marketo.Client, error) {
	opts := a.clientOptions(s)
	switch {
	case s.api == apiREST && s.demo != nil:
		return marketo.NewRESTClient(s.demo.RESTConfig(), opts...)
	case s.api == apiREST:
		cfg, err := a.restConfig()
		if err != nil {
			return nil, err
		}
		return marketo.NewRESTClient(cfg, opts...)
	case s.demo != nil:
		return marketo.NewClient(s.demo.Config(), opts...)
	}
	cfg, err := a.soapConfig()
	if err != nil {
		return nil, err
	}
	return marketo.NewClient(cfg, opts...)
}

// clientOptions are the SDK options of --dry-run and --trace.
func (a *app) clientOptions(s *session) []marketo.Option {
	opts := []marketo.Option{marketo.WithUserAgent(userAgent)}
	switch {
	case a.g.dryRun:
		s.wire = new(bytes.Buffer)
		dry := dryRunClient{sent: &s.lookupsSent}
		if a.dryRunLookups && s.api == apiREST {
			s.lookups = newLookupClient()
			dry.lookups = s.lookups
		}
		opts = append(opts, marketo.WithHTTPClient(dry), marketo.WithoutRetries(), marketo.WithWireTrace(requestsOnly{s.wire}))
	case a.g.trace && a.g.json:
		opts = append(opts, marketo.WithWireTrace(jsonLines{w: a.stderr, key: "trace"}))
	case a.g.trace:
		opts = append(opts, marketo.WithWireTrace(a.stderr))
	}
	return opts
}

// newLookupClient is the HTTP client of a --dry-run's lookups: it follows
// no redirect, as the SDK's own client does not, and its transport's waits
// are bounded; the whole call is bounded by --timeout.
func newLookupClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 2 * time.Minute
	return &http.Client{Transport: t, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
