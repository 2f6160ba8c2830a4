package csvrec

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// Reader reads a CSV file one record at a time, each record capped at a
// number of bytes: its memory grows with that cap, not with the file nor
// with a record a server never ends. Every record has as many fields as
// the first.
type Reader struct {
	capped *recordCap
	r      *csv.Reader
}

// NewReader reads the CSV file in r, with records (and lines) capped at
// max bytes, line breaks included.
func NewReader(r io.Reader, max int64) *Reader {
	capped := &recordCap{r: r, max: max}
	cr := csv.NewReader(capped)
	cr.FieldsPerRecord = 0 // every record as long as the first
	return &Reader{capped: capped, r: cr}
}

// Read returns the next record, or io.EOF after the last one. A file that
// is not CSV, or a record over the cap, is a *FileError (the latter's Err a
// *TooLargeError); other errors are the reader's.
func (r *Reader) Read() ([]string, error) {
	rec, err := r.r.Read()
	if err == nil {
		end := r.r.InputOffset()
		if end-r.capped.recordStart > r.capped.max {
			err = r.capped.tooLarge()
		}
		r.capped.recordStart = end
	}
	var tl *TooLargeError
	var pe *csv.ParseError
	switch {
	case err == nil || err == io.EOF:
		return rec, err
	case errors.As(err, &tl), errors.As(err, &pe):
		return nil, &FileError{Err: err}
	}
	return nil, err
}

// FileError is a file that is not the CSV expected: Err says why (a
// *csv.ParseError, a *TooLargeError, or the reader's own reason).
type FileError struct{ Err error }

func (e *FileError) Error() string { return "not a CSV file: " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// BadFile is the error of a file whose content is not what the reader of
// its records expects, e.g. an empty header.
func BadFile(reason string) error { return &FileError{Err: errors.New(reason)} }

// TooLargeError is a record, or a line, longer than Max bytes.
type TooLargeError struct{ Max int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("a record is longer than %d bytes", e.Max)
}

// recordCap passes a file to the CSV reader and fails it once a line, or
// the record being read, takes more than max bytes: the CSV reader would
// hold all of either in memory, however long.
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

func (c *recordCap) tooLarge() error { return &TooLargeError{Max: c.max} }
