package marketo

import (
	"encoding/csv"
	"errors"
	"io"
	"sync"
)

// ImportRow is one row of a REST import job's failures or warnings file:
// the row's values and Marketo's reason.
type ImportRow struct {
	// Fields are the row's values, one per column of ImportRows.Header.
	Fields []string
	// Reason is why Marketo failed the row or warned about it, e.g.
	// "Value for lookup field 'email' not found".
	Reason string
}

// ImportRows reads the rows Marketo failed or warned about in one REST bulk
// import job (Client.ImportFailures, Client.ImportWarnings), as the file
// arrives: memory does not grow with the rows. Marketo sends the job's CSV
// with its reason appended as a last column ("Import Failure Reason",
// "Import Warning Reason"). Close it when done.
type ImportRows struct {
	body   io.ReadCloser
	r      *csv.Reader
	header []string
	err    error // the error that ended reading, io.EOF at the end
	once   sync.Once
}

// newImportRows reads the header of the file in body.
func newImportRows(body io.ReadCloser) *ImportRows {
	r := csv.NewReader(body)
	r.FieldsPerRecord = 0 // every record as long as the header
	rows := &ImportRows{body: body, r: r}
	header, err := r.Read()
	switch {
	case err == io.EOF:
		rows.err = io.EOF // no rows: Marketo sends an empty file
	case err != nil:
		rows.err = badImportFile(err)
	case len(header) < 1:
		rows.err = badImportFile(errors.New("the header is empty"))
	default:
		rows.header = header[:len(header)-1]
	}
	return rows
}

// Header returns the file's columns, REST field names, without the reason
// column. Marketo may leave out a column the import had (one empty in the
// failed rows), so read rows by this header, not the import's.
func (r *ImportRows) Header() []string { return r.header }

// Next returns the next row, or io.EOF after the last one. Any other error
// is a *ResponseError (the file is not CSV) or the transport's, and is
// returned again by every later call.
func (r *ImportRows) Next() (ImportRow, error) {
	if r.err != nil {
		return ImportRow{}, r.err
	}
	rec, err := r.r.Read()
	if err != nil {
		if err != io.EOF {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				err = badImportFile(err)
			}
		}
		r.err = err
		return ImportRow{}, err
	}
	n := len(rec) - 1
	return ImportRow{Fields: rec[:n:n], Reason: rec[n]}, nil
}

// Close ends the reading and releases the connection.
func (r *ImportRows) Close() error {
	var err error
	r.once.Do(func() { err = r.body.Close() })
	return err
}

func badImportFile(err error) error {
	return &ResponseError{HTTPStatus: 200, ContentType: "text/csv", Reason: "the file is not the CSV Marketo sends", Err: err}
}
