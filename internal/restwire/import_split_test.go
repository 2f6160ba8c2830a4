package restwire

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mktows/marketo/internal/csvrec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxProblems and marketoLimit are the SDK's cap on the row problems one
// error lists and its bytes per import job.
const (
	maxProblems  = 50
	marketoLimit = 10_000_000
)

// paramErrors returns the *ParamErrors err holds, in order.
func paramErrors(err error) []*ParamError {
	var out []*ParamError
	switch e := err.(type) {
	case *ParamError:
		out = append(out, e)
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			out = append(out, paramErrors(inner)...)
		}
	}
	return out
}

// sizedRows returns rows whose CSV lines take exactly the given sizes (each
// at least 2: a value and the line feed).
func sizedRows(sizes ...int) [][]string {
	rows := make([][]string, len(sizes))
	for i, n := range sizes {
		rows[i] = []string{strings.Repeat("x", n-1)}
	}
	return rows
}

// checkJobs asserts that jobs cover rows in order, without an empty job,
// and that each job's body, built as ImportToList builds it, fits limit.
func checkJobs(t *testing.T, rows [][]string, jobs []Job, header []string, limit int) {
	t.Helper()
	next := 0
	for i, j := range jobs {
		require.Equal(t, next, j.First, "job %d starts where the one before ended", i)
		require.True(t, j.End > j.First || len(rows) == 0, "job %d is empty", i)
		require.Equal(t, rowsSize(rows[j.First:j.End]), j.Size, "job %d size", i)
		body := NewImportBody(testBoundary, 1234, header, rows[j.First:j.End], j.Size)
		require.LessOrEqual(t, body.Size(), int64(limit), "job %d body", i)
		require.Len(t, body.AppendTo(nil), int(body.Size()))
		next = j.End
	}
	require.Equal(t, len(rows), next, "every row is in a job")
}

// import_split.go's last-job condition `cur.End > cur.First ||
// len(jobs) == 0` turned to `cur.End >= cur.First` is an equivalent mutant:
// a job is started only for the row added to it next, so the last one is
// empty only when no row fitted at all, and then jobs is empty and the
// second operand holds either way. TestSplitImportBoundaries ("no rows")
// pins the condition's negations.

func TestSplitImportBoundaries(t *testing.T) {
	t.Parallel()
	header := []string{"email"}
	overhead := int(NewImportBody(testBoundary, 1234, header, nil, 0).Size())
	budget := 100
	limit := overhead + budget
	for _, tc := range []struct {
		name  string
		sizes []int
		want  [][2]int // first, end of each job
	}{
		{"no rows", nil, [][2]int{{0, 0}}},
		{"one row that fills a job exactly", []int{100}, [][2]int{{0, 1}}},
		{"rows that fill a job exactly", []int{40, 60}, [][2]int{{0, 2}}},
		{"one byte over starts a new job", []int{40, 61}, [][2]int{{0, 1}, {1, 2}}},
		{"several jobs", []int{50, 50, 50, 50, 2}, [][2]int{{0, 2}, {2, 4}, {4, 5}}},
		{"a full row between small ones", []int{2, 100, 2}, [][2]int{{0, 1}, {1, 2}, {2, 3}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rows := sizedRows(tc.sizes...)
			jobs, err := SplitImport(rows, overhead, limit, maxProblems)
			require.NoError(t, err)
			var got [][2]int
			for _, j := range jobs {
				got = append(got, [2]int{j.First, j.End})
			}
			assert.Equal(t, tc.want, got)
			checkJobs(t, rows, jobs, header, limit)
		})
	}
}

func TestSplitImportRefusesRowsLargerThanAJob(t *testing.T) {
	t.Parallel()
	rows := sizedRows(10, 101, 5, 200)
	_, err := SplitImport(rows, 50, 150, maxProblems)
	errs := paramErrors(err)
	require.Len(t, errs, 2)
	assert.Equal(t, "Rows[1]", errs[0].Field)
	assert.Contains(t, errs[0].Rule, "takes 101 bytes")
	assert.Contains(t, errs[0].Rule, "100 bytes")
	assert.Equal(t, "Rows[3]", errs[1].Field)
}

func TestSplitImportCapsRowProblems(t *testing.T) {
	t.Parallel()
	sizes := make([]int, maxProblems+7)
	for i := range sizes {
		sizes[i] = 20
	}
	_, err := SplitImport(sizedRows(sizes...), 0, 10, maxProblems)
	errs := paramErrors(err)
	require.Len(t, errs, maxProblems+1)
	assert.Equal(t, "Rows", errs[maxProblems].Field)
	assert.Contains(t, errs[maxProblems].Rule, "7 more rows")
}

// TestSplitImportAtMarketosLimit splits about 25 MB of rows at the real
// limit: three jobs, each body within marketoLimit, the first two
// full to within one row.
func TestSplitImportAtMarketosLimit(t *testing.T) {
	t.Parallel()
	header := []string{"email", "firstName", "lastName", "company"}
	rows := make([][]string, 25_000)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("lead%d@example.com", i), "First, \"Name\"", strings.Repeat("L", 900+i%80), "Company"}
	}
	overhead := int(NewImportBody(testBoundary, 123456, header, nil, 0).Size())
	jobs, err := SplitImport(rows, overhead, marketoLimit, maxProblems)
	require.NoError(t, err)
	require.Len(t, jobs, 3)
	checkJobs(t, rows, jobs, header, marketoLimit)
	for _, j := range jobs[:2] {
		next := csvrec.LineSize(rows[j.End])
		assert.Greater(t, overhead+j.Size+next, marketoLimit, "a job ends only when the next row does not fit")
	}
}

// TestSplitImportRefusesAHeaderThatLeavesNoRoom: a header too large for a
// job is the header's problem, not every row's.
func TestSplitImportRefusesAHeaderThatLeavesNoRoom(t *testing.T) {
	t.Parallel()
	header := []string{strings.Repeat("h", 200)}
	overhead := int(NewImportBody(testBoundary, 1234, header, nil, 0).Size())
	_, err := SplitImport(sizedRows(2, 3), overhead, overhead+1, maxProblems)
	errs := paramErrors(err)
	require.Len(t, errs, 1, "%v", err)
	assert.Equal(t, "Header", errs[0].Field)
	assert.Contains(t, errs[0].Rule, "10 MB")
}

// TestSplitImportBudgetOfTwoBytes: a job has room for rows when the header
// leaves 2 bytes (a one-character value and its line feed); at 1 byte the
// header is refused. Pins import_split.go's `budget < 2` against
// `<=` (a 2-byte budget refused).
func TestSplitImportBudgetOfTwoBytes(t *testing.T) {
	t.Parallel()
	const overhead = 500
	_, err := SplitImport(sizedRows(2), overhead, overhead+1, maxProblems)
	errs := paramErrors(err)
	require.Len(t, errs, 1, "%v", err)
	assert.Equal(t, "Header", errs[0].Field)
	assert.Contains(t, errs[0].Rule, "takes 500 bytes of each REST import job, which has room for 501")

	for _, budget := range []int{2, 3} {
		jobs, err := SplitImport(sizedRows(2, 2), overhead, overhead+budget, maxProblems)
		require.NoError(t, err, "budget %d", budget)
		assert.Equal(t, []Job{{0, 1, 2}, {1, 2, 2}}, jobs, "budget %d: one 2-byte row per job", budget)
	}
}

// TestSplitImportRowProblemCapAt50: 50 rows too large are each named;
// the 51st is counted in a last error on Rows. Pins import_split.go's
// `problems > maxProblems` against `>=` (a "0 more rows" error at 50)
// and `problems <= maxProblems` against `<` (the 50th row unnamed).
func TestSplitImportRowProblemCapAt50(t *testing.T) {
	t.Parallel()
	for _, n := range []int{maxProblems - 1, maxProblems, maxProblems + 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			sizes := make([]int, n+1)
			for i := range n {
				sizes[i+1] = 11 // over the 10-byte budget
			}
			sizes[0] = 10 // fits: not a problem
			_, err := SplitImport(sizedRows(sizes...), 0, 10, maxProblems)
			errs := paramErrors(err)
			named := min(n, maxProblems)
			want := named
			if n > maxProblems {
				want++ // the count of the others
			}
			require.Len(t, errs, want, "%v", err)
			for i := range named {
				assert.Equal(t, fmt.Sprintf("Rows[%d]", i+1), errs[i].Field)
			}
			if n > maxProblems {
				assert.Equal(t, "Rows", errs[named].Field)
				assert.Equal(t, fmt.Sprintf("%d more rows are too large", n-maxProblems), errs[named].Rule)
			}
		})
	}
}
