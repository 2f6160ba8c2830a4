package restwire

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The wire trace shows rows until those shown take maxTracedImport bytes
// or more, then one line for the rest: the first row's record at n−1, n
// and n+1 bytes of the cap.
func TestImportBodyTracedCap(t *testing.T) {
	t.Parallel()
	header := []string{"email"}
	small := []string{"a"} // "a\n": 2 bytes
	cases := map[int]struct{ shown int }{
		maxTracedImport - 1: {shown: 2}, // under the cap: the next row is shown too
		maxTracedImport:     {shown: 1},
		maxTracedImport + 1: {shown: 1},
	}
	for first, tc := range cases {
		t.Run(fmt.Sprint(first), func(t *testing.T) {
			t.Parallel()
			rows := append(sizedRows(first), small, small, small)
			body := NewImportBody(testBoundary, 7, header, rows, rowsSize(rows))
			whole := body.AppendTo(nil)
			head, tail := headAndTail(t, whole, rows)
			shownSize := rowsSize(rows[:tc.shown])
			want := string(whole[:len(head)+shownSize]) +
				fmt.Sprintf("[wire trace: %d more rows (%d bytes) sent, not shown]\n", len(rows)-tc.shown, rowsSize(rows)-shownSize) +
				string(tail)
			got := body.Traced()
			assert.Equal(t, len(want), len(got))
			assert.True(t, want == string(got), "the trace shows %d rows, then the line for the rest", tc.shown)
		})
	}
	// Rows of fewer bytes than the cap, with a head of any size, are shown
	// whole.
	rows := append(sizedRows(maxTracedImport-2), small)
	long := []string{strings.Repeat("h", 4096)}
	body := NewImportBody(testBoundary, 7, long, rows, rowsSize(rows))
	assert.True(t, string(body.AppendTo(nil)) == string(body.Traced()), "a trace of rows under the cap is the body")
}

// headAndTail returns the parts of a whole body around its rows.
func headAndTail(t *testing.T, whole []byte, rows [][]string) (head, tail []byte) {
	t.Helper()
	tailStart := len(whole) - len(appendImportTail(nil, testBoundary))
	headEnd := tailStart - rowsSize(rows)
	require.Positive(t, headEnd)
	return whole[:headEnd], whole[tailStart:]
}
