package marketo_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// trickleServer answers with headers and then one byte of a success answer
// every 20 ms, never finishing within the tests' attempt timeout. It counts
// the requests that reached it.
func trickleServer(t *testing.T, requests *atomic.Int64) string {
	t.Helper()
	srv := newSOAPServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		// The first five bytes go out with the headers, so that an answer
		// whose headers arrived has "<?xml" to show however loaded the
		// machine; the rest trickles a byte at a time.
		const head = len("<?xml")
		if _, err := w.Write([]byte(successScheduleXML[:head])); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		for i := head; i < len(successScheduleXML); i++ {
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

// withGrowingTimeout runs try with an attempt timeout of 100 ms, doubled
// while try reports that an attempt timed out before the server had its
// request. The timeout is a duration, so on a loaded machine it can fire
// before the request leaves; the assertions are about what happens after.
func withGrowingTimeout(t *testing.T, try func(timeout time.Duration) (reachedServer bool)) {
	t.Helper()
	for timeout := 100 * time.Millisecond; timeout <= 3200*time.Millisecond; timeout *= 2 {
		if try(timeout) {
			return
		}
		t.Logf("an attempt timed out before its request reached the server; again with twice the %v", timeout)
	}
	t.Fatal("no run in which every attempt reached the server before its timeout")
}

func TestAttemptTimeoutBoundsATricklingAnswer(t *testing.T) {
	t.Parallel()
	withGrowingTimeout(t, func(timeout time.Duration) bool {
		var requests atomic.Int64
		url := trickleServer(t, &requests)
		c, err := marketo.NewClient(marketo.Config{Endpoint: url, UserID: "u", EncryptionKey: "k"},
			marketo.WithAttemptTimeout(timeout), fastRetries, marketo.WithoutLimiter())
		require.NoError(t, err)
		defer c.CloseIdleConnections()

		_, err = c.ScheduleCampaign(context.Background(), runNowParams())
		require.Error(t, err)
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		if requests.Load() < int64(oe.Attempts) {
			return false
		}
		var te *marketo.AttemptTimeoutError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, timeout, te.Timeout)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown, "the request was sent and may have run")
		assert.True(t, oe.Sent)
		assert.Equal(t, 1, oe.Attempts, "a state-changing call is not repeated")
		assert.Equal(t, int64(1), requests.Load())
		prefix := fmt.Sprintf("marketo: ScheduleCampaign: unexpected response (HTTP 200, Content-Type text/xml; charset=utf-8): "+
			"reading the body failed: attempt timed out after %v; body starts \"<?xml", timeout)
		assert.True(t, strings.HasPrefix(err.Error(), prefix), "%q\nwant prefix %q", err, prefix)
		assert.True(t, strings.HasSuffix(err.Error(), "\" (outcome unknown: the request was sent and Marketo may have run it; check before retrying)"), "%q", err)
		return true
	})
}

func TestAttemptTimeoutIsRetriedForReadOnlyCalls(t *testing.T) {
	t.Parallel()
	withGrowingTimeout(t, func(timeout time.Duration) bool {
		var requests atomic.Int64
		url := trickleServer(t, &requests)
		c, err := marketo.NewClient(marketo.Config{Endpoint: url, UserID: "u", EncryptionKey: "k"},
			marketo.WithAttemptTimeout(timeout), fastRetries, marketo.WithoutLimiter())
		require.NoError(t, err)
		defer c.CloseIdleConnections()

		_, err = c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
		require.Error(t, err)
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		if requests.Load() < int64(oe.Attempts) {
			return false
		}
		var te *marketo.AttemptTimeoutError
		assert.ErrorAs(t, err, &te)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown, "a read-only call changes nothing")
		assert.Equal(t, 4, oe.Attempts)
		assert.Equal(t, int64(4), requests.Load())
		return true
	})
}

func TestAttemptTimeoutOption(t *testing.T) {
	t.Parallel()
	_, err := marketo.NewClient(marketo.Config{Endpoint: testEndpoint, UserID: "u", EncryptionKey: "k"}, marketo.WithAttemptTimeout(0))
	assert.EqualError(t, err, "marketo: WithAttemptTimeout: 0s is not positive")
	_, err = marketo.NewClient(marketo.Config{Endpoint: testEndpoint, UserID: "u", EncryptionKey: "k"}, marketo.WithAttemptTimeout(-time.Second))
	assert.EqualError(t, err, "marketo: WithAttemptTimeout: -1s is not positive")
	_, err = marketo.NewClient(marketo.Config{Endpoint: testEndpoint, UserID: "u", EncryptionKey: "k"}, marketo.WithAttemptTimeout(time.Nanosecond))
	assert.NoError(t, err)
}
