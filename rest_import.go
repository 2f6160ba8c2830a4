package marketo

import (
	"context"
	"errors"
	"time"

	"github.com/mktows/marketo/internal/restwire"
)

// ImportToList on REST: find the list's ID and the tenant's lead fields,
// translate the header, split the rows into jobs of at most
// MaxImportJobBytes, and submit the jobs in order to POST /bulk/v1/leads.json
// (ImportModeUpsertLeads), or add the existing leads to the list
// (ImportModeListOnly, rest_import_listonly.go).

// MaxImportJobBytes is the most bytes the SDK sends in one REST bulk import
// job. Marketo takes import files of up to 10 MB and refuses a bulk import
// body over 10 MB with HTTP 413, without saying whether a MB is 10^6 or
// 2^20 bytes; the SDK keeps the whole request body (the form fields, the
// file part's headers and the CSV header included) within 10^6 × 10 bytes,
// which meets every reading. ImportToList splits larger imports into
// several jobs on row boundaries.
const MaxImportJobBytes = 10_000_000

// restImportHooks are the REST calls an import makes, as functions so that
// tests can follow its steps apart from HTTP (see restBackend.importHooks).
type restImportHooks struct {
	listID    func(ctx context.Context, program, list string) (int, error)
	fields    func(ctx context.Context) (*restwire.LeadFieldNames, error)
	submit    func(ctx context.Context, body *restwire.ImportBody) (*restImportBatch, error)
	findLeads func(ctx context.Context, emails []string) ([]restLead, error)
	addToList func(ctx context.Context, listID int, ids []int) ([]restListMember, ResultMetadata, error)
	// jobStatus reads one job's status: a split import waits for its
	// previous job to end before it submits the next to the same list.
	jobStatus func(ctx context.Context, importID string) (ImportStatus, error)
	boundary  func() string
	limit     int           // bytes per job, MaxImportJobBytes but in tests
	pollEvery time.Duration // between two reads of a job's status
}

// importToList runs ImportToList for validated params: the header is
// translated first, so that a column to fix is reported before the list is
// looked up.
func (w *restImportHooks) importToList(ctx context.Context, p *ImportToListParams) (*ImportToListResult, error) {
	header, err := w.restHeader(ctx, p)
	if err != nil {
		return nil, err
	}
	listID := p.ListID
	if listID == 0 {
		if listID, err = w.listID(ctx, p.ProgramName, p.ListName); err != nil {
			return nil, err
		}
	}
	if p.Mode == ImportModeListOnly {
		return w.listOnly(ctx, p, listID, header)
	}
	return w.upsert(ctx, p, listID, header)
}

// restHeader returns the REST field names of p's header, or the
// *OperationError of a lookup that failed or of a header that names no
// field.
func (w *restImportHooks) restHeader(ctx context.Context, p *ImportToListParams) ([]string, error) {
	fields, err := w.fields(ctx)
	if err != nil {
		return nil, err
	}
	header, err := fields.Translate(p.Header)
	if err != nil {
		return nil, invalid(opImportToList, publicRESTError(err, codecAnswer{}))
	}
	return header, nil
}

// upsert imports p's rows, translated to header, into the list listID:
// one bulk import job per MaxImportJobBytes, in order.
func (w *restImportHooks) upsert(ctx context.Context, p *ImportToListParams, listID int, header []string) (*ImportToListResult, error) {
	boundary := w.boundary()
	overhead := int(restwire.NewImportBody(boundary, listID, header, nil, 0).Size())
	jobs, err := restwire.SplitImport(p.Rows, overhead, w.limit, maxRowProblems)
	if err != nil {
		return nil, invalid(opImportToList, publicRESTError(err, codecAnswer{}))
	}
	ids := make([]string, 0, len(jobs))
	var md ResultMetadata
	for _, j := range jobs {
		if len(ids) > 0 {
			// Marketo refuses a job for a list that is still importing
			// (1019): wait for our own previous job rather than spend
			// the retry policy's attempts on a refusal we can foresee.
			if err := w.awaitJob(ctx, ids[len(ids)-1]); err != nil {
				return nil, incomplete(err, ids, j.First)
			}
		}
		body := restwire.NewImportBody(boundary, listID, header, p.Rows[j.First:j.End], j.Size)
		// submit repeats a job refused because the queue or the list is
		// busy (1016, 1019, 1029) within the RetryPolicy; one still
		// refused after that ends the import.
		batch, err := w.submit(ctx, body)
		if err != nil {
			return nil, incomplete(err, ids, j.First)
		}
		ids = append(ids, batch.id())
		md.merge(batch.meta)
	}
	return &ImportToListResult{Status: ImportProcessing, ProgramName: p.ProgramName, ListName: p.ListName, ListID: listID,
		ImportIDs: ids, Metadata: md}, nil
}

// awaitJob reads the status of job id, at once and then every pollEvery,
// until it is no longer queued or importing. A job that failed frees the
// list as one that completed does; WaitForImports reports it.
func (w *restImportHooks) awaitJob(ctx context.Context, id string) error {
	for {
		st, err := w.jobStatus(ctx, id)
		if err != nil || st != ImportProcessing {
			return err
		}
		if err := sleepCtx(ctx, w.pollEvery); err != nil {
			return &OperationError{Operation: opImportToList.method, Err: err}
		}
	}
}

// incomplete returns err, the error of the job from row next, as the error
// of the whole import: an *ImportIncompleteError when earlier rows were
// imported, which means something was sent.
func incomplete(err error, ids []string, next int) error {
	if next == 0 {
		return err
	}
	var oe *OperationError
	if !errors.As(err, &oe) {
		return &OperationError{Operation: opImportToList.method, Sent: true, Err: &ImportIncompleteError{ImportIDs: ids, NextRow: next, Err: err}}
	}
	e := *oe
	e.Operation = opImportToList.method // a status read while waiting names its own
	e.Sent = true
	e.Err = &ImportIncompleteError{ImportIDs: ids, NextRow: next, Err: oe.Err}
	return &e
}
