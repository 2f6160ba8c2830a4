package marketotest

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
)

// csvAnswer is a CSV file answered instead of an envelope (a bulk job's
// failures or warnings). It is written from rows that no longer change
// (a job's are fixed once it has ended), never copied into one buffer: an
// answer its client is slow to read then holds no copy of a file that can
// be many times the size of its import, however many such answers wait.
type csvAnswer struct {
	header []string
	rows   [][]string
	size   int64
}

// newCSVAnswer counts the file's bytes, encoding it once without keeping
// it, while the call is still at work: the answer's time limit is then
// spent on writing alone.
func newCSVAnswer(header []string, rows [][]string) *csvAnswer {
	a := &csvAnswer{header: header, rows: rows}
	var n countingWriter
	_ = a.encode(&n)
	a.size = int64(n)
	return a
}

// write answers the file with its exact Content-Length.
func (a *csvAnswer) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/csv;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.FormatInt(a.size, 10))
	_ = a.encode(w)
}

func (a *csvAnswer) encode(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(a.header); err != nil {
		return err
	}
	return cw.WriteAll(a.rows) // flushes as it goes: at most a buffer's worth is held
}

// countingWriter counts the bytes written to it and keeps none.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
