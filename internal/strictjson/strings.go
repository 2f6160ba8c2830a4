package strictjson

// Strings decodes the string literals of a JSON text one at a time, at
// offsets its caller finds, without parsing the whole value: for text that
// may be truncated or garbled, such as an answer whose secrets are to be
// redacted. It takes memory for one string, not for a tree of the text.
type Strings struct{ d strictDecoder }

// NewStrings returns a reader of the strings of text.
func NewStrings(text []byte) *Strings {
	return &Strings{d: strictDecoder{data: text, scratch: make([]byte, 0, 64)}}
}

// At returns the decoded content of the string literal text[start:end]
// (valid until the next call; the raw content if it does not decode). One
// cut short (a truncated answer) decodes as if it were closed there.
func (s *Strings) At(start, end int) []byte {
	d := &s.d
	d.pos = start
	str, err := d.str()
	if err == nil && d.pos == end {
		return str
	}
	if end == len(d.data) && end > start+1 {
		whole := &strictDecoder{data: append(d.data[start:end:end], '"'), scratch: d.scratch}
		if str, err := whole.str(); err == nil {
			return str
		}
	}
	return d.data[start+1 : max(start+1, end-1)]
}
