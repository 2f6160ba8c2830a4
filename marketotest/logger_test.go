package marketotest

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestLoggerWritesALinePerCallAndPerRun(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	srv, _ := newRESTServer(t, WithLogger(slog.New(slog.NewTextHandler(&out, nil))))
	tok := getToken(t, srv)
	requireRESTSuccess(t, restPost(t, srv, tok, "/rest/v1/campaigns/1002/trigger.json",
		`{"input":{"leads":[{"id":1}],"tokens":[{"name":"{{my.message}}","value":"Hi there"}]}}`))
	requireRESTSuccess(t, restPost(t, srv, tok, "/rest/v1/campaigns/1005/schedule.json", ""))
	log := out.String()
	assert.Contains(t, log, `msg="marketo-fake call" api=REST operation=requestCampaign status=200`)
	assert.Contains(t, log, `msg="marketo-fake run" run=1 api=REST operation=requestCampaign campaign=1002 program=Trav-Demo-Program leads=[1] tokens="map[{{my.message}}:Hi there]"`)
	assert.Contains(t, log, `msg="marketo-fake run" run=2 api=REST operation=scheduleCampaign campaign=1005 folder="Operational Campaigns" leads=[] tokens=map[]`)
	require.NotContains(t, log, testClientSecret)
	require.NotContains(t, log, tok)
}
