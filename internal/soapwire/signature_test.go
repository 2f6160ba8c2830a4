package soapwire

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignaturePublishedVector signs Marketo's published example with the
// Signer every request uses.
func TestSignaturePublishedVector(t *testing.T) {
	t.Parallel()
	at, err := time.Parse(time.RFC3339, "2010-04-09T14:04:54-07:00")
	require.NoError(t, err)
	s := NewSigner([]byte("899756834129871744AAEE88DDCC77CDEEDEC1AAAD66"))
	var sig [SignatureSize]byte
	ts := s.Sign(&sig, at, "bigcorp1_461839624B16E06BA2D663")
	assert.Equal(t, "2010-04-09T14:04:54-07:00", string(ts))
	assert.Equal(t, "ffbff4d4bef354807481e66dc7540f7890523a87", string(sig[:]))
}

// formatTimestamp is requestTimestamp as a string.
func formatTimestamp(t time.Time) string { return string(AppendTimestamp(nil, t)) }

func TestTimestampFormat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2010, 4, 9, 14, 4, 54, 0, time.FixedZone("PDT", -7*3600)), "2010-04-09T14:04:54-07:00"},
		{time.Date(2026, 11, 28, 12, 0, 0, 999_999_999, time.UTC), "2026-11-28T12:00:00+00:00"},
		{time.Date(2026, 11, 28, 12, 0, 0, 0, time.FixedZone("NPT", 5*3600+45*60)), "2026-11-28T12:00:00+05:45"},
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 17*60+32)), "1899-12-31T23:42:28+00:00"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, formatTimestamp(tc.in))
	}
}
