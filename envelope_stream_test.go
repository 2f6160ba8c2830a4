package marketo_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// largeImport is an import whose params element is far larger than what the
// client copies into one request buffer, so the envelope is streamed from
// its parts.
func largeImport(rows int) marketo.ImportToListParams {
	p := marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program",
		ListName:    "Trav-Test-List",
		Mode:        marketo.ImportModeUpsertLeads,
		Header:      []string{"Email Address", "First Name", "Last Name", "Company Name"},
	}
	for i := range rows {
		p.Rows = append(p.Rows, []string{fmt.Sprintf("lead%d@example.com", i), "First & <Co>", `Last "quoted"`, "Company, Inc."})
	}
	return p
}

// TestLargeRequestIsStreamedIntact sends a large import through a fault
// that is retried, so the second attempt re-signs and resends the same
// params, and checks that the fake received every row both times and that
// the wire trace shows the whole envelope.
func TestLargeRequestIsStreamedIntact(t *testing.T) {
	t.Parallel()
	fake := marketotest.NewServer(marketotest.WithRequestLog(2, 8<<20)) // both bodies, whole
	defer fake.Close()
	var trace bytes.Buffer
	c, err := marketo.NewClient(fake.Config(),
		marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}),
		marketo.WithWireTrace(&trace))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	const rows = 5000
	fake.FailNext(1, marketo.CodeRateLimitExceeded)
	res, err := c.ImportToList(context.Background(), largeImport(rows))
	require.NoError(t, err)
	require.Equal(t, marketo.ImportProcessing, res.Status)

	reqs := fake.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, marketo.CodeRateLimitExceeded, reqs[0].FaultCode)
	require.Zero(t, reqs[1].FaultCode)
	imports := fake.Imports()
	require.Len(t, imports, 1)
	require.Equal(t, rows, imports[0].Rows)

	// Both attempts sent the same params element after their own headers,
	// and the fake received the second one whole.
	var sent [][]byte
	for _, part := range strings.Split(trace.String(), "> POST ")[1:] {
		_, body, ok := strings.Cut(part, "\n\n")
		require.True(t, ok)
		body, _, _ = strings.Cut(body, "\n\n< ")
		sent = append(sent, []byte(body))
	}
	require.Len(t, sent, 2)
	params := func(body []byte) []byte {
		_, after, ok := bytes.Cut(body, []byte("<SOAP-ENV:Body>"))
		require.True(t, ok)
		return after
	}
	require.Greater(t, len(sent[1]), 64<<10)
	require.Equal(t, params(sent[0]), params(sent[1]))
	require.Equal(t, params(sent[1]), params(reqs[1].Body))
	require.True(t, bytes.HasSuffix(sent[1], []byte("</ns1:paramsImportToList></SOAP-ENV:Body></SOAP-ENV:Envelope>")))
	require.Equal(t, 2, strings.Count(trace.String(), "<requestSignature>[REDACTED]</requestSignature>"))
}
