package marketo_test

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// trickleServer answers with headers and then one byte of a success answer
// every 20 ms, never finishing within the tests' attempt timeout.
func trickleServer(t *testing.T, requests *atomic.Int64) string {
	t.Helper()
	srv := newSOAPServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		for i := 0; i < len(successScheduleXML); i++ {
			if _, err := w.Write([]byte{successScheduleXML[i]}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	return srv.URL
}

func TestAttemptTimeoutBoundsATricklingAnswer(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	url := trickleServer(t, &requests)
	c, err := marketo.NewClient(marketo.Config{Endpoint: url, UserID: "u", EncryptionKey: "k"},
		marketo.WithAttemptTimeout(150*time.Millisecond), fastRetries)
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	start := time.Now()
	_, err = c.ScheduleCampaign(context.Background(), runNowParams())
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second, "the attempt timeout ends the call")
	var te *marketo.AttemptTimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 150*time.Millisecond, te.Timeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown, "the request was sent and may have run")
	assert.Equal(t, int64(1), requests.Load(), "a state-changing call is not repeated")
	assert.Contains(t, err.Error(), "attempt timed out after 150ms")

	// A read-only call is retried after an attempt timeout.
	requests.Store(0)
	_, err = c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
	require.Error(t, err)
	assert.ErrorAs(t, err, &te)
	assert.Equal(t, int64(4), requests.Load())
}

func TestAttemptTimeoutOption(t *testing.T) {
	t.Parallel()
	_, err := marketo.NewClient(marketo.Config{Endpoint: testEndpoint, UserID: "u", EncryptionKey: "k"}, marketo.WithAttemptTimeout(0))
	assert.Error(t, err)
}
