package marketotest

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A bulk import's body is parsed as it arrives, and keeps readBody's
// rules: the request log holds its head and its whole size, a body over
// 10 MB is 413 even when it is not valid multipart (the size is checked
// first, as when the body was read whole), and a valid one is queued.
func TestRESTBulkBodyStreamedKeepsTheRules(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t, WithRequestLog(100, 64))
	tok := getToken(t, srv)
	file := "email,firstName\n" + strings.Repeat("someone@example.com,Ann\n", 1000)
	body, ct := multipartImport(t, file, "format", "csv")
	r := restDo(t, srv, http.MethodPost, "/bulk/v1/leads.json", body, "Authorization", "Bearer "+tok, "Content-Type", ct)
	assert.Equal(t, 1000, batchOfRows(t, srv, r))
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "importLeads", last.Operation)
	assert.Equal(t, len(body), last.BodySize)
	assert.Equal(t, body[:64], string(last.Body))

	broken := "--x\r\nbroken" + strings.Repeat("y", MaxBulkBody)
	r = restDo(t, srv, http.MethodPost, "/bulk/v1/leads.json", broken, "Authorization", "Bearer "+tok, "Content-Type", "multipart/form-data; boundary=x")
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.Status)
	reqs = srv.Requests()
	assert.Equal(t, http.StatusRequestEntityTooLarge, reqs[len(reqs)-1].HTTPStatus)
	assert.Len(t, reqs[len(reqs)-1].Body, 64)
	assert.Len(t, srv.BulkImports(), 1)
}

// A body of unknown length (chunked) is read all the same: the file's
// buffer grows as it arrives.
func TestRESTBulkBodyChunked(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	file := "email,firstName\n" + strings.Repeat("someone@example.com,Ann\n", 20_000)
	body, ct := multipartImport(t, file, "format", "csv")
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/bulk/v1/leads.json", io.MultiReader(strings.NewReader(body)))
	require.NoError(t, err)
	req.ContentLength = -1 // unknown: sent chunked
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", ct)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var r restResp
	require.NoError(t, json.Unmarshal(raw, &r), string(raw))
	r.Status, r.ContentType, r.Raw = resp.StatusCode, resp.Header.Get("Content-Type"), string(raw)
	assert.Equal(t, 20_000, batchOfRows(t, srv, r))
	reqs := srv.Requests()
	assert.Equal(t, len(body), reqs[len(reqs)-1].BodySize)
}

func batchOfRows(t *testing.T, srv *Server, r restResp) int {
	t.Helper()
	batch := batchOf(t, r)
	for _, j := range srv.BulkImports() {
		if j.BatchID == batch.BatchID {
			return j.Rows
		}
	}
	t.Fatalf("batch %d not found", batch.BatchID)
	return 0
}

// An authenticated bulk body that stops arriving holds no in-flight slot
// while it is read, and is answered 408 when the body timeout ends.
func TestRESTBulkBodySlowIs408(t *testing.T) {
	t.Parallel()
	srv := NewUnstartedServer(WithRESTCredentials(testClientID, testClientSecret))
	srv.bodyTimeout = 100 * time.Millisecond
	reading := watchedServer(t, srv)
	tok := getToken(t, srv)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	_, err = conn.Write([]byte("POST /bulk/v1/leads.json HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer " + tok +
		"\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n--x\r\n"))
	require.NoError(t, err)
	<-reading
	assert.Equal(t, 0, srv.Usage().InFlight)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second))) // a hang fails, not blocks
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, http.StatusRequestTimeout, reqs[len(reqs)-1].HTTPStatus)
	assert.Equal(t, len("--x\r\n"), reqs[len(reqs)-1].BodySize)
}
