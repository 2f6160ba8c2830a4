package marketo

import (
	"context"
	"errors"
	"strings"
)

const waitForImports = "WaitForImports"

// WaitForImports waits until every job of one ImportToList has ended and
// returns their combined status: on SOAP it is WaitForImport of
// r.ProgramName and r.ListName; on REST it waits for each of r.ImportIDs in
// turn with the same options, and returns r.FinalStatus at once for an
// import that ran during the call (LISTONLY).
//
// The combined status is ImportComplete when every job completed, else
// ImportFailed; its row counts are the jobs' sums, ImportSummary joins their
// messages, and Metadata holds each job's last poll. A job that fails does
// not stop the wait for the others: the error is then its
// *ImportFailedError (several are joined). Any other error, and a done
// context, returns at once with the status of the jobs that had ended.
func (c *Client) WaitForImports(ctx context.Context, r *ImportToListResult, opts ...WaitOption) (*ImportToListStatus, error) {
	cfg, errs := c.waitConfig(opts)
	if r == nil {
		errs = append(errs, &ValidationError{Field: "result", Rule: "is nil; pass the result of ImportToList"})
	} else if c.api == apiREST && len(r.ImportIDs) == 0 && r.FinalStatus == nil {
		errs = append(errs, &ValidationError{Field: "result.ImportIDs", Rule: "is empty; pass the result of ImportToList on this client"})
	}
	if len(errs) > 0 {
		return nil, &OperationError{Operation: waitForImports, Err: errors.Join(errs...)}
	}
	if r.FinalStatus != nil {
		st := *r.FinalStatus
		if cfg.progress != nil {
			cfg.progress(st)
		}
		return &st, nil
	}
	if c.api != apiREST {
		p := GetImportToListStatusParams{ProgramName: r.ProgramName, ListName: r.ListName}
		if err := c.checked(opGetImportToListStatus, p.validate(), &p); err != nil {
			return nil, &OperationError{Operation: waitForImports, Err: err}
		}
		return c.waitForImport(ctx, p, cfg)
	}
	return c.waitForJobs(ctx, r, cfg)
}

// waitForJobs waits for each REST job of r in turn.
func (c *Client) waitForJobs(ctx context.Context, r *ImportToListResult, cfg waitConfig) (*ImportToListStatus, error) {
	var sum *ImportToListStatus
	var failures []error
	for _, id := range r.ImportIDs {
		p := GetImportToListStatusParams{ProgramName: r.ProgramName, ListName: r.ListName, ImportID: id}
		if err := c.checked(opGetImportToListStatus, p.validate(), &p); err != nil {
			return sum, &OperationError{Operation: waitForImports, Err: err}
		}
		st, err := c.waitForImport(ctx, p, cfg)
		var failed *ImportFailedError
		if err != nil && !errors.As(err, &failed) {
			return sum, err
		}
		if failed != nil {
			failures = append(failures, err)
		}
		sum = addJobStatus(sum, st, len(r.ImportIDs) > 1)
	}
	return sum, errors.Join(failures...)
}

// addJobStatus adds the final status of one job to sum, the combined status
// of the jobs before it, and returns the new sum.
func addJobStatus(sum, job *ImportToListStatus, several bool) *ImportToListStatus {
	if sum == nil {
		sum = &ImportToListStatus{Status: ImportComplete}
	}
	if job.Status != ImportComplete {
		sum.Status = ImportFailed
	}
	sum.RowsImported = addCount(sum.RowsImported, job.RowsImported)
	sum.RowsFailed = addCount(sum.RowsFailed, job.RowsFailed)
	sum.RowsIgnored = addCount(sum.RowsIgnored, job.RowsIgnored)
	sum.RowsWithWarning = addCount(sum.RowsWithWarning, job.RowsWithWarning)
	sum.Metadata.merge(job.Metadata)
	if msg := job.ImportSummary; msg != "" {
		if several {
			msg = job.ImportID + ": " + msg
		}
		sum.ImportSummary = strings.TrimPrefix(sum.ImportSummary+"; "+msg, "; ")
	}
	return sum
}

// addCount adds two counts either of which may be unknown (nil).
func addCount(a, b *int) *int {
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil:
		n := *b
		return &n
	case b == nil:
		return a
	}
	n := *a + *b
	return &n
}
