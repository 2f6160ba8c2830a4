package marketotest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dialFake opens a raw connection to the fake, closed when the test ends.
func dialFake(t *testing.T, srv *Server) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// failuresBatch runs a bulk import of rows that all fail (no email) and
// returns the path of its failures file: about 6 MB, more than a loopback
// connection buffers on Linux (at most 4 MB of send buffer, and the
// 128 KB a client that does not read starts with).
func failuresBatch(t *testing.T, srv *Server, clock *ManualClock, tok string) string {
	t.Helper()
	// A row of 2 bytes fails with a line of 43: a small import, a large file.
	r := bulkPost(t, srv, tok, "email,firstName\n"+strings.Repeat(",\n", 140_000), "format", "csv")
	batch := batchOf(t, r)
	clock.Advance(2 * time.Minute) // the import duration is a minute
	return fmt.Sprintf("/bulk/v1/leads/batch/%d/failures.json", batch.BatchID)
}

// getUnread sends a GET and reads only the answer's status line and
// headers: the fake is then writing an answer larger than the sockets'
// buffers can hold, to a client that does not read it.
func getUnread(t *testing.T, srv *Server, tok, path string) (*http.Response, net.Conn) {
	t.Helper()
	resp, conn, err := tryGetUnread(t, srv, tok, path)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return resp, conn
}

func tryGetUnread(t *testing.T, srv *Server, tok, path string) (*http.Response, net.Conn, error) {
	t.Helper()
	conn := dialFake(t, srv)
	_, err := conn.Write([]byte("GET " + path + " HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer " + tok + "\r\n\r\n"))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second))) // a hang fails, not blocks
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 4096), nil)
	return resp, conn, err
}

// TestRESTUnreadAnswerHoldsNoSlot checks that a call whose client does not
// read its large answer holds no in-flight slot: Marketo counts a call
// while it runs, and the fake used to answer 615 to every call while its
// slots were held by answers blocked on clients that never read them.
func TestRESTUnreadAnswerHoldsNoSlot(t *testing.T) {
	t.Parallel()
	heavy(t)
	limits := DefaultRESTLimits()
	limits.MaxInFlight = 1
	srv, clock := newRESTServer(t, WithRESTLimits(limits))
	tok := getToken(t, srv)
	path := failuresBatch(t, srv, clock, tok)

	resp, _ := getUnread(t, srv, tok, path)
	assert.Greater(t, resp.ContentLength, int64(5<<20), "the answer must outgrow the sockets' buffers")
	assert.Equal(t, 0, srv.RESTUsage().InFlight)
	requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"))
}

// TestAnswerWriteTimesOut checks that an answer its client does not read
// is given up after the answer timeout: the connection is closed with the
// answer unfinished, rather than held for as long as the client likes.
func TestAnswerWriteTimesOut(t *testing.T) {
	t.Parallel()
	heavy(t)
	timeout := 200 * time.Millisecond
	srv, clock := newRESTServer(t, withServerLimits(serverLimits{answer: timeout}))
	tok := getToken(t, srv)
	path := failuresBatch(t, srv, clock, tok)

	resp, conn, err := tryGetUnread(t, srv, tok, path)
	if err == nil { // else the deadline passed before the headers left: given up as well
		time.Sleep(5 * timeout) // the write deadline passes while the client reads nothing
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
		var n int64
		n, err = io.Copy(io.Discard, resp.Body)
		assert.Less(t, n, resp.ContentLength)
	}
	require.Error(t, err, "the fake must not finish an answer its client left unread past the timeout")
	assert.False(t, errors.Is(err, os.ErrDeadlineExceeded), "the fake closed the connection: %v", err)
}

// requireClosedByFake reads conn until the fake closes it, failing if it
// is still open after 30 s.
func requireClosedByFake(t *testing.T, conn net.Conn, what string) {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	_, err := io.Copy(io.Discard, conn)
	assert.False(t, errors.Is(err, os.ErrDeadlineExceeded), "%s: still open after 30 s", what)
}

// requireOpen checks that the fake still serves a request on conn.
func requireOpen(t *testing.T, conn net.Conn, what string) {
	t.Helper()
	resp := rawGet(t, conn, "/identity/oauth/token")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, what)
}

// rawGet sends a GET on conn and reads its whole answer, leaving the
// connection idle.
func rawGet(t *testing.T, conn net.Conn, path string) *http.Response {
	t.Helper()
	_, err := conn.Write([]byte("GET " + path + " HTTP/1.1\r\nHost: fake\r\n\r\n"))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp
}

// TestIdleConnectionsAreClosed checks the idle and header timeouts: a
// keep-alive connection left idle after a call, and a connection that
// never sends a request, are closed by the fake instead of holding a
// descriptor for ever.
func TestIdleConnectionsAreClosed(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t, withServerLimits(serverLimits{idle: 50 * time.Millisecond, header: 50 * time.Millisecond}))
	idle := dialFake(t, srv)
	rawGet(t, idle, "/identity/oauth/token")
	silent := dialFake(t, srv)
	requireClosedByFake(t, idle, "an idle keep-alive connection")
	requireClosedByFake(t, silent, "a connection that sent nothing")
}

// TestConnectionCapClosesTheLongestIdle checks the connection cap: at the
// cap, a new connection takes the place of the one idle the longest, so
// idle connections cannot lock a real call out.
func TestConnectionCapClosesTheLongestIdle(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t, withServerLimits(serverLimits{maxConns: 3}))
	var conns []net.Conn
	for i := range 3 {
		conn := dialFake(t, srv)
		rawGet(t, conn, "/identity/oauth/token")
		waitWaiting(t, srv, i+1) // so that they went idle in this order
		conns = append(conns, conn)
	}
	getToken(t, srv) // a real call, on a fourth connection
	requireClosedByFake(t, conns[0], "the connection idle the longest")
	requireOpen(t, conns[1], "a connection idle for less long")
	requireOpen(t, conns[2], "the connection idle the least")
}

// waitWaiting waits until n connections wait for a request.
func waitWaiting(t *testing.T, srv *Server, n int) {
	t.Helper()
	for range 500 {
		c := srv.guard.conns
		c.mu.Lock()
		waiting := 0
		for _, e := range c.conns {
			if e.waiting {
				waiting++
			}
		}
		c.mu.Unlock()
		if waiting == n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d connections never waited for a request", n)
}

// TestConnectionCapWaitsForABusyConnection checks that at the cap, with
// every connection busy with a request, a new connection waits until one
// goes idle, and then takes its place.
func TestConnectionCapWaitsForABusyConnection(t *testing.T) {
	t.Parallel()
	c := newConnCap(2)
	a, aPeer := net.Pipe()
	b, bPeer := net.Pipe()
	t.Cleanup(func() { _, _, _, _ = a.Close(), aPeer.Close(), b.Close(), bPeer.Close() })
	c.track(a, http.StateActive)
	c.track(b, http.StateActive)
	done, room := make(chan struct{}), make(chan error, 1)
	defer close(done)
	go func() { room <- c.makeRoom(done) }()
	select {
	case err := <-room:
		t.Fatalf("room made at the cap with every connection busy: %v", err)
	default:
	}
	c.track(b, http.StateIdle)
	select {
	case err := <-room:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("no room made once a connection went idle")
	}
	_, err := bPeer.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "the idle connection was closed to make room")
	c.mu.Lock()
	assert.Len(t, c.conns, 1)
	c.mu.Unlock()
}

// TestSlowBodiesAreCutOff checks that a client sending a body a byte at a
// time holds its connection no longer than the body timeout, whatever the
// fake answers: a 408 (SOAP), a refusal for a missing token before the body
// is read (REST), an identity call. net/http drains what is left of a body
// after the answer; without a deadline it waited for the client for ever.
func TestSlowBodiesAreCutOff(t *testing.T) {
	t.Parallel()
	srv := NewUnstartedServer()
	srv.bodyTimeout = 50 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	for _, c := range []struct {
		name, head string
		status     int
		answer     string
	}{
		{"SOAP, 408", "POST " + EndpointPath + " HTTP/1.1\r\nContent-Type: text/xml; charset=utf-8", http.StatusRequestTimeout, "408 request timeout"},
		{"REST without a token", "POST /rest/v1/campaigns/1001/schedule.json HTTP/1.1\r\nContent-Type: application/json", http.StatusOK, `"code":"600"`},
		{"identity", "POST /identity/oauth/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded", http.StatusBadRequest, "invalid_request"},
	} {
		conn := dialFake(t, srv)
		_, err := conn.Write([]byte(c.head + "\r\nHost: fake\r\nContent-Length: 1000\r\n\r\nx"))
		require.NoError(t, err)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
		br := bufio.NewReader(conn)
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err, c.name)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.status, resp.StatusCode, c.name)
		assert.Contains(t, string(b), c.answer, c.name)
		_, err = io.Copy(io.Discard, br)
		assert.False(t, errors.Is(err, os.ErrDeadlineExceeded), "%s: the connection is still open after 30 s", c.name)
	}
}

// TestRESTUnreadAnswersHoldNoCopy checks, in bytes, that ten GETs of a
// large failures file whose clients do not read them hold no copy of the
// file while they wait: the answer is written from the job's rows, which
// the tenant keeps anyway. A call leaves flight when its answer starts, so
// the in-flight limit no longer bounds how many such answers wait.
func TestRESTUnreadAnswersHoldNoCopy(t *testing.T) {
	t.Parallel()
	heavy(t)
	const gets = 10
	srv, clock := newRESTServer(t)
	tok := getToken(t, srv)
	path := failuresBatch(t, srv, clock, tok)
	requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/campaigns.json")) // the job has ended
	before := liveHeap()
	var size int64
	for range gets {
		resp, _ := getUnread(t, srv, tok, path)
		size = resp.ContentLength
	}
	held := int64(liveHeap()) - int64(before)
	for range 2 { // the least of three readings: other tests come and go
		held = min(held, int64(liveHeap())-int64(before))
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("heap grew by %d bytes while %d answers of %d bytes waited", held, gets, size)
	assert.Less(t, held, gets*size/3, "the waiting answers must not each hold a copy of the file")
}
