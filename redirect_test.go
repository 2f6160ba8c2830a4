package marketo_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// bufferingClient is a caller's HTTP client that reads each request body
// into memory before sending it, as retrying and logging middleware does,
// so that its *http.Client can follow a 307 or 308 with the body again.
type bufferingClient struct{ hc *http.Client }

func (b bufferingClient) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
	}
	again, err := http.NewRequestWithContext(req.Context(), req.Method, req.URL.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	again.Header = req.Header.Clone()
	return b.hc.Do(again)
}

// elsewhere is the host a redirect points to: it answers every request
// with a success and keeps what it received.
type elsewhere struct {
	mu      sync.Mutex
	methods []string
	bodies  []string
}

func (e *elsewhere) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	e.mu.Lock()
	e.methods = append(e.methods, r.Method)
	e.bodies = append(e.bodies, string(body))
	e.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = io.WriteString(w, successScheduleXML)
}

func (e *elsewhere) requests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.methods)
}

func (e *elsewhere) signedRequests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, b := range e.bodies {
		if strings.Contains(b, "<requestSignature>") {
			n++
		}
	}
	return n
}

// TestRedirectedAnswersAreRefused: an answer from anywhere but the endpoint
// is not a success, whatever client the caller gives. A redirect the client
// does not follow proves only for 307 and 308 (repeat the request there)
// that the endpoint did not run the call; a followed one, or a 301, 302 or
// 303 (which servers also send after running a POST), leaves it unknown.
func TestRedirectedAnswersAreRefused(t *testing.T) {
	t.Parallel()
	clients := map[string]func() marketo.HTTPClient{
		"http.Client":                 func() marketo.HTTPClient { return &http.Client{} },
		"http.Client behind a buffer": func() marketo.HTTPClient { return bufferingClient{hc: &http.Client{}} },
		"the SDK's own client":        func() marketo.HTTPClient { return nil },
	}
	for clientName, newHC := range clients {
		for _, status := range []int{301, 302, 303, 307, 308} {
			t.Run(clientName+"/"+strconv.Itoa(status), func(t *testing.T) {
				t.Parallel()
				other := &elsewhere{}
				otherSrv := httptest.NewServer(other)
				t.Cleanup(otherSrv.Close)
				endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body)
					http.Redirect(w, r, otherSrv.URL+"/soap/mktows/2_9", status)
				}))
				t.Cleanup(endpoint.Close)
				opts := []marketo.Option{marketo.WithoutRetries()}
				if hc := newHC(); hc != nil {
					opts = append(opts, marketo.WithHTTPClient(hc))
				}
				c, err := marketo.NewClient(marketo.Config{Endpoint: endpoint.URL + "/soap/mktows/2_9", UserID: vectorUserID, EncryptionKey: vectorKey}, opts...)
				require.NoError(t, err)
				t.Cleanup(c.CloseIdleConnections)

				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				res, err := c.ScheduleCampaign(ctx, runNowParams())
				require.Error(t, err, "a redirected answer was taken for a success: %+v", res)
				var oe *marketo.OperationError
				require.ErrorAs(t, err, &oe)
				var re *marketo.ResponseError
				require.ErrorAs(t, err, &re)
				assert.True(t, oe.Sent)
				followed := other.requests() > 0
				repostedSigned := other.signedRequests() > 0
				switch {
				case repostedSigned:
					assert.True(t, oe.OutcomeUnknown, "a signed request reached another host: %v", err)
					assert.Contains(t, re.Reason, "redirect")
				case followed:
					assert.True(t, oe.OutcomeUnknown, "the endpoint may have run the call before redirecting: %v", err)
					assert.Contains(t, re.Reason, "redirect")
				case status == 307 || status == 308:
					assert.False(t, oe.OutcomeUnknown, "a %d that was not followed proves the call did not run: %v", status, err)
					assert.False(t, errors.Is(err, marketo.ErrOutcomeUnknown))
				default:
					assert.True(t, oe.OutcomeUnknown, "a %d may follow a call that ran: %v", status, err)
				}
			})
		}
	}
}

// TestRESTRedirectedAnswersAreRefused: REST calls take the same transport
// path as SOAP's, so a redirected REST answer is refused the same way, and
// a state-changing call is left unknown unless the redirect proves it did
// not run.
func TestRESTRedirectedAnswersAreRefused(t *testing.T) {
	t.Parallel()
	for _, status := range []int{302, 303, 307, 308} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			other := &elsewhere{}
			otherSrv := httptest.NewServer(other)
			t.Cleanup(otherSrv.Close)
			stub := newRESTStubWith(t, func(s *restStub) {
				s.raw = func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body)
					http.Redirect(w, r, otherSrv.URL+r.URL.Path, status)
				}
			})
			c := stub.client(t, marketo.WithHTTPClient(bufferingClient{hc: &http.Client{}}))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			res, err := c.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{CampaignID: 1001})
			require.Error(t, err, "a redirected answer was taken for a success: %+v", res)
			var oe *marketo.OperationError
			require.ErrorAs(t, err, &oe)
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.True(t, oe.Sent)
			assert.Contains(t, re.Reason, "redirect")
			if other.requests() == 0 && (status == 307 || status == 308) {
				assert.False(t, oe.OutcomeUnknown, "a %d that was not followed proves the call did not run: %v", status, err)
			} else {
				assert.True(t, oe.OutcomeUnknown, "the call may have run: %v", err)
				assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
			}
		})
	}
}
