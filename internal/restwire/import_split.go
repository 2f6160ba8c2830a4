package restwire

import (
	"errors"
	"fmt"

	"github.com/mktows/marketo/internal/csvrec"
)

// Job is one part of an import: the rows Rows[First:End], whose CSV
// records take Size bytes.
type Job struct {
	First, End int
	Size       int
}

// SplitImport splits rows into jobs, in order, each of at most limit bytes
// of body when overhead bytes of the body are not rows. A row is never
// split: one whose record does not fit in a job by itself is a *ParamError
// naming it (after maxProblems of them, one more counts the rest), as is
// the header when it leaves no room for rows.
func SplitImport(rows [][]string, overhead, limit, maxProblems int) ([]Job, error) {
	budget := limit - overhead
	if budget < 2 { // not even a one-character row fits
		return nil, &ParamError{Field: "Header", Rule: fmt.Sprintf(
			"takes %d bytes of each REST import job, which has room for %d (Marketo takes at most 10 MB per import); shorten the column names",
			overhead, limit)}
	}
	var errs []error
	problems := 0
	var jobs []Job
	cur := Job{}
	for i, row := range rows {
		n := csvrec.LineSize(row)
		if n > budget {
			problems++
			if problems <= maxProblems {
				errs = append(errs, &ParamError{Field: fmt.Sprintf("Rows[%d]", i), Rule: fmt.Sprintf(
					"takes %d bytes as a CSV record, more than the %d bytes one REST import job has room for (Marketo takes at most 10 MB per import); shorten its values",
					n, max(budget, 0))})
			}
			continue
		}
		if cur.Size+n > budget {
			jobs = append(jobs, cur)
			cur = Job{First: i}
		}
		cur.End = i + 1
		cur.Size += n
	}
	if problems > maxProblems {
		errs = append(errs, &ParamError{Field: "Rows", Rule: fmt.Sprintf("%d more rows are too large", problems-maxProblems)})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if cur.End > cur.First || len(jobs) == 0 {
		jobs = append(jobs, cur)
	}
	return jobs, nil
}
