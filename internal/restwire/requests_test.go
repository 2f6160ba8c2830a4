package restwire

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatRunAt(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 18, 5, 0, 999_000_000, time.FixedZone("", -5*3600))
	assert.Equal(t, "2026-12-01T18:05:00-0500", FormatRunAt(at), "its own offset, whole seconds")
	lmt := time.Date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 3600+1))
	assert.Equal(t, "1899-12-31T22:59:59+0000", FormatRunAt(lmt), "an offset with seconds is written in UTC")
}

func TestEncodeKeepsMarkupAsIs(t *testing.T) {
	t.Parallel()
	body, err := Encode(ScheduleRequest{Input: ScheduleInput{Tokens: []Token{{Name: "{{my.msg}}", Value: "<b>&</b>"}}}})
	require.NoError(t, err)
	assert.Equal(t, `{"input":{"tokens":[{"name":"{{my.msg}}","value":"<b>&</b>"}]}}`, string(body))
	body, err = Encode(ListLeadsRequest{Input: IDs([]int{1, 2})})
	require.NoError(t, err)
	assert.Equal(t, `{"input":[{"id":1},{"id":2}]}`, string(body))
}
