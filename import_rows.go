package marketo

import (
	"bytes"
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

// MaxImportRecordBytes caps one record of an import job's failures or
// warnings file, its line break included, and so each of its lines: a row
// of the job (at most one job's MaxImportJobBytes) and Marketo's reason. A
// larger record fails ImportRows.Next with an error matching
// ErrResponseTooLarge, once at most 4 KiB past the cap has been read:
// reading a file takes memory in proportion to this cap, not to the file
// or to a record a server never ends.
const MaxImportRecordBytes = MaxImportJobBytes + 64<<10

// ImportRows reads the rows Marketo failed or warned about in one REST bulk
// import job (Client.ImportFailures, Client.ImportWarnings), as the file
// arrives: memory does not grow with the rows (see MaxImportRecordBytes).
// Marketo sends the job's CSV with its reason appended as a last column
// ("Import Failure Reason", "Import Warning Reason"). Close it when done.
type ImportRows struct {
	body   io.ReadCloser
	capped *recordCap
	r      *csv.Reader
	header []string
	err    error // the error that ended reading, io.EOF at the end
	once   sync.Once
}

// newImportRows reads the header of the file in body.
func newImportRows(body io.ReadCloser) *ImportRows {
	return newImportRowsCapped(body, MaxImportRecordBytes)
}

// newImportRowsCapped is newImportRows with records capped at max bytes.
func newImportRowsCapped(body io.ReadCloser, max int64) *ImportRows {
	capped := &recordCap{r: body, max: max}
	r := csv.NewReader(capped)
	r.FieldsPerRecord = 0 // every record as long as the header
	rows := &ImportRows{body: body, capped: capped, r: r}
	header, err := rows.read()
	switch {
	case err == io.EOF:
		rows.err = io.EOF // no rows: Marketo sends an empty file
	case err != nil:
		rows.err = err
	case len(header) < 1:
		rows.err = badImportFile(errors.New("the header is empty"))
	default:
		rows.header = header[:len(header)-1]
	}
	return rows
}

// read reads the next record within the cap. Errors other than io.EOF
// are the cap's, a *ResponseError for a file that is not CSV, or the
// transport's.
func (r *ImportRows) read() ([]string, error) {
	rec, err := r.r.Read()
	if err == nil {
		end := r.r.InputOffset()
		if end-r.capped.recordStart > r.capped.max {
			err = r.capped.tooLarge()
		}
		r.capped.recordStart = end
	}
	switch {
	case err == nil || err == io.EOF:
		return rec, err
	case errors.Is(err, ErrResponseTooLarge):
		// The rest of the file is not read: stop it at once.
		_ = r.Close()
		return nil, badImportFile(err)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		err = badImportFile(err)
	}
	return nil, err
}

// recordCap passes a file to the CSV reader and fails it once a line, or
// the record being read, takes more than max bytes (MaxImportRecordBytes):
// the CSV reader would hold all of either in memory, however long.
type recordCap struct {
	r           io.Reader
	max         int64
	read        int64 // bytes passed on
	line        int64 // bytes passed on since the last line break
	recordStart int64 // where the record being read starts, as the CSV reader counts
	err         error
}

// csvReadAhead is how far the CSV reader may have read past the record it
// returns (its bufio.Reader's default size).
const csvReadAhead = 4096

func (c *recordCap) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	c.read += int64(n)
	if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
		c.line = int64(n - 1 - i)
	} else {
		c.line += int64(n)
	}
	if c.line > c.max || c.read-c.recordStart > c.max+csvReadAhead {
		c.err = c.tooLarge()
		return 0, c.err
	}
	return n, err
}

// tooLarge is the cause of the error for a record over the cap.
func (c *recordCap) tooLarge() error {
	return withDetail(ErrResponseTooLarge, ": a record is longer than MaxImportRecordBytes (%d bytes)", c.max)
}

// Header returns the file's columns, REST field names, without the reason
// column. Marketo may leave out a column the import had (one empty in the
// failed rows), so read rows by this header, not the import's.
func (r *ImportRows) Header() []string { return r.header }

// Next returns the next row, or io.EOF after the last one. Any other error
// is a *ResponseError (the file is not CSV, or a record is longer than
// MaxImportRecordBytes, which also matches ErrResponseTooLarge and closes
// the file) or the transport's, and is returned again by every later call.
func (r *ImportRows) Next() (ImportRow, error) {
	if r.err != nil {
		return ImportRow{}, r.err
	}
	rec, err := r.read()
	if err != nil {
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
