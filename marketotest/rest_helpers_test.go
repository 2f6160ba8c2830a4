package marketotest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	testClientID     = "3f0a4b4c-5d6e-4f70-8a91-b2c3d4e5f607"
	testClientSecret = "s3cretVALUE0123456789abcdef"
)

// newRESTServer is newTestServer with fixed REST credentials.
func newRESTServer(t *testing.T, opts ...Option) (*Server, *ManualClock) {
	t.Helper()
	return newTestServer(t, append([]Option{WithRESTCredentials(testClientID, testClientSecret)}, opts...)...)
}

type restErr struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// restResp is a REST answer, decoded as a client would.
type restResp struct {
	Status      int
	ContentType string
	Raw         string
	RequestID   string          `json:"requestId"`
	Success     bool            `json:"success"`
	Result      json.RawMessage `json:"result"`
	Errors      []restErr       `json:"errors"`
	NextPage    string          `json:"nextPageToken"`
}

// restDo sends one request; header holds name, value pairs.
func restDo(t *testing.T, srv *Server, method, target, body string, header ...string) restResp {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+target, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := restResp{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Raw: string(b)}
	if strings.HasPrefix(r.ContentType, "application/json") && resp.StatusCode == http.StatusOK {
		_ = json.Unmarshal(b, &r)
	}
	return r
}

// getToken asks the identity service for a token.
func getToken(t *testing.T, srv *Server) string {
	t.Helper()
	q := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testClientSecret}}
	r := restDo(t, srv, http.MethodGet, "/identity/oauth/token?"+q.Encode(), "")
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.Raw), &tok))
	require.NotEmpty(t, tok.AccessToken)
	return tok.AccessToken
}

func restGet(t *testing.T, srv *Server, token, target string) restResp {
	t.Helper()
	return restDo(t, srv, http.MethodGet, target, "", "Authorization", "Bearer "+token)
}

func restPost(t *testing.T, srv *Server, token, target, body string) restResp {
	t.Helper()
	return restDo(t, srv, http.MethodPost, target, body, "Authorization", "Bearer "+token, "Content-Type", "application/json")
}

// requireRESTError checks a REST error answer: HTTP 200, success false, the
// code sent as a JSON string, and returns the errors.
func requireRESTError(t *testing.T, r restResp, code string) []restErr {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	require.Equal(t, "application/json;charset=UTF-8", r.ContentType)
	require.False(t, r.Success, r.Raw)
	require.NotEmpty(t, r.Errors, r.Raw)
	require.Equal(t, code, r.Errors[0].Code, r.Raw)
	require.Contains(t, r.Raw, `"code":"`+code+`"`, "codes are JSON strings")
	require.Regexp(t, `^[0-9a-f]+#[0-9a-f]+$`, r.RequestID)
	return r.Errors
}

func requireRESTSuccess(t *testing.T, r restResp) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	require.Equal(t, "application/json;charset=UTF-8", r.ContentType)
	require.True(t, r.Success, r.Raw)
	require.Empty(t, r.Errors)
}

// resultIDs decodes the IDs of a result.
func resultIDs(t *testing.T, r restResp) []int {
	t.Helper()
	var recs []struct {
		ID int `json:"id"`
	}
	require.NoError(t, json.Unmarshal(r.Result, &recs), r.Raw)
	ids := []int{}
	for _, rec := range recs {
		ids = append(ids, rec.ID)
	}
	return ids
}
