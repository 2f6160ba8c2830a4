package marketo

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCentralTimeMatchesTheTimeZoneDatabase(t *testing.T) {
	t.Parallel()
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Skip("no time zone database on this machine:", err)
	}
	start := time.Date(2007, 1, 1, 0, 0, 0, 0, time.UTC)
	for at := start; at.Year() < 2040; at = at.Add(97 * time.Minute) {
		_, want := at.In(chicago).Zone()
		_, got := inCentral(at).Zone()
		require.Equal(t, want, got, "offset at %s", at)
		wantReset := func() time.Time {
			y, m, d := at.In(chicago).Date()
			return time.Date(y, m, d+1, 0, 0, 0, 0, chicago)
		}()
		require.True(t, nextQuotaReset(at).Equal(wantReset), "reset after %s: got %s want %s", at, nextQuotaReset(at), wantReset)
	}
}

func TestQuotaResetExamples(t *testing.T) {
	t.Parallel()
	// 23:30 CST on 28 Nov 2026 is 05:30 UTC on the 29th.
	now := time.Date(2026, 11, 29, 5, 30, 0, 0, time.UTC)
	assert.Equal(t, "2026-11-29T00:00:00-06:00", nextQuotaReset(now).Format(time.RFC3339))
	assert.Equal(t, "2026-11-28", quotaDay(now))
	// Summer: CDT.
	now = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, "2026-07-02T00:00:00-05:00", nextQuotaReset(now).Format(time.RFC3339))
}
