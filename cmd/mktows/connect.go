package main

import (
	"bytes"
	"errors"
	"sync/atomic"

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
}

func (s *session) close() {
	if s.client != nil {
		s.client.CloseIdleConnections()
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
		opts = append(opts, marketo.WithHTTPClient(dryRunClient{}), marketo.WithoutRetries(), marketo.WithWireTrace(requestsOnly{s.wire}))
	case a.g.trace && a.g.json:
		opts = append(opts, marketo.WithWireTrace(jsonLines{w: a.stderr, key: "trace"}))
	case a.g.trace:
		opts = append(opts, marketo.WithWireTrace(a.stderr))
	}
	return opts
}
