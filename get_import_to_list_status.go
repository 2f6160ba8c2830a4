package marketo

import (
	"context"
	"errors"
	"time"
)

// GetImportToListStatusParams name the import to follow: the latest import
// to a list.
type GetImportToListStatusParams struct {
	// ProgramName is the program that contains the list. Required.
	ProgramName string
	// ListName is the static list of the import. Required.
	ListName string
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
	// sent none.
	ImportSummary string
}

// Validate checks p as GetImportToListStatus does before sending anything.
// It returns nil, or an error joining a *ValidationError for every problem.
func (p GetImportToListStatusParams) Validate() error { return p.validate(apiAny) }

func (p GetImportToListStatusParams) validate(api) error {
	_, err := p.wire()
	return err
}

func (p GetImportToListStatusParams) wire() (*paramsGetImportToListStatus, error) {
	var errs []error
	errs = requireText(errs, "ProgramName", p.ProgramName)
	errs = requireText(errs, "ListName", p.ListName)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &paramsGetImportToListStatus{ProgramName: p.ProgramName, ListName: p.ListName}, nil
}

// GetImportToListStatus returns the state of the latest import to a list
// (Marketo's getImportToListStatus). Marketo asks callers to poll it no more
// than once a minute; WaitForImport does so.
//
// An answer without a status is a *ResponseError. On failure the error is an
// *OperationError.
func (c *Client) GetImportToListStatus(ctx context.Context, p GetImportToListStatusParams) (*ImportToListStatus, error) {
	if err := p.validate(c.api); err != nil {
		return nil, invalid(opGetImportToListStatus, err)
	}
	return c.backend.getImportToListStatus(ctx, &p)
}

func optTime(x xsDateTime) *time.Time {
	if !x.Valid {
		return nil
	}
	t := x.Value
	return &t
}

func optInt(x xsInt) *int {
	if !x.Valid {
		return nil
	}
	n := int(x.Value)
	return &n
}
