package marketo

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
func checkJobs(t *testing.T, rows [][]string, jobs []importJob, header []string, limit int) {
	t.Helper()
	next := 0
	for i, j := range jobs {
		require.Equal(t, next, j.first, "job %d starts where the one before ended", i)
		require.True(t, j.end > j.first || len(rows) == 0, "job %d is empty", i)
		require.Equal(t, rowsSize(rows[j.first:j.end]), j.size, "job %d size", i)
		body := newImportBody(testBoundary, 1234, header, rows[j.first:j.end], j.size)
		require.LessOrEqual(t, body.size(), int64(limit), "job %d body", i)
		require.Len(t, body.appendTo(nil), int(body.size()))
		next = j.end
	}
	require.Equal(t, len(rows), next, "every row is in a job")
}

func TestSplitImportBoundaries(t *testing.T) {
	t.Parallel()
	header := []string{"email"}
	overhead := int(newImportBody(testBoundary, 1234, header, nil, 0).size())
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
			jobs, err := splitImport(rows, overhead, limit)
			require.NoError(t, err)
			var got [][2]int
			for _, j := range jobs {
				got = append(got, [2]int{j.first, j.end})
			}
			assert.Equal(t, tc.want, got)
			checkJobs(t, rows, jobs, header, limit)
		})
	}
}

func TestSplitImportRefusesRowsLargerThanAJob(t *testing.T) {
	t.Parallel()
	rows := sizedRows(10, 101, 5, 200)
	_, err := splitImport(rows, 50, 150)
	errs := ValidationErrors(err)
	require.Len(t, errs, 2)
	assert.Equal(t, "Rows[1]", errs[0].Field)
	assert.Contains(t, errs[0].Rule, "takes 101 bytes")
	assert.Contains(t, errs[0].Rule, "100 bytes")
	assert.Equal(t, "Rows[3]", errs[1].Field)
}

func TestSplitImportCapsRowProblems(t *testing.T) {
	t.Parallel()
	sizes := make([]int, maxRowProblems+7)
	for i := range sizes {
		sizes[i] = 20
	}
	_, err := splitImport(sizedRows(sizes...), 0, 10)
	errs := ValidationErrors(err)
	require.Len(t, errs, maxRowProblems+1)
	assert.Equal(t, "Rows", errs[maxRowProblems].Field)
	assert.Contains(t, errs[maxRowProblems].Rule, "7 more rows")
}

// TestSplitImportAtMarketosLimit splits about 25 MB of rows at the real
// limit: three jobs, each body within MaxImportJobBytes, the first two
// full to within one row.
func TestSplitImportAtMarketosLimit(t *testing.T) {
	t.Parallel()
	header := []string{"email", "firstName", "lastName", "company"}
	rows := make([][]string, 25_000)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("lead%d@example.com", i), "First, \"Name\"", strings.Repeat("L", 900+i%80), "Company"}
	}
	overhead := int(newImportBody(testBoundary, 123456, header, nil, 0).size())
	jobs, err := splitImport(rows, overhead, MaxImportJobBytes)
	require.NoError(t, err)
	require.Len(t, jobs, 3)
	checkJobs(t, rows, jobs, header, MaxImportJobBytes)
	for _, j := range jobs[:2] {
		next := csvLineSize(rows[j.end])
		assert.Greater(t, overhead+j.size+next, MaxImportJobBytes, "a job ends only when the next row does not fit")
	}
}

// TestSplitImportRefusesAHeaderThatLeavesNoRoom: a header too large for a
// job is the header's problem, not every row's.
func TestSplitImportRefusesAHeaderThatLeavesNoRoom(t *testing.T) {
	t.Parallel()
	header := []string{strings.Repeat("h", 200)}
	overhead := int(newImportBody(testBoundary, 1234, header, nil, 0).size())
	_, err := splitImport(sizedRows(2, 3), overhead, overhead+1)
	errs := ValidationErrors(err)
	require.Len(t, errs, 1, "%v", err)
	assert.Equal(t, "Header", errs[0].Field)
	assert.Contains(t, errs[0].Rule, "10 MB")
}
