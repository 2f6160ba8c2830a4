package marketo

import (
	"errors"
	"fmt"
)

// MaxImportJobBytes is the most bytes the SDK sends in one REST bulk import
// job. Marketo takes import files of up to 10 MB and refuses a bulk import
// body over 10 MB with HTTP 413, without saying whether a MB is 10^6 or
// 2^20 bytes; the SDK keeps the whole request body (the form fields, the
// file part's headers and the CSV header included) within 10^6 × 10 bytes,
// which meets every reading. ImportToList splits larger imports into
// several jobs on row boundaries.
const MaxImportJobBytes = 10_000_000

// importJob is one part of an import: the rows Rows[first:end], whose CSV
// records take size bytes.
type importJob struct {
	first, end int
	size       int
}

// splitImport splits rows into jobs, in order, each of at most limit bytes
// of body when overhead bytes of the body are not rows. A row is never
// split: one whose record does not fit in a job by itself is a
// *ValidationError naming it, as is the header when it leaves no room for
// rows.
func splitImport(rows [][]string, overhead, limit int) ([]importJob, error) {
	budget := limit - overhead
	if budget < 2 { // not even a one-character row fits
		return nil, &ValidationError{Field: "Header", Rule: fmt.Sprintf(
			"takes %d bytes of each REST import job, which has room for %d (Marketo takes at most 10 MB per import); shorten the column names",
			overhead, limit)}
	}
	var errs []error
	problems := 0
	var jobs []importJob
	cur := importJob{}
	for i, row := range rows {
		n := csvLineSize(row)
		if n > budget {
			problems++
			if problems <= maxRowProblems {
				errs = append(errs, &ValidationError{Field: fmt.Sprintf("Rows[%d]", i), Rule: fmt.Sprintf(
					"takes %d bytes as a CSV record, more than the %d bytes one REST import job has room for (Marketo takes at most 10 MB per import); shorten its values",
					n, max(budget, 0))})
			}
			continue
		}
		if cur.size+n > budget {
			jobs = append(jobs, cur)
			cur = importJob{first: i}
		}
		cur.end = i + 1
		cur.size += n
	}
	if problems > maxRowProblems {
		errs = append(errs, &ValidationError{Field: "Rows", Rule: fmt.Sprintf("%d more rows are too large", problems-maxRowProblems)})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if cur.end > cur.first || len(jobs) == 0 {
		jobs = append(jobs, cur)
	}
	return jobs, nil
}
