package marketo

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewRequestWritesCanonicalHeaders: the one request builder writes
// each header under the name Header.Set would use, leaves out the empty
// ones, and gives a streamed body its length (a measured one keeps its own).
func TestNewRequestWritesCanonicalHeaders(t *testing.T) {
	t.Parallel()
	e := &engine{userAgent: "ua/1"}
	req, err := e.newRequest(context.Background(), outRequest{method: http.MethodPost, url: "https://x.example/soap",
		body: strings.NewReader("abc"), size: 3, contentType: "text/xml", soapAction: "urn:a", auth: "Bearer t", accept: "text/xml"})
	require.NoError(t, err)
	assert.EqualValues(t, 3, req.ContentLength)
	for name, want := range map[string]string{"Content-Type": "text/xml", "SOAPAction": "urn:a", "Authorization": "Bearer t", "User-Agent": "ua/1", "Accept": "text/xml"} {
		assert.Equal(t, []string{want}, req.Header.Values(name), name)
	}
	for k := range req.Header {
		assert.Equal(t, http.CanonicalHeaderKey(k), k)
	}
	req.Header.Add("Accept", "text/plain") // a value slice is the header's own
	assert.Equal(t, []string{"ua/1"}, req.Header.Values("User-Agent"))

	req, err = e.newRequest(context.Background(), outRequest{method: http.MethodGet, url: "https://x.example/a", accept: "application/json"})
	require.NoError(t, err)
	assert.Len(t, req.Header, 2, "%v", req.Header)

	// A body net/http measures (size 0) keeps the length it found: a zero
	// would send it chunked.
	req, err = e.newRequest(context.Background(), outRequest{method: http.MethodPost, url: "https://x.example/a", body: bytes.NewReader([]byte("abcd")), contentType: "application/json"})
	require.NoError(t, err)
	assert.EqualValues(t, 4, req.ContentLength)
}

// TestImportFileUsesTheBearerCache: the GET of an import's failures file
// takes its Authorization header from the backend's bearer cache, like
// every other REST request.
func TestImportFileUsesTheBearerCache(t *testing.T) {
	t.Parallel()
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/identity/") {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"tok-1:int","token_type":"bearer","expires_in":3599,"scope":"apis@x"}`)
			return
		}
		auth = append(auth, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "text/csv;charset=UTF-8")
		_, _ = io.WriteString(w, "email,Import Failure Reason\na@example.com,bad\n")
	}))
	t.Cleanup(srv.Close)
	c, err := NewRESTClient(RESTConfig{Endpoint: srv.URL + "/rest", ClientID: "id", ClientSecret: "secret"}, WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	rows, err := c.ImportFailures(context.Background(), "3404")
	require.NoError(t, err)
	require.NoError(t, rows.Close())
	b := c.backend.(*restBackend)
	cached := b.bearer.Load()
	require.NotNil(t, cached, "the file's GET filled the bearer cache")
	assert.Equal(t, "tok-1:int", cached.token)
	assert.Equal(t, []string{cached.header}, auth)
}
