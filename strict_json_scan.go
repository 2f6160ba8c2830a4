package marketo

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The syntax side of decodeStrict: reading JSON text, checking it, and
// refusing a repeated name, without building anything.

// space moves past white space.
func (d *strictDecoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next byte that is not white space, or 0 at the end.
func (d *strictDecoder) peek() byte {
	d.space()
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// members reads an object, checking its names, and calls each for every
// member with the decoder at the member's value.
func (d *strictDecoder) members(each func(name []byte) *jsonError) *jsonError {
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++ // {
	first := len(d.names)
	defer func() {
		d.names = d.names[:first]
		if d.sets != nil {
			delete(d.sets, first)
		}
	}()
	for {
		switch d.peek() {
		case '}':
			d.pos++
			d.depth--
			return nil
		case '"':
		default:
			return d.fail(jsonSyntax, "object member does not start with a name")
		}
		name, err := d.str()
		if err != nil {
			return err
		}
		if err := d.remember(first, name); err != nil {
			return err
		}
		if d.peek() != ':' {
			return d.fail(jsonSyntax, "name is not followed by a colon")
		}
		d.pos++
		d.space()
		if err := each(name); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
			if d.peek() == '}' {
				return d.fail(jsonSyntax, "object ends after a comma")
			}
		case '}':
		default:
			return d.fail(jsonSyntax, "object member is not followed by a comma or a brace")
		}
	}
}

// remember records name in the object whose names start at first,
// refusing one it already has. A small object is searched in order; a
// large one gets a set, so that a hostile object of many names costs
// linear time.
func (d *strictDecoder) remember(first int, name []byte) *jsonError {
	seen := d.names[first:]
	dup := false
	if len(seen) < 32 {
		for _, n := range seen {
			if bytes.Equal(n, name) {
				dup = true
				break
			}
		}
	} else {
		set := d.sets[first]
		if set == nil {
			set = make(map[string]struct{}, 2*len(seen))
			for _, n := range seen {
				set[string(n)] = struct{}{}
			}
			if d.sets == nil {
				d.sets = make(map[int]map[string]struct{})
			}
			d.sets[first] = set
		}
		_, dup = set[string(name)]
		set[string(name)] = struct{}{}
	}
	if dup {
		err := d.fail(jsonRepeated, "name is given more than once")
		err.path = string(name)
		return err
	}
	d.names = append(d.names, name)
	return nil
}

// enter opens an array or object, refusing one nested too deeply.
func (d *strictDecoder) enter() *jsonError {
	if d.depth++; d.depth > maxJSONDepth {
		return d.fail(jsonSyntax, fmt.Sprintf("values nested deeper than %d levels", maxJSONDepth))
	}
	return nil
}

// elements reads an array, calling each with the decoder at every element.
func (d *strictDecoder) elements(each func() *jsonError) *jsonError {
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++ // [
	if d.peek() == ']' {
		d.pos++
		d.depth--
		return nil
	}
	for {
		d.space()
		if err := each(); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			d.depth--
			return nil
		default:
			return d.fail(jsonSyntax, "array element is not followed by a comma or a bracket")
		}
	}
}

// skip checks the next value and moves past it, keeping nothing of it but
// the names of its objects while they are open.
func (d *strictDecoder) skip() *jsonError {
	switch c := d.peek(); {
	case c == '{':
		return d.members(func([]byte) *jsonError { return d.skip() })
	case c == '[':
		return d.elements(d.skip)
	case c == '"':
		return d.skipString()
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		_, err := d.number()
		return err
	}
	return d.fail(jsonSyntax, "invalid character where a value should start")
}

func (d *strictDecoder) literal(word string) *jsonError {
	end := min(d.pos+len(word), len(d.data))
	if string(d.data[d.pos:end]) != word {
		if end == len(d.data) && strings.HasPrefix(word, string(d.data[d.pos:end])) {
			d.pos = end
			return d.fail(jsonTruncated, "unexpected end of JSON")
		}
		return d.fail(jsonSyntax, "invalid literal")
	}
	d.pos = end
	return nil
}

// skipString checks a string and moves past it, decoding its escapes into
// a buffer kept for the purpose: a skipped string takes no memory of its
// own, however many there are.
func (d *strictDecoder) skipString() *jsonError {
	if d.scratch != nil {
		_, err := d.str()
		return err
	}
	if d.discard == nil {
		d.discard = make([]byte, 0, 64)
	}
	d.scratch = d.discard
	_, err := d.str()
	d.discard, d.scratch = d.scratch, nil
	return err
}

// number moves past a number and returns its text.
func (d *strictDecoder) number() ([]byte, *jsonError) {
	start := d.pos
	digits := func() bool {
		n := d.pos
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
		}
		return d.pos > n
	}
	if d.pos < len(d.data) && d.data[d.pos] == '-' {
		d.pos++
	}
	intStart := d.pos
	if !digits() {
		return nil, d.fail(jsonSyntax, "invalid number")
	}
	if d.data[intStart] == '0' && d.pos-intStart > 1 {
		return nil, d.fail(jsonSyntax, "number has a leading zero")
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if !digits() {
			return nil, d.fail(jsonSyntax, "invalid number")
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if !digits() {
			return nil, d.fail(jsonSyntax, "invalid number")
		}
	}
	return d.data[start:d.pos], nil
}

// str moves past a string and returns its decoded bytes: a slice of data
// itself when the string has no escapes, a new slice otherwise.
func (d *strictDecoder) str() ([]byte, *jsonError) {
	d.pos++ // "
	start := d.pos
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; {
		case c == '"':
			d.pos++
			return d.data[start : d.pos-1], nil
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return nil, d.fail(jsonSyntax, "control character in a string")
		}
		d.pos++
	}
	return nil, d.fail(jsonTruncated, "unexpected end of JSON")
}

// escaped finishes str for a string with escapes, from the first one.
func (d *strictDecoder) escaped(start int) ([]byte, *jsonError) {
	var out []byte
	if d.scratch != nil {
		out = d.scratch[:0]
		defer func() { d.scratch = out[:0] }()
	} else {
		out = make([]byte, 0, d.pos-start+16)
	}
	out = append(out, d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return out, nil
		case c < 0x20:
			return nil, d.fail(jsonSyntax, "control character in a string")
		case c != '\\':
			out = append(out, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			d.pos = len(d.data)
			return nil, d.fail(jsonTruncated, "unexpected end of JSON")
		}
		d.pos += 2
		switch e := d.data[d.pos-1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, err := d.hex4()
			if err != nil {
				return nil, err
			}
			if utf16.IsSurrogate(r) {
				r = d.lowSurrogate(r)
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, d.fail(jsonSyntax, "invalid escape in a string")
		}
	}
	return nil, d.fail(jsonTruncated, "unexpected end of JSON")
}

// hex4 reads the four hex digits of a \u escape.
func (d *strictDecoder) hex4() (rune, *jsonError) {
	if d.pos+4 > len(d.data) {
		d.pos = len(d.data)
		return 0, d.fail(jsonTruncated, "unexpected end of JSON")
	}
	n, err := strconv.ParseUint(string(d.data[d.pos:d.pos+4]), 16, 32)
	if err != nil {
		return 0, d.fail(jsonSyntax, "invalid \\u escape in a string")
	}
	d.pos += 4
	return rune(n), nil
}

// lowSurrogate completes the surrogate pair started by high, if the next
// escape ends it; a lone surrogate becomes U+FFFD, as in encoding/json.
func (d *strictDecoder) lowSurrogate(high rune) rune {
	if d.pos+6 <= len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
		if n, err := strconv.ParseUint(string(d.data[d.pos+2:d.pos+6]), 16, 32); err == nil {
			if r := utf16.DecodeRune(high, rune(n)); r != utf8.RuneError {
				d.pos += 6
				return r
			}
		}
	}
	return utf8.RuneError
}
