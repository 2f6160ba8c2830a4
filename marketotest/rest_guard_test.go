package marketotest

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRESTTokenIsCheckedBeforeTheBody checks that a call without a live
// token is refused without its body being read, whatever the body's size:
// for its path or method first (610, 605) as with a token, then for its
// token, 600 when missing and 601 when bad. The body is not recorded.
func TestRESTTokenIsCheckedBeforeTheBody(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	big := strings.Repeat("x", maxRESTBody+1)
	cases := []struct {
		name, path, body, code string
		header                 []string
	}{
		{"no token, unknown path", "/rest/v1/nothing.json", big, "610", nil},
		{"no token, known path, another method", "/rest/v1/campaigns.json", big, "605", nil},
		{"no token, body over 1 MB", "/rest/v1/campaigns/1001/schedule.json", big, "600", nil},
		{"Bearer without a token", "/rest/v1/campaigns/1001/schedule.json", "{}", "600", []string{"Authorization", "Bearer"}},
		// A form body may turn the POST into a GET with _method, which
		// is not read: the token decides.
		{"no token, form body", "/rest/v1/leads.json", "_method=GET&filterType=email&" + big, "600", []string{"Content-Type", "application/x-www-form-urlencoded"}},
		{"unknown token, body over 1 MB", "/rest/v1/campaigns/1001/schedule.json", big, "601", []string{"Authorization", "Bearer 0000:int"}},
	}
	for _, c := range cases {
		hdr := c.header
		if !slices.Contains(hdr, "Content-Type") {
			hdr = append(hdr, "Content-Type", "application/json")
		}
		r := restDo(t, srv, http.MethodPost, c.path, c.body, hdr...)
		requireRESTError(t, r, c.code)
	}
	reqs := srv.Requests()
	require.Len(t, reqs, len(cases))
	for i, rq := range reqs {
		assert.Equal(t, 0, rq.BodySize, cases[i].name)
		assert.Equal(t, cases[i].code, strconv.Itoa(int(rq.FaultCode)), cases[i].name)
	}
	assert.Equal(t, "scheduleCampaign", reqs[len(reqs)-1].Operation, "a known path names its operation")
	assert.Equal(t, 0, srv.RESTUsage().CallsToday)
}

// tokenlessBulkPost opens a connection and sends a bulk import of declared
// length size whose body stops short of its end, with the given
// Authorization header (none when empty). It returns the answer, read as
// soon as it comes; the body is sent by a goroutine that stops at its
// first error.
func tokenlessBulkPost(t *testing.T, srv *Server, auth string, size, sent int, chunk []byte) <-chan *http.Response {
	t.Helper()
	conn := dialFake(t, srv)
	head := "POST /bulk/v1/leads.json HTTP/1.1\r\nHost: fake\r\nContent-Type: multipart/form-data; boundary=x\r\n" +
		"Content-Length: " + strconv.Itoa(size) + "\r\n"
	if auth != "" {
		head += "Authorization: " + auth + "\r\n"
	}
	_, err := conn.Write([]byte(head + "\r\n"))
	require.NoError(t, err)
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second))) // a hang fails, not blocks
	go func() {
		for n := 0; n < sent; n += len(chunk) {
			if _, err := conn.Write(chunk[:min(len(chunk), sent-n)]); err != nil {
				return
			}
		}
	}()
	answer := make(chan *http.Response, 1)
	go func() {
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			answer <- nil
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body = io.NopCloser(strings.NewReader(string(b)))
		answer <- resp
	}()
	return answer
}

// heavyTests runs the tests that hold tens of megabytes, or measure the
// heap, one at a time: a measurement must not count another test's job.
var heavyTests sync.Mutex

// heavy makes t one of heavyTests, until it ends.
func heavy(t *testing.T) {
	heavyTests.Lock()
	t.Cleanup(heavyTests.Unlock)
}

// liveHeap is the heap in use after a collection, in bytes.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestRESTBodiesWithoutTokenHoldNoMemory sends 16 bulk imports of
// 9.99 MB without a valid token, each stopping short of its declared end
// (so that a fake reading them would hold them until its body timeout),
// and checks in bytes that the fake does not hold them: 150 such
// connections used to hold 1.9 GB.
func TestRESTBodiesWithoutTokenHoldNoMemory(t *testing.T) {
	t.Parallel()
	const conns, sent = 16, 9_990_000
	heavy(t)
	srv, _ := newRESTServer(t)
	chunk := make([]byte, 64<<10)
	before := liveHeap()
	var answers []<-chan *http.Response
	for i := range conns {
		auth := ""
		if i%2 == 1 {
			auth = "Bearer 0000:int"
		}
		answers = append(answers, tokenlessBulkPost(t, srv, auth, sent+1000, sent, chunk))
	}
	var peak uint64
	got := make([]*http.Response, conns)
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; i < 3000 && time.Now().Before(deadline); i++ { // until every answer is in
		peak = max(peak, liveHeap())
		waiting := false
		for i, ch := range answers {
			select {
			case resp := <-ch:
				got[i] = resp
				answers[i] = nil
			default:
				waiting = waiting || ch != nil
			}
		}
		if !waiting {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	held := int64(peak) - int64(before)
	t.Logf("heap grew by %d bytes while %d connections sent %d bytes each", held, conns, sent)
	assert.Less(t, held, int64(conns*sent/2), "the fake must not read and hold bodies sent without a token")
	for i, resp := range got {
		require.NotNil(t, resp, "connection %d got no answer", i)
		var env struct {
			Errors []restErr `json:"errors"`
		}
		b, _ := io.ReadAll(resp.Body)
		require.NoError(t, json.Unmarshal(b, &env), string(b))
		require.NotEmpty(t, env.Errors)
		want := map[bool]string{false: "600", true: "601"}[i%2 == 1]
		assert.Equal(t, want, env.Errors[0].Code)
	}
}
