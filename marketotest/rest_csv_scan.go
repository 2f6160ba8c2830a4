package marketotest

import "bytes"

// csvShape is what a bulk import checks of its file when it is submitted:
// how many records it holds and where the first (the header) ends. The rows
// themselves are read when the job is applied, so a queued job holds its
// file once and nothing more.
type csvShape struct {
	records   int
	headerEnd int // offset just past the first record
}

// scanCSV reads data as encoding/csv does with Comma set to comma and
// default settings otherwise (no lazy quotes, any number of fields), but
// without building a record: it reports the file's shape, or false where
// csv.Reader reports an error (a bare quote in an unquoted field, a quote
// not followed by a delimiter or the end of the line, an unterminated
// quoted field). Empty lines are skipped and "\r\n" ends a line, as there.
// rest_csv_scan_test.go checks it against encoding/csv.
func scanCSV(data []byte, comma byte) (csvShape, bool) {
	var shape csvShape
	pos := 0
	for {
		pos = skipEmptyLines(data, pos)
		if pos >= len(data) {
			return shape, true
		}
		end, ok := scanRecord(data, pos, comma)
		if !ok {
			return shape, false
		}
		shape.records++
		if shape.records == 1 {
			shape.headerEnd = end
		}
		pos = end
	}
}

// skipEmptyLines skips lines holding only "\n" or "\r\n", and a last "\r".
func skipEmptyLines(data []byte, pos int) int {
	for pos < len(data) {
		switch {
		case data[pos] == '\n':
			pos++
		case data[pos] == '\r' && (pos+1 == len(data) || data[pos+1] == '\n'):
			pos += min(2, len(data)-pos)
		default:
			return pos
		}
	}
	return pos
}

// scanRecord reads the record starting at pos and returns the offset just
// past its line end.
func scanRecord(data []byte, pos int, comma byte) (int, bool) {
	for {
		var ok, more bool
		if data[pos] == '"' {
			pos, more, ok = scanQuoted(data, pos+1, comma)
		} else {
			pos, more, ok = scanUnquoted(data, pos, comma)
		}
		if !ok || !more {
			return pos, ok
		}
		if pos == len(data) { // a last empty field after the delimiter
			return pos, true
		}
	}
}

// scanUnquoted reads a field up to the delimiter (more) or the line's end;
// a quote in it is csv.ErrBareQuote.
func scanUnquoted(data []byte, pos int, comma byte) (next int, more, ok bool) {
	for i := pos; i < len(data); i++ {
		switch data[i] {
		case '"':
			return i, false, false
		case comma:
			return i + 1, true, true
		case '\n':
			return i + 1, false, true
		}
	}
	return len(data), false, true
}

// scanQuoted reads a quoted field from just past its opening quote: it may
// span lines, "" is a quote, and the closing quote must be followed by the
// delimiter or the line's end (csv.ErrQuote otherwise, or at the end of the
// data without a closing quote).
func scanQuoted(data []byte, pos int, comma byte) (next int, more, ok bool) {
	for {
		i := bytes.IndexByte(data[pos:], '"')
		if i < 0 {
			return len(data), false, false
		}
		after := pos + i + 1
		rest := data[after:]
		switch {
		case len(rest) > 0 && rest[0] == '"':
			pos = after + 1
		case len(rest) > 0 && rest[0] == comma:
			return after + 1, true, true
		case len(rest) == 0, rest[0] == '\n':
			return min(after+1, len(data)), false, true
		case rest[0] == '\r' && (len(rest) == 1 || rest[1] == '\n'):
			return min(after+2, len(data)), false, true
		default:
			return after, false, false
		}
	}
}
