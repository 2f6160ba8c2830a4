package marketo

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ImportMode says what ImportToList does with the leads in the file.
type ImportMode string

// The import modes Marketo accepts.
const (
	// ImportModeUpsertLeads creates or updates the leads from the file and
	// adds them to the list.
	ImportModeUpsertLeads ImportMode = "UPSERTLEADS"
	// ImportModeListOnly adds existing leads to the list without changing
	// them; rows for unknown leads are ignored.
	ImportModeListOnly ImportMode = "LISTONLY"
)

// ImportStatus is the state of an import to a list.
type ImportStatus string

// The import states Marketo reports. A value outside these is passed on as
// received; Known reports whether it is one of them.
const (
	ImportProcessing ImportStatus = "PROCESSING" // the import is running
	ImportComplete   ImportStatus = "COMPLETE"   // the import finished
	ImportFailed     ImportStatus = "FAILED"     // the import stopped with an error
	ImportCanceled   ImportStatus = "CANCELED"   // the import was cancelled
)

// Known reports whether s is one of the documented import states.
func (s ImportStatus) Known() bool {
	switch s {
	case ImportProcessing, ImportComplete, ImportFailed, ImportCanceled:
		return true
	}
	return false
}

// Done reports whether s is a final state: complete, failed or cancelled.
func (s ImportStatus) Done() bool {
	return s == ImportComplete || s == ImportFailed || s == ImportCanceled
}

// maxRowProblems caps how many row problems one validation error lists.
const maxRowProblems = 50

// ImportToListParams are the parameters of ImportToList: a CSV file, given
// as a header and rows of fields that the SDK encodes.
//
// Header names are lead field display names as the Marketo UI shows them
// (e.g. "Email Address"), optionally followed by My Token columns, whose
// values apply per lead to CampaignName's next run (SOAP only; on REST,
// REST field names such as "email" are taken too). A token column must be
// written in the full "{{my.name}}" form: header names are sent exactly as
// given, and a name such as "my.name" is sent as a lead field name.
type ImportToListParams struct {
	// ProgramName is the program that contains the list. Required on SOAP.
	// On REST it is optional: without it the list is found by ListName
	// alone, wherever it lives (a list in a folder has no program), and a
	// name that several lists carry is an *AmbiguousNameError. Must be
	// empty when ListID is set.
	ProgramName string
	// ListName is the static list the leads are added to. Required unless
	// ListID is set; must be empty when it is.
	ListName string
	// ListID is the static list's ID, REST API only: it skips the lookup
	// of the list by name. The SOAP API names lists only, so a SOAP client
	// refuses it.
	ListID int
	// Mode is ImportModeUpsertLeads or ImportModeListOnly. Required.
	Mode ImportMode
	// ClearList empties the list before the import. It is always sent.
	ClearList bool
	// CampaignName is the campaign of the program whose next run uses the
	// token columns. Required when Header has a {{my.name}} column.
	CampaignName string
	// Header names the columns: lead field display names first, then any
	// {{my.name}} token columns. Required; names must be non-blank, without
	// leading or trailing spaces, and unique (token names are compared
	// without regard to case, as Marketo does).
	Header []string
	// Rows are the leads, one value per Header column, each sent as one CSV
	// record. Values are sent exactly, spaces, commas, quotes and line
	// feeds included; a value with a carriage return followed by a line
	// feed is refused, because CSV readers turn that pair into a line feed.
	Rows [][]string
}

// ImportToListResult is Marketo's answer to ImportToList.
type ImportToListResult struct {
	// Status is usually ImportProcessing: the import runs in the
	// background. Follow it with WaitForImports (or GetImportToListStatus
	// and WaitForImport), which also report why an import ended
	// ImportFailed or ImportCanceled. A value outside the ImportStatus
	// constants is passed on as received.
	Status ImportStatus
	// ProgramName and ListName name the list, as given.
	ProgramName string
	ListName    string
	// ListID is the list's ID on REST, as given or as looked up; zero on
	// SOAP.
	ListID int
	// ImportIDs are the REST bulk import jobs (batch IDs) Marketo accepted,
	// in the order of the rows they hold: one per 10 MB of rows (see
	// MaxImportJobBytes). Follow each with GetImportToListStatusParams.ImportID,
	// or all of them with WaitForImports. Empty on SOAP.
	ImportIDs []string
	// FinalStatus is set when the import ran during the call (REST's
	// ImportModeListOnly, which adds existing leads to the list directly):
	// Status is then ImportComplete and FinalStatus counts the rows added
	// and ignored. Nil when the import runs in the background.
	FinalStatus *ImportToListStatus
	// Metadata is what Marketo said about the call: on REST the
	// requestIds and warnings of every bulk import job, or of every
	// request that added leads to the list (see ResultMetadata).
	Metadata ResultMetadata
}

// Validate checks p as ImportToList does before sending anything, with the
// rules both APIs share. It returns nil, or an error joining a
// *ValidationError for every problem (row problems after the first 50 are
// counted in one more error).
func (p ImportToListParams) Validate() error { return p.validate() }

// validate checks p with the rules both APIs share; each wire adds its
// own (backend.check).
func (p ImportToListParams) validate() error {
	errs := checkListNaming(nil, p.ListID, p.ProgramName, p.ListName)
	return errors.Join(p.checkFile(errs)...)
}

// checkFile appends the problems of every parameter but the list's names
// (see checkListNaming).
func (p ImportToListParams) checkFile(errs []error) []error {
	switch p.Mode {
	case ImportModeUpsertLeads, ImportModeListOnly:
	case "":
		errs = append(errs, &ValidationError{Field: "Mode", Rule: "is required: ImportModeUpsertLeads or ImportModeListOnly"})
	default:
		errs = append(errs, &ValidationError{Field: "Mode", Rule: fmt.Sprintf("%q is not an import mode; want UPSERTLEADS or LISTONLY", string(p.Mode))})
	}
	tokenCols, errs := checkHeader(p.Header, errs)
	switch {
	case p.CampaignName != "":
		errs = requireText(errs, "CampaignName", p.CampaignName)
	case tokenCols > 0:
		errs = append(errs, &ValidationError{Field: "CampaignName", Rule: "is required when Header has My Token columns: it names the campaign that uses them"})
	}
	problems := 0
	for i, row := range p.Rows {
		var rowErrs []error
		if len(row) != len(p.Header) {
			rowErrs = append(rowErrs, &ValidationError{Field: fmt.Sprintf("Rows[%d]", i), Rule: fmt.Sprintf("has %d fields; want %d, one per Header column", len(row), len(p.Header))})
		}
		for j, v := range row {
			if err := checkCSVValue(v); err != nil {
				rowErrs = append(rowErrs, &ValidationError{Field: fmt.Sprintf("Rows[%d][%d]", i, j), Rule: err.Error()})
			}
		}
		if len(rowErrs) > 0 {
			problems++
			if problems <= maxRowProblems {
				errs = append(errs, rowErrs...)
			}
		}
	}
	if problems > maxRowProblems {
		errs = append(errs, &ValidationError{Field: "Rows", Rule: fmt.Sprintf("%d more rows have problems", problems-maxRowProblems)})
	}
	return errs
}

// checkHeader checks the header names and returns how many are token
// columns.
func checkHeader(header []string, errs []error) (int, []error) {
	if len(header) == 0 {
		return 0, append(errs, &ValidationError{Field: "Header", Rule: "is required: name at least one lead field column"})
	}
	tokens, fields := 0, 0
	seen := make(map[string]int, len(header))
	for i, name := range header {
		field := fmt.Sprintf("Header[%d]", i)
		before := len(errs)
		errs = requireText(errs, field, name)
		if len(errs) == before && strings.TrimSpace(name) != name {
			errs = append(errs, &ValidationError{Field: field, Rule: fmt.Sprintf("%q has leading or trailing spaces", name)})
		}
		if len(errs) == before {
			if err := checkCSVValue(name); err != nil {
				errs = append(errs, &ValidationError{Field: field, Rule: err.Error()})
			}
		}
		if len(errs) > before {
			continue
		}
		key := name
		if strings.ContainsAny(name, "{}") {
			// The name has braces, so a valid one is already in the
			// {{my.name}} form.
			if _, err := normalizeTokenName(name); err != nil {
				errs = append(errs, &ValidationError{Field: field, Rule: err.Error()})
				continue
			}
			tokens++
			key = "{{" + strings.ToLower(name)
		} else {
			if tokens > 0 {
				errs = append(errs, &ValidationError{Field: field, Rule: fmt.Sprintf("lead field column %q comes after a My Token column; token columns go last", name)})
			}
			fields++
		}
		if j, dup := seen[key]; dup {
			errs = append(errs, &ValidationError{Field: field, Rule: fmt.Sprintf("column %q is given twice (also Header[%d])", name, j)})
		} else {
			seen[key] = i
		}
	}
	if fields == 0 && tokens > 0 {
		errs = append(errs, &ValidationError{Field: "Header", Rule: "has no lead field column; My Token columns follow lead field columns"})
	}
	return tokens, errs
}

// checkCSVValue reports a value that cannot travel exactly in a CSV record
// inside XML.
func checkCSVValue(v string) error {
	if err := checkXMLText(v); err != nil {
		return err
	}
	if strings.Contains(v, "\r\n") {
		return errors.New(`contains a carriage return followed by a line feed, which CSV readers turn into a single line feed; use "\n"`)
	}
	return nil
}

// ImportToList starts an import of leads from a CSV file into a static list
// (Marketo's importToList on SOAP, its bulk lead import on REST). The import
// runs in the background: follow it with GetImportToListStatus or
// WaitForImport. The rows are streamed, never copied, and read until
// ImportToList returns; every row and the request's size are checked before
// anything is sent.
//
// On REST the list and the header's display names are looked up (and
// cached), an import over MaxImportJobBytes is split into jobs submitted one
// after another (ImportIDs), and ImportModeListOnly adds existing leads
// during the call; docs/moving-from-soap.md has the details. On failure the
// error is an *OperationError; errors.Is(err, ErrOutcomeUnknown) tells
// whether the import may have started all the same.
func (c *Client) ImportToList(ctx context.Context, p ImportToListParams, opts ...CallOption) (*ImportToListResult, error) {
	s, optErr := callOptions(opts)
	if err := c.refused(ctx, opImportToList, p.validate(), &p, optErr); err != nil {
		return nil, err
	}
	return c.backend.forCall(s).importToList(ctx, &p)
}
