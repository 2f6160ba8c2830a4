package marketo_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

const (
	stubClientID = "3f2b6c1e-ab12-4d5e-9f00-1234567890ab"
	// stubSecret holds characters that a URL query escapes, so that both
	// its raw and its escaped form can be searched for.
	stubSecret = "s3cr3t+/Zk9=&42x"
)

// restStub is a REST tenant for tests: an identity endpoint issuing
// "tok-1:int", "tok-2:int", … and a handler for everything under /rest.
// It records every request.
type restStub struct {
	srv *httptest.Server

	identityCalls atomic.Int64
	// identity, if set, answers identity requests instead of the default.
	identity func(w http.ResponseWriter, r *http.Request)
	// rest answers the i-th request under /rest (counting from 0).
	rest func(i int, r *http.Request, body []byte) (status int, answer string)
	// raw, if set, answers every request under /rest instead of rest.
	raw http.HandlerFunc

	mu   sync.Mutex
	reqs []stubRequest
}

type stubRequest struct {
	Method, Path, RawQuery, Auth, ContentType string
	Body                                      []byte
}

func newRESTStub(t *testing.T, rest func(i int, r *http.Request, body []byte) (int, string)) *restStub {
	t.Helper()
	return newRESTStubWith(t, func(s *restStub) { s.rest = rest })
}

// newRESTStubWith starts a stub that setup configured: the stub's fields
// are set before its server starts.
func newRESTStubWith(t *testing.T, setup func(*restStub)) *restStub {
	t.Helper()
	s := &restStub{}
	setup(s)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *restStub) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/identity/") {
		s.identityCalls.Add(1)
		if s.identity != nil {
			s.identity(w, r)
			return
		}
		q := r.URL.Query()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/identity/oauth/token" || q.Get("grant_type") != "client_credentials" ||
			q.Get("client_id") != stubClientID || q.Get("client_secret") != stubSecret {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"unauthorized","error_description":"Bad Client Credentials"}`)
			return
		}
		_, _ = fmt.Fprintf(w, `{"access_token":"tok-%d:int","token_type":"bearer","expires_in":3599,"scope":"apis@stub"}`, s.identityCalls.Load())
		return
	}
	if s.raw != nil {
		s.raw(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	i := len(s.reqs)
	s.reqs = append(s.reqs, stubRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), body})
	s.mu.Unlock()
	status, answer := s.rest(i, r, body)
	if status == 0 {
		return // the handler wrote the answer itself
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, answer)
}

func (s *restStub) requests() []stubRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]stubRequest(nil), s.reqs...)
}

// posts returns the POST requests: those that change the tenant.
func (s *restStub) posts() []stubRequest {
	var out []stubRequest
	for _, r := range s.requests() {
		if r.Method == http.MethodPost {
			out = append(out, r)
		}
	}
	return out
}

func (s *restStub) config() marketo.RESTConfig {
	return marketo.RESTConfig{Endpoint: s.srv.URL + "/rest", ClientID: stubClientID, ClientSecret: stubSecret}
}

// client returns a REST client of the stub without retries (tests of
// retries give a policy of their own).
func (s *restStub) client(t *testing.T, opts ...marketo.Option) *marketo.Client {
	t.Helper()
	c, err := marketo.NewRESTClient(s.config(), append([]marketo.Option{marketo.WithoutRetries()}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// restOK is a success envelope with result.
func restOK(result string) string {
	return `{"requestId":"e42b#14272d07d78","result":` + result + `,"success":true}`
}

// restErr is an error envelope with code as Marketo sends it, a string.
func restErr(code int, msg string) string {
	return fmt.Sprintf(`{"requestId":"e42b#14272d07d79","success":false,"errors":[{"code":"%d","message":%q}]}`, code, msg)
}

// campaignsJSON is a campaigns.json page of (id, name, program) records.
func campaignsJSON(recs ...any) string {
	var parts []string
	for i := 0; i+2 < len(recs); i += 3 {
		parts = append(parts, fmt.Sprintf(`{"id":%d,"name":%q,"description":"d%d","type":"batch","programName":%q,"programId":1,"workspaceName":"Default","active":true}`,
			recs[i], recs[i+1], recs[i], recs[i+2]))
	}
	return restOK("[" + strings.Join(parts, ",") + "]")
}

// tenant answers like a small tenant: campaigns.json lists campaigns,
// leads.json finds leads by email, schedule and trigger succeed.
func tenant(campaigns string, leads map[string]int) func(int, *http.Request, []byte) (int, string) {
	return func(_ int, r *http.Request, _ []byte) (int, string) {
		switch {
		case r.URL.Path == "/rest/v1/campaigns.json":
			return 200, campaigns
		case r.URL.Path == "/rest/v1/leads.json":
			var recs []string
			for _, v := range strings.Split(r.URL.Query().Get("filterValues"), ",") {
				if id, ok := leads[strings.ToLower(v)]; ok {
					recs = append(recs, fmt.Sprintf(`{"id":%d,"email":%q}`, id, v))
				}
			}
			return 200, restOK("[" + strings.Join(recs, ",") + "]")
		case strings.HasSuffix(r.URL.Path, "/schedule.json"), strings.HasSuffix(r.URL.Path, "/trigger.json"):
			id := strings.Split(r.URL.Path, "/")[4]
			return 200, restOK(`[{"id":` + id + `}]`)
		}
		return 200, restErr(610, "Requested resource not found")
	}
}

// jsonEqualGolden compares body with testdata/rest/name as JSON.
func jsonEqualGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	want := readGolden(t, "rest/"+name)
	var w, g any
	require.NoError(t, json.Unmarshal(want, &w))
	require.NoError(t, json.Unmarshal(body, &g), "body %s", body)
	require.Equal(t, w, g, "request body %s", body)
}

// stormIdentity is an identity handler that holds every token request
// until release is closed, then issues token: the first calls of a storm
// pile up behind the first fetch.
func stormIdentity(release <-chan struct{}, token string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		<-release
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"`+token+`","token_type":"bearer","expires_in":3599}`)
	}
}

// storm makes n calls at once, each in its own goroutine, once all have
// started closes release, and returns the calls' errors.
func storm(n int, release chan struct{}, call func() error) []error {
	var started, done sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		started.Add(1)
		done.Go(func() {
			started.Done()
			errs[i] = call()
		})
	}
	started.Wait()
	close(release)
	done.Wait()
	return errs
}
