package marketo_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// The import scenarios run on both APIs against the fake, with the same
// calls and the same assertions on what the tenant recorded.

// fastPolls polls an import every 5 ms; importClient makes the fake's
// imports take 20 ms and the client wait 5 ms at most for a busy list.
var fastPolls = []marketo.WaitOption{marketo.WithPollInterval(5 * time.Millisecond)}

func importClient(t *testing.T, wire string, srvOpts []marketotest.Option, opts ...marketo.Option) (*marketo.Client, *marketotest.Server) {
	t.Helper()
	srv := marketotest.NewServer(append([]marketotest.Option{marketotest.WithImportDuration(20 * time.Millisecond)}, srvOpts...)...)
	t.Cleanup(srv.Close)
	policy := marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
	var c *marketo.Client
	var err error
	if wire == "rest" {
		c, err = marketo.NewRESTClient(srv.RESTConfig(), append([]marketo.Option{policy}, opts...)...)
	} else {
		c, err = marketo.NewClient(srv.Config(), append([]marketo.Option{policy}, opts...)...)
	}
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c, srv
}

func leadsByEmail(srv *marketotest.Server) map[string]marketotest.Lead {
	m := map[string]marketotest.Lead{}
	for _, l := range srv.Leads() {
		m[strings.ToLower(l.Email)] = l
	}
	return m
}

func TestImportScenarioUpsert(t *testing.T) {
	t.Parallel()
	for _, wire := range []string{"soap", "rest"} {
		t.Run(wire, func(t *testing.T) {
			t.Parallel()
			c, srv := importClient(t, wire, nil)
			res, err := c.ImportToList(context.Background(), marketo.ImportToListParams{
				ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List", Mode: marketo.ImportModeUpsertLeads,
				Header: []string{"Email Address", "First Name", "Last Name"},
				Rows: [][]string{
					{"new.lead@example.com", "New", "Lead, \"Jr\""},
					{"jdoe@janeconsulting.com", "Janet", "Doe"},
					{"", "No", "Email"},
				},
			})
			require.NoError(t, err)
			assert.Equal(t, marketo.ImportProcessing, res.Status)
			assert.Equal(t, wire == "rest", len(res.ImportIDs) == 1, "REST names its job")

			st, err := c.WaitForImports(context.Background(), res, fastPolls...)
			require.NoError(t, err)
			assert.Equal(t, marketo.ImportComplete, st.Status)
			require.NotNil(t, st.RowsImported)
			assert.Equal(t, 2, *st.RowsImported)
			assert.Equal(t, 1, *st.RowsFailed)

			leads := leadsByEmail(srv)
			assert.Equal(t, "Lead, \"Jr\"", leads["new.lead@example.com"].Fields["Last Name"])
			assert.Equal(t, "Janet", leads["jdoe@janeconsulting.com"].Fields["First Name"])
			members, _ := srv.ListMembers("Trav-Demo-Program", "Trav-Test-List")
			assert.Len(t, members, 2)
			assert.Contains(t, members, leads["new.lead@example.com"].ID)
		})
	}
}

func TestImportScenarioListOnly(t *testing.T) {
	t.Parallel()
	for _, wire := range []string{"soap", "rest"} {
		t.Run(wire, func(t *testing.T) {
			t.Parallel()
			c, srv := importClient(t, wire, nil)
			before := len(srv.Leads())
			require.NoError(t, srv.AddList("Trav-Demo-Program", "Existing Only"))
			res, err := c.ImportToList(context.Background(), marketo.ImportToListParams{
				ProgramName: "Trav-Demo-Program", ListName: "Existing Only", Mode: marketo.ImportModeListOnly,
				Header: []string{"Email Address", "First Name"},
				Rows:   [][]string{{"JDoe@JaneConsulting.com", "Changed?"}, {"stranger@example.com", "Nobody"}},
			})
			require.NoError(t, err)
			st, err := c.WaitForImports(context.Background(), res, fastPolls...)
			require.NoError(t, err)
			assert.Equal(t, 1, *st.RowsImported)
			assert.Equal(t, 1, *st.RowsIgnored)

			leads := leadsByEmail(srv)
			members, _ := srv.ListMembers("Trav-Demo-Program", "Existing Only")
			assert.Equal(t, []int{leads["jdoe@janeconsulting.com"].ID}, members)
			assert.Len(t, srv.Leads(), before, "no lead created")
			assert.Equal(t, "Jane", leads["jdoe@janeconsulting.com"].Fields["First Name"], "no lead changed")
		})
	}
}

// TestImportScenarioRESTSplitImport imports 11 MB: two jobs, the second
// the second submitted only once the first has ended (Marketo would refuse
// it with 1019 while the first runs); every lead arrives once. The fake's
// clock moves only when the test has seen the SDK read the first job's
// status twice, then the second job. The busy list is waited out
// within MaxAttempts, so the policy allows enough attempts for the test to
// move the clock on a loaded machine.
func TestImportScenarioRESTSplitImport(t *testing.T) {
	t.Parallel()
	clock := marketotest.NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	c, srv := importClient(t, "rest", []marketotest.Option{marketotest.WithClock(clock.Now), marketotest.WithImportDuration(time.Minute)},
		marketo.WithSplitImportPoll(5*time.Millisecond))
	pad := strings.Repeat("x", 250)
	p := marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List", Mode: marketo.ImportModeUpsertLeads,
		Header: []string{"Email Address", "First Name", "Last Name", "Company Name", "City"},
	}
	for i := range 11_000 {
		p.Rows = append(p.Rows, []string{fmt.Sprintf("split%d@example.com", i), pad, pad, pad, pad})
	}
	polledTwice := func() bool {
		n := 0
		for _, r := range srv.Requests() {
			if r.Operation == "getImportStatus" {
				n++
			}
		}
		return n >= 2
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The SDK waits for the first job, which the list is busy with: it
		// reads the job's status and, seeing it still importing, reads it
		// again rather than submitting the second job.
		waitFor(t, polledTwice)
		clock.Advance(time.Minute)
		waitFor(t, func() bool { return len(srv.BulkImports()) == 2 })
		clock.Advance(time.Minute)
	}()
	res, err := c.ImportToList(context.Background(), p)
	require.NoError(t, err)
	require.Len(t, res.ImportIDs, 2)
	<-done
	assert.False(t, slices.ContainsFunc(srv.Requests(), func(r marketotest.Request) bool { return r.FaultCode == 1019 }),
		"the second job waited for the first instead of meeting 1019")
	st, err := c.WaitForImports(context.Background(), res, fastPolls...)
	require.NoError(t, err)
	assert.Equal(t, 11_000, *st.RowsImported)
	assert.Equal(t, 0, *st.RowsFailed)

	jobs := srv.BulkImports()
	require.Len(t, jobs, 2)
	assert.Equal(t, 11_000, jobs[0].Rows+jobs[1].Rows)
	members, _ := srv.ListMembers("Trav-Demo-Program", "Trav-Test-List")
	assert.Len(t, members, 11_001)
}

// waitFor waits until cond holds, checking every few milliseconds, for at
// most a minute.
func waitFor(t *testing.T, cond func() bool) {
	for range 12_000 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Error("the condition never held")
}

func TestImportScenarioRESTFailures(t *testing.T) {
	t.Parallel()
	c, _ := importClient(t, "rest", nil)
	res, err := c.ImportToList(context.Background(), marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List", Mode: marketo.ImportModeUpsertLeads,
		Header: []string{"email", "firstName"},
		Rows:   [][]string{{"ok@example.com", "Ok"}, {"", "Nameless"}, {"long@example.com", strings.Repeat("y", 300)}},
	})
	require.NoError(t, err)
	st, err := c.WaitForImports(context.Background(), res, fastPolls...)
	require.NoError(t, err)
	assert.Equal(t, 1, *st.RowsFailed)
	assert.Equal(t, 1, *st.RowsWithWarning)

	failures, err := c.ImportFailures(context.Background(), res.ImportIDs[0])
	require.NoError(t, err)
	defer failures.Close()
	assert.Equal(t, []string{"email", "firstName"}, failures.Header())
	row, err := failures.Next()
	require.NoError(t, err)
	assert.Equal(t, marketo.ImportRow{Fields: []string{"", "Nameless"}, Reason: "Value for lookup field 'email' not found"}, row)
	_, err = failures.Next()
	assert.Equal(t, io.EOF, err)

	warnings, err := c.ImportWarnings(context.Background(), res.ImportIDs[0])
	require.NoError(t, err)
	defer warnings.Close()
	row, err = warnings.Next()
	require.NoError(t, err)
	assert.Equal(t, "long@example.com", row.Fields[0])
	assert.True(t, slices.ContainsFunc([]string{row.Reason}, func(s string) bool { return strings.Contains(s, "truncated") }))
}

// TestImportFailuresWireTrace checks what the wire trace shows of a
// failures file: the request and the answer's status and headers, but not
// the CSV, which the caller reads after the call returned (and which
// holds lead data).
func TestImportFailuresWireTrace(t *testing.T) {
	t.Parallel()
	var trace bytes.Buffer // written by the calling goroutine only
	c, srv := importClient(t, "rest", nil, marketo.WithWireTrace(&trace))
	res, err := c.ImportToList(context.Background(), marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List", Mode: marketo.ImportModeUpsertLeads,
		Header: []string{"email", "firstName"},
		Rows:   [][]string{{"ok@example.com", "Ok"}, {"", "Nameless"}},
	})
	require.NoError(t, err)
	_, err = c.WaitForImports(context.Background(), res, fastPolls...)
	require.NoError(t, err)

	trace.Reset()
	failures, err := c.ImportFailures(context.Background(), res.ImportIDs[0])
	require.NoError(t, err)
	defer failures.Close()
	out := trace.String()
	assert.Contains(t, out, "> GET "+strings.TrimSuffix(srv.RESTConfig().Endpoint, "/rest")+"/bulk/v1/leads/batch/"+res.ImportIDs[0]+"/failures.json\n")
	assert.Contains(t, out, "Authorization: [REDACTED]\n")
	assert.Contains(t, out, "< 200 OK")
	assert.Contains(t, out, "[wire trace: the CSV file is read by the caller, not shown]")
	row, err := failures.Next()
	require.NoError(t, err)
	assert.Equal(t, "Nameless", row.Fields[1])
	assert.NotContains(t, trace.String(), "Nameless", "the trace shows no row of the file")
}
