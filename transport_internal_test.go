package marketo

import (
	"crypto/tls"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDefaultHTTPClientSettings pins the SDK's own transport: the bounds a
// stalled peer meets, the idle pool sized for Marketo's 10 calls in flight,
// TLS 1.2 or later, and no redirects.
func TestDefaultHTTPClientSettings(t *testing.T) {
	t.Parallel()
	hc := newDefaultHTTPClient()
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, 10*time.Second, tr.TLSHandshakeTimeout)
	assert.Equal(t, 2*time.Minute, tr.ResponseHeaderTimeout)
	assert.Equal(t, time.Second, tr.ExpectContinueTimeout)
	assert.Equal(t, 10, tr.MaxIdleConns)
	assert.Equal(t, 10, tr.MaxIdleConnsPerHost)
	assert.Equal(t, 90*time.Second, tr.IdleConnTimeout)
	assert.True(t, tr.ForceAttemptHTTP2)
	assert.Equal(t, uint16(tls.VersionTLS12), tr.TLSClientConfig.MinVersion)
	assert.False(t, tr.TLSClientConfig.InsecureSkipVerify)
	assert.Equal(t, http.ErrUseLastResponse, hc.CheckRedirect(nil, nil))
}
