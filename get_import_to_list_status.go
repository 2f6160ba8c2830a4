package marketo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// GetImportToListStatusParams name the import to follow: on SOAP the
// latest import to a list, on REST one bulk import job.
type GetImportToListStatusParams struct {
	// ProgramName is the program that contains the list. Required on SOAP;
	// optional on REST, where it only names the list in errors.
	ProgramName string
	// ListName is the static list of the import. Required on SOAP; optional
	// on REST, like ProgramName.
	ListName string
	// ImportID is the REST bulk import job to follow, one of
	// ImportToListResult.ImportIDs. Required on REST; refused on SOAP,
	// which follows the latest import to the list.
	ImportID string
}

// ImportToListStatus is the state of an import to a list. Marketo leaves out
// (or sends as nil) what it does not know yet, such as the end time of a
// running import; those fields are nil here, so an unknown value is never
// mistaken for a zero.
type ImportToListStatus struct {
	// Status is the import's state. A value outside the ImportStatus
	// constants is passed on as received (see ImportStatus.Known).
	Status ImportStatus
	// StartedTime is when the import started, in the offset Marketo gave.
	StartedTime *time.Time
	// EndedTime is when the import ended; nil while it runs.
	EndedTime *time.Time
	// EstimatedTime is Marketo's estimate of the time left, as Marketo
	// gives it (an integer whose unit Marketo does not document).
	EstimatedTime *int
	// EstimatedRows is how many rows Marketo expects to process.
	EstimatedRows *int
	// RowsImported, RowsFailed and RowsIgnored count the rows processed so
	// far by outcome.
	RowsImported *int
	RowsFailed   *int
	RowsIgnored  *int
	// ImportSummary is Marketo's text summary of the import; empty when it
	// sent none. On REST, the job's message.
	ImportSummary string

	// ImportID is the REST bulk import job (batch ID); empty on SOAP.
	ImportID string
	// RawStatus is the job's status as REST sent it (Queued, Importing,
	// Complete, Failed): Status maps both Queued and Importing to
	// ImportProcessing. Empty on SOAP, whose Status is Marketo's own.
	RawStatus string
	// RowsWithWarning counts the rows imported with a warning (REST's
	// numOfRowsWithWarning); nil on SOAP. On REST RowsImported is
	// numOfLeadsProcessed, RowsFailed numOfRowsFailed, and RowsIgnored,
	// the times and the estimates are nil: REST does not report them.
	RowsWithWarning *int
	// Metadata is what Marketo said about the call: on REST the requestId
	// and warnings of the status request (see ResultMetadata; a combined
	// status of WaitForImports holds those of each job's last poll, and
	// FinalStatus those of ImportToListResult).
	Metadata ResultMetadata
}

// Validate checks p as GetImportToListStatus does before sending anything,
// with the rules both APIs share: the import is named by ImportID (REST) or
// by ProgramName and ListName (SOAP). It returns nil, or an error joining a
// *ValidationError for every problem.
func (p GetImportToListStatusParams) Validate() error { return p.validate() }

// validate checks p with the rules both APIs share: the job's ID (REST),
// or else the list's names (SOAP); each wire adds its own (backend.check).
func (p GetImportToListStatusParams) validate() error {
	var errs []error
	if p.ImportID == "" {
		errs = requireText(errs, "ProgramName", p.ProgramName)
		return errors.Join(requireText(errs, "ListName", p.ListName)...)
	}
	errs = checkImportID(errs, "ImportID", p.ImportID)
	for _, f := range []struct{ name, value string }{{"ProgramName", p.ProgramName}, {"ListName", p.ListName}} {
		if f.value != "" {
			errs = requireText(errs, f.name, f.value)
		}
	}
	return errors.Join(errs...)
}

// checkImportID appends an error unless id is a REST batch ID: a positive
// decimal integer, as ImportToListResult.ImportIDs holds them.
func checkImportID(errs []error, field, id string) []error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != id {
		return append(errs, &ValidationError{Field: field, Rule: fmt.Sprintf("%q is not an import ID; want a REST batch ID such as \"3404\"", id)})
	}
	return errs
}

// GetImportToListStatus returns the state of the latest import to a list
// (Marketo's getImportToListStatus), or on REST of one bulk import job
// (GET /bulk/v1/leads/batch/{ImportID}.json). Marketo asks callers to poll
// no more than once a minute on SOAP, every 5 to 30 seconds on REST;
// WaitForImport does so.
//
// An answer without a status is a *ResponseError. On failure the error is an
// *OperationError.
func (c *Client) GetImportToListStatus(ctx context.Context, p GetImportToListStatusParams, opts ...CallOption) (*ImportToListStatus, error) {
	s, optErr := callOptions(opts)
	if err := c.refused(ctx, opGetImportToListStatus, p.validate(), &p, optErr); err != nil {
		return nil, err
	}
	return c.backend.forCall(s).getImportToListStatus(ctx, &p)
}
