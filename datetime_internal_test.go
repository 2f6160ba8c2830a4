package marketo

import (
	"testing"
	"time"

	"github.com/mktows/marketo/internal/restwire"
	"github.com/stretchr/testify/assert"

	"github.com/mktows/marketo/internal/soapwire"
	"github.com/mktows/marketo/internal/wiretime"
)

// TestEveryWireTimeKeepsTheSameOffsetRule checks that the SOAP timestamp,
// SOAP's campaignRunAt and REST's runAt write a time in its own offset when
// it is whole minutes, and in UTC (the same instant) when it has seconds.
func TestEveryWireTimeKeepsTheSameOffsetRule(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in                    time.Time
		timestamp, soap, rest string
	}{
		{time.Date(2026, 12, 1, 9, 30, 0, 0, time.FixedZone("NPT", 5*3600+45*60)),
			"2026-12-01T09:30:00+05:45", "2026-12-01T09:30:00+05:45", "2026-12-01T09:30:00+0545"},
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 19*60+32)),
			"1899-12-31T23:40:28+00:00", "1899-12-31T23:40:28+00:00", "1899-12-31T23:40:28+0000"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.timestamp, string(soapwire.AppendTimestamp(nil, tc.in)))
		assert.Equal(t, tc.soap, soapwire.FormatDateTime(tc.in))
		assert.Equal(t, tc.rest, restwire.FormatRunAt(tc.in))
		assert.True(t, wiretime.WritableOffset(tc.in).Equal(tc.in), "the same instant")
	}
}
