package main

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// Demo mode: the fake tenant's imports stay PROCESSING for demoImportDuration
// and import-list --wait polls it every demoPollInterval, so that a demo
// import shows its progress and ends within seconds.
const (
	demoImportDuration = 2 * time.Second
	demoPollInterval   = 500 * time.Millisecond
)

// startDemo starts the in-process fake tenant of --demo.
func (a *app) startDemo(s *session) error {
	for _, f := range append(append([]string{"endpoint"}, soapFlags...), restFlags...) {
		if a.set[f] {
			return &cliError{Exit: exitUsage, Field: "--" + f, Message: "--demo cannot be combined with --" + f,
				Hint: "--demo uses an in-process fake tenant with its own credentials"}
		}
	}
	skew := new(atomic.Int64)
	s.skew = skew
	s.demo = marketotest.NewServer(
		marketotest.WithImportDuration(demoImportDuration),
		marketotest.WithClock(func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }),
	)
	if !a.g.json {
		fmt.Fprintf(a.stderr, "mktows: --demo: using an in-process fake Marketo tenant (%s API); nothing leaves this machine\n", strings.ToUpper(string(s.api)))
	}
	return nil
}

// seedDemoImport gives the demo tenant a finished import to Trav-Test-List
// through the session's API, so that import-status has one to report: on
// REST its job is demoImportID, the fake's first.
func (s *session) seedDemoImport(ctx context.Context) error {
	var client *marketo.Client
	var err error
	if s.api == apiREST {
		client, err = marketo.NewRESTClient(s.demo.RESTConfig(), marketo.WithUserAgent(userAgent))
	} else {
		client, err = marketo.NewClient(s.demo.Config(), marketo.WithUserAgent(userAgent))
	}
	if err != nil {
		return err
	}
	_, err = client.ImportToList(ctx, marketo.ImportToListParams{
		ProgramName: demoProgram,
		ListName:    demoList,
		Mode:        marketo.ImportModeUpsertLeads,
		Header:      []string{"Email Address", "First Name"},
		Rows:        [][]string{{"ann@example.com", "Ann"}, {"jdoe@janeconsulting.com", "Jane"}},
	})
	if err != nil {
		return err
	}
	s.skew.Add(int64(demoImportDuration))
	return nil
}

// The default demo tenant's program and list (see marketotest.DefaultSeed),
// and the REST job ID of the demo import.
const (
	demoProgram  = "Trav-Demo-Program"
	demoList     = "Trav-Test-List"
	demoImportID = "3404"
)
