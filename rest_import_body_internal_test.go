package marketo

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/mktows/marketo/internal/csvrec"
	"github.com/mktows/marketo/internal/restwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testBoundary = "mktows-test-boundary"

// restRows are awkwardRows as a REST import takes them: every value but
// those CSV readers cannot read back as written (a lone carriage return).
func restRows(n int) [][]string {
	rows := awkwardRows(n)
	for _, row := range rows {
		for j, v := range row {
			if strings.ContainsRune(v, '\r') {
				row[j] = "no cr"
			}
		}
	}
	return rows
}

func rowsSize(rows [][]string) int {
	n := 0
	for _, row := range rows {
		n += csvrec.LineSize(row)
	}
	return n
}

// uploadOf returns a reader of body as a request reads it, through gate.
func uploadOf(body *restwire.ImportBody, gate *requestBodyGate) io.Reader {
	return &gatedReader{gate: gate, chunks: body.Chunks()}
}

func TestImportBodyMatchesGolden(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"jane@example.com", "Jane", `Doe, "JD"`},
		{"li@example.com", "Li", "Wang\nJr"},
		{"ana@example.com", " Ana", "Ünïcödé"},
	}
	body := restwire.NewImportBody(testBoundary, 1045, []string{"email", "firstName", "lastName"}, rows, rowsSize(rows))
	want, err := os.ReadFile(filepath.Join("testdata", "rest", "bulk_import_body.txt"))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(body.AppendTo(nil)))
}

func TestImportBodyReaderInSmallReads(t *testing.T) {
	t.Parallel()
	rows := restRows(50)
	body := restwire.NewImportBody(testBoundary, 99, []string{"a", "b", "c", "d"}, rows, rowsSize(rows))
	require.NoError(t, iotest.TestReader(uploadOf(body, &requestBodyGate{}), body.AppendTo(nil)))
	got, err := io.ReadAll(iotest.OneByteReader(uploadOf(body, &requestBodyGate{})))
	require.NoError(t, err)
	assert.Equal(t, body.AppendTo(nil), got)
}

func TestImportBodyReaderStopsWhenTheAttemptEnds(t *testing.T) {
	t.Parallel()
	rows := restRows(10)
	body := restwire.NewImportBody(testBoundary, 1, []string{"a", "b", "c", "d"}, rows, rowsSize(rows))
	gate := &requestBodyGate{}
	r := uploadOf(body, gate)
	_, err := r.Read(make([]byte, 16))
	require.NoError(t, err)
	gate.close()
	_, err = r.Read(make([]byte, 16))
	assert.ErrorIs(t, err, errAttemptOver, "the caller's rows are not read after the attempt")
}

// TestImportBodyMemoryIsFlat reads bodies of 1,000 and 20,000 rows: the
// allocations of reading one must not grow with its rows. It is not
// parallel: AllocsPerRun counts the allocations of the whole process, and
// the parallel tests start only after the sequential ones.
func TestImportBodyMemoryIsFlat(t *testing.T) {
	header := []string{"a", "b", "c", "d"}
	small, large := restRows(1000), restRows(20000)
	buf := make([]byte, 32<<10)
	allocs := func(rows [][]string) float64 {
		body := restwire.NewImportBody(testBoundary, 1, header, rows, rowsSize(rows))
		return testing.AllocsPerRun(5, func() {
			r := uploadOf(body, &requestBodyGate{})
			for {
				if _, err := r.Read(buf); err != nil {
					break
				}
			}
		})
	}
	a, b := allocs(small), allocs(large)
	assert.LessOrEqual(t, b, a+2, "reading 20x the rows allocates %v times, 1,000 rows %v", b, a)
}
