package marketo_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// TestNoGoroutineOutlivesItsCall makes calls that succeed, fail, time out
// and are cancelled over real sockets, then closes the idle connections and
// checks that no goroutine of the client is left. It does not run in
// parallel, so other tests' goroutines cannot confuse it.
func TestNoGoroutineOutlivesItsCall(t *testing.T) {
	before := goleak.IgnoreCurrent()
	srv := marketotest.NewServer()
	stalled := newSOAPServer(t, func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice when the client hangs up.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	})

	c, err := marketo.NewClient(srv.Config(), marketo.WithoutRetries())
	require.NoError(t, err)
	_, err = c.ScheduleCampaign(context.Background(), runNowParams())
	require.NoError(t, err)
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{ProgramName: "nope", CampaignName: "nope"})
	require.Error(t, err)

	s, err := marketo.NewClient(marketo.Config{Endpoint: stalled.URL, UserID: "u", EncryptionKey: "k"}, marketo.WithoutRetries())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	_, err = s.ScheduleCampaign(ctx, runNowParams())
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded)

	c.CloseIdleConnections()
	s.CloseIdleConnections()
	srv.Close()
	stalled.Close()
	goleak.VerifyNone(t, before)
}
