package strictjson

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The syntax side of Decode: reading JSON text, checking it, and
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
// member with the decoder at the member's value. With fold, a name that
// differs from an earlier one only in case is refused too: the object has
// no known names (a map, or a value decoded as encoding/json would build
// it), so "ID" beside "id" is either a second value of it or not Marketo.
func (d *strictDecoder) members(fold bool, each func(name []byte) *Error) *Error {
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
			return d.fail(Syntax, "object member does not start with a name")
		}
		name, err := d.str()
		if err != nil {
			return err
		}
		if err := d.remember(first, name, fold); err != nil {
			return err
		}
		if d.peek() != ':' {
			return d.fail(Syntax, "name is not followed by a colon")
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
				return d.fail(Syntax, "object ends after a comma")
			}
		case '}':
		default:
			return d.fail(Syntax, "object member is not followed by a comma or a brace")
		}
	}
}

// remember records name in the object whose names start at first,
// refusing one it already has, or with fold one it has in another case. A
// small object is searched in order; a large one gets a set, so that a
// hostile object of many names costs linear time.
func (d *strictDecoder) remember(first int, name []byte, fold bool) *Error {
	seen := d.names[first:]
	var prior []byte // the name given before that name repeats
	found := false
	if len(seen) < 32 {
		for _, n := range seen {
			if bytes.Equal(n, name) || fold && bytes.EqualFold(n, name) {
				prior, found = n, true
				break
			}
		}
	} else {
		set := d.sets[first]
		if set == nil {
			set = make(map[string][]byte, 2*len(seen))
			for _, n := range seen {
				set[setKey(n, fold)] = n
			}
			if d.sets == nil {
				d.sets = make(map[int]map[string][]byte)
			}
			d.sets[first] = set
		}
		key := setKey(name, fold)
		if prior, found = set[key]; !found {
			set[key] = name
		}
	}
	switch {
	case !found:
		d.names = append(d.names, name)
		return nil
	case bytes.Equal(prior, name):
		err := d.fail(Repeated, "name is given more than once")
		err.Path = string(name)
		return err
	}
	err := d.fail(FoldedTwice, fmt.Sprintf("name is %q in another case", prior))
	err.Path = string(name)
	return err
}

// setKey is name's key in a large object's set: the name itself, or with
// fold the same key for every name bytes.EqualFold finds equal to it
// (each rune as the smallest of its case-folding orbit).
func setKey(name []byte, fold bool) string {
	if !fold {
		return string(name)
	}
	key := make([]rune, 0, len(name))
	for _, r := range string(name) {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		key = append(key, least)
	}
	return string(key)
}

// enter opens an array or object, refusing one nested too deeply.
func (d *strictDecoder) enter() *Error {
	if d.depth++; d.depth > maxJSONDepth {
		return d.fail(Syntax, fmt.Sprintf("values nested deeper than %d levels", maxJSONDepth))
	}
	return nil
}

// elements reads an array, calling each with the decoder at every element.
func (d *strictDecoder) elements(each func() *Error) *Error {
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
			return d.fail(Syntax, "array element is not followed by a comma or a bracket")
		}
	}
}

// skip checks the next value and moves past it, keeping nothing of it but
// the names of its objects while they are open.
func (d *strictDecoder) skip() *Error {
	switch c := d.peek(); {
	case c == '{':
		return d.members(false, func([]byte) *Error { return d.skip() })
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
	return d.fail(Syntax, "invalid character where a value should start")
}

func (d *strictDecoder) literal(word string) *Error {
	end := min(d.pos+len(word), len(d.data))
	if string(d.data[d.pos:end]) != word {
		if end == len(d.data) && strings.HasPrefix(word, string(d.data[d.pos:end])) {
			d.pos = end
			return d.fail(Truncated, "unexpected end of JSON")
		}
		return d.fail(Syntax, "invalid literal")
	}
	d.pos = end
	return nil
}

// skipString checks a string and moves past it, decoding its escapes into
// a buffer kept for the purpose: a skipped string takes no memory of its
// own, however many there are.
func (d *strictDecoder) skipString() *Error {
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
func (d *strictDecoder) number() ([]byte, *Error) {
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
		return nil, d.fail(Syntax, "invalid number")
	}
	if d.data[intStart] == '0' && d.pos-intStart > 1 {
		return nil, d.fail(Syntax, "number has a leading zero")
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if !digits() {
			return nil, d.fail(Syntax, "invalid number")
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if !digits() {
			return nil, d.fail(Syntax, "invalid number")
		}
	}
	return d.data[start:d.pos], nil
}

// str moves past a string and returns its decoded bytes: a slice of data
// itself when the string has no escapes, a new slice otherwise.
func (d *strictDecoder) str() ([]byte, *Error) {
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
			return nil, d.fail(Syntax, "control character in a string")
		}
		d.pos++
	}
	return nil, d.fail(Truncated, "unexpected end of JSON")
}

// escaped finishes str for a string with escapes, from the first one.
func (d *strictDecoder) escaped(start int) ([]byte, *Error) {
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
			return nil, d.fail(Syntax, "control character in a string")
		case c != '\\':
			out = append(out, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			d.pos = len(d.data)
			return nil, d.fail(Truncated, "unexpected end of JSON")
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
			return nil, d.fail(Syntax, "invalid escape in a string")
		}
	}
	return nil, d.fail(Truncated, "unexpected end of JSON")
}

// hex4 reads the four hex digits of a \u escape.
func (d *strictDecoder) hex4() (rune, *Error) {
	if d.pos+4 > len(d.data) {
		d.pos = len(d.data)
		return 0, d.fail(Truncated, "unexpected end of JSON")
	}
	n, err := strconv.ParseUint(string(d.data[d.pos:d.pos+4]), 16, 32)
	if err != nil {
		return 0, d.fail(Syntax, "invalid \\u escape in a string")
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
