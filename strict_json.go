package marketo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeStrict decodes the JSON value data into v, a non-nil pointer, as
// Marketo writes its answers and nothing looser. Unlike encoding/json it
//
//   - matches member names exactly: "ID" never fills the field tagged "id";
//   - refuses a name that differs from a known member's only in case
//     ("SUCCESS" beside "success"): Marketo spells its names one way, so a
//     second spelling is either a second value or not Marketo, and either
//     way the answer cannot be read safely;
//   - refuses a name given twice in one object, at any depth and also in
//     parts of the answer it skips, comparing names as they decode
//     ("\u0069d" is "id");
//   - refuses values nested deeper than maxJSONDepth.
//
// All in one pass over data, which is never copied: the memory it takes is
// what the decoded values hold, plus the names of the open objects.
// Values of a type with an UnmarshalJSON method get their raw bytes, once
// this decoder has checked them.
func decodeStrict(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("decodeStrict needs a non-nil pointer, not %T", v)
	}
	d := &strictDecoder{data: data, names: make([][]byte, 0, 16)}
	d.space()
	if err := d.value(rv.Elem()); err != nil {
		return err
	}
	if d.space(); d.pos < len(d.data) {
		return d.fail(jsonTrailing, "data after the JSON value")
	}
	return nil
}

// maxJSONDepth is how deeply arrays and objects may nest. Marketo's deepest
// answer (errors inside a record's reasons) nests four levels.
const maxJSONDepth = 256

// jsonErrorKind says what is wrong with an answer, so that its error can
// say it in the caller's terms.
type jsonErrorKind int

const (
	jsonSyntax      jsonErrorKind = iota // not JSON
	jsonTruncated                        // JSON that stops early
	jsonTrailing                         // more after the value
	jsonShape                            // a value of another type than expected
	jsonRepeated                         // a name given twice in one object
	jsonCaseVariant                      // a known name spelt in another case
)

// jsonError is an answer decodeStrict refused. It never quotes a value,
// only names and offsets: a value may be a secret.
type jsonError struct {
	kind   jsonErrorKind
	offset int
	path   string // the member the error is about, e.g. result[2].id
	reason string
}

func (e *jsonError) Error() string {
	if e.path != "" {
		return fmt.Sprintf("%s: %s (byte %d)", e.path, e.reason, e.offset)
	}
	return fmt.Sprintf("%s (byte %d)", e.reason, e.offset)
}

// within prefixes the error's path with the member or index it is in.
func (e *jsonError) within(step string) *jsonError {
	switch {
	case e.path == "":
		e.path = step
	case e.path[0] == '[':
		e.path = step + e.path
	default:
		e.path = step + "." + e.path
	}
	return e
}

type strictDecoder struct {
	data  []byte
	pos   int
	depth int
	// names holds the names read so far in every open object, innermost
	// last; each object checks its new names against its own part.
	names [][]byte
	// sets holds a set of the names of each open object too large to
	// search in order, keyed by where its names start in names.
	sets map[int]map[string]struct{}
	// scratch, when not nil, is where escaped strings are decoded, each
	// over the last: for callers that look at one string at a time.
	scratch []byte
	discard []byte // skipString's scratch
	// interned holds short strings decoded before, by a hash of their
	// bytes.
	interned [64]string
}

func (d *strictDecoder) fail(kind jsonErrorKind, reason string) *jsonError {
	if d.pos >= len(d.data) && kind == jsonSyntax {
		kind, reason = jsonTruncated, "unexpected end of JSON"
	}
	return &jsonError{kind: kind, offset: d.pos, reason: reason}
}

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

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// value decodes the next value into v.
func (d *strictDecoder) value(v reflect.Value) *jsonError {
	info := typeInfoOf(v.Type())
	if info.unmarshaler {
		start := d.pos
		if err := d.skip(); err != nil {
			return err
		}
		if err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(d.data[start:d.pos]); err != nil {
			if je, ok := err.(*jsonError); ok {
				je.offset += start
				return je
			}
			return &jsonError{kind: jsonShape, offset: start, reason: err.Error()}
		}
		return nil
	}
	if d.peek() == 'n' {
		if err := d.literal("null"); err != nil {
			return err
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Interface, reflect.Map:
			v.SetZero()
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.value(v.Elem())
	case reflect.Interface:
		// An interface holding a pointer is where the value goes (the
		// envelope's result); any other keeps nothing of it.
		if !v.IsNil() && v.Elem().Kind() == reflect.Pointer && !v.Elem().IsNil() {
			return d.value(v.Elem().Elem())
		}
		if v.NumMethod() == 0 {
			x, err := d.generic()
			if err == nil && x != nil {
				v.Set(reflect.ValueOf(x))
			}
			return err
		}
		return d.skip()
	case reflect.Map:
		return d.mapValue(v)
	case reflect.Struct:
		return d.object(v, info)
	case reflect.Slice:
		return d.array(v)
	case reflect.String:
		return d.stringValue(v, info)
	case reflect.Bool:
		return d.boolValue(v)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return d.intValue(v)
	case reflect.Float32, reflect.Float64:
		return d.floatValue(v)
	}
	return &jsonError{kind: jsonShape, offset: d.pos, reason: "cannot decode into " + v.Type().String()}
}

func (d *strictDecoder) shape(want string) *jsonError {
	return d.fail(jsonShape, "is not "+want)
}

// object decodes a JSON object into the struct v.
func (d *strictDecoder) object(v reflect.Value, info *typeInfo) *jsonError {
	if d.peek() != '{' {
		if err := d.skip(); err != nil {
			return err
		}
		return d.shape("an object")
	}
	return d.members(func(name []byte) *jsonError {
		f, err := d.field(info, name)
		if err != nil || f < 0 {
			if err == nil {
				err = d.skip()
			}
			return err
		}
		if err := d.value(v.Field(f)); err != nil {
			return err.within(info.names[f])
		}
		return nil
	})
}

// mapValue decodes a JSON object into v, a map with string keys.
func (d *strictDecoder) mapValue(v reflect.Value) *jsonError {
	t := v.Type()
	if d.peek() != '{' || t.Key().Kind() != reflect.String {
		if err := d.skip(); err != nil {
			return err
		}
		return d.shape("an object")
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(t))
	}
	return d.members(func(name []byte) *jsonError {
		e := reflect.New(t.Elem()).Elem()
		if err := d.value(e); err != nil {
			return err.within(string(name))
		}
		v.SetMapIndex(reflect.ValueOf(string(name)).Convert(t.Key()), e)
		return nil
	})
}

// generic decodes the next value as encoding/json does into an empty
// interface: objects as map[string]any, arrays as []any, numbers as
// float64.
func (d *strictDecoder) generic() (any, *jsonError) {
	switch c := d.peek(); {
	case c == '{':
		m := make(map[string]any)
		err := d.members(func(name []byte) *jsonError {
			x, err := d.generic()
			if err != nil {
				return err.within(string(name))
			}
			m[string(name)] = x
			return nil
		})
		return m, err
	case c == '[':
		a := make([]any, 0)
		err := d.elements(func() *jsonError {
			x, err := d.generic()
			a = append(a, x)
			return err
		})
		return a, err
	case c == '"':
		s, err := d.str()
		s = validUTF8(s)
		return string(s), err
	case c == '-' || c >= '0' && c <= '9':
		text, err := d.number()
		if err != nil {
			return nil, err
		}
		f, perr := strconv.ParseFloat(string(text), 64)
		if perr != nil {
			return nil, d.shape("a number in range")
		}
		return f, nil
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	}
	return nil, d.skip() // null, or an error
}

// field returns the index of the struct field named name, or -1 for a
// member the struct does not keep.
func (d *strictDecoder) field(info *typeInfo, name []byte) (int, *jsonError) {
	for i, n := range info.names {
		if n == string(name) {
			return info.index[i], nil
		}
	}
	for _, n := range info.names {
		if bytes.EqualFold([]byte(n), name) {
			err := d.fail(jsonCaseVariant, fmt.Sprintf("name is %q in another case", n))
			err.path = string(name)
			return -1, err
		}
	}
	return -1, nil
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

// array decodes a JSON array into the slice v, reusing its backing array.
func (d *strictDecoder) array(v reflect.Value) *jsonError {
	if d.peek() != '[' {
		if err := d.skip(); err != nil {
			return err
		}
		return d.shape("an array")
	}
	n := 0
	err := d.elements(func() *jsonError {
		if n == v.Len() {
			v.Grow(1)
			v.SetLen(n + 1)
		}
		v.Index(n).SetZero()
		if err := d.value(v.Index(n)); err != nil {
			return err.within("[" + strconv.Itoa(n) + "]")
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 && v.IsNil() {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0)) // [] is an empty slice, not nil
	}
	v.SetLen(n)
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

// validUTF8 returns s with each byte that is not part of valid UTF-8
// replaced by U+FFFD, as encoding/json does.
func validUTF8(s []byte) []byte {
	if utf8.Valid(s) {
		return s
	}
	out := make([]byte, 0, len(s)+8)
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		if r == utf8.RuneError && n == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, s[:n]...)
		}
		s = s[n:]
	}
	return out
}

// json.Number holds a number as its text; encoding/json also accepts one
// quoted.
var numberType = reflect.TypeFor[json.Number]()

func (d *strictDecoder) stringValue(v reflect.Value, info *typeInfo) *jsonError {
	switch c := d.peek(); {
	case c == '"':
		s, err := d.str()
		if err != nil {
			return err
		}
		if info.number && !json.Valid(s) {
			return d.shape("a number")
		}
		s = validUTF8(s)
		v.SetString(d.intern(s))
		return nil
	case info.number && (c == '-' || c >= '0' && c <= '9'):
		n, err := d.number()
		if err != nil {
			return err
		}
		v.SetString(string(n))
		return nil
	}
	if err := d.skip(); err != nil {
		return err
	}
	return d.shape("a string")
}

// intern returns s as a string, reusing the last string of the same
// short value: the pages of a listing repeat their types, programs and
// workspaces in every record.
func (d *strictDecoder) intern(s []byte) string {
	if len(s) == 0 || len(s) > 16 {
		return string(s)
	}
	h := uint(len(s))
	for _, c := range s {
		h = h*31 + uint(c)
	}
	slot := &d.interned[h%uint(len(d.interned))]
	if *slot != string(s) {
		*slot = string(s)
	}
	return *slot
}

func (d *strictDecoder) boolValue(v reflect.Value) *jsonError {
	switch d.peek() {
	case 't':
		err := d.literal("true")
		v.SetBool(err == nil)
		return err
	case 'f':
		err := d.literal("false")
		v.SetBool(false)
		return err
	}
	if err := d.skip(); err != nil {
		return err
	}
	return d.shape("a boolean")
}

func (d *strictDecoder) intValue(v reflect.Value) *jsonError {
	if c := d.peek(); c != '-' && (c < '0' || c > '9') {
		if err := d.skip(); err != nil {
			return err
		}
		return d.shape("a number")
	}
	text, err := d.number()
	if err != nil {
		return err
	}
	n, perr := strconv.ParseInt(string(text), 10, v.Type().Bits())
	if perr != nil {
		return d.shape("an integer in range")
	}
	v.SetInt(n)
	return nil
}

func (d *strictDecoder) floatValue(v reflect.Value) *jsonError {
	if c := d.peek(); c != '-' && (c < '0' || c > '9') {
		if err := d.skip(); err != nil {
			return err
		}
		return d.shape("a number")
	}
	text, err := d.number()
	if err != nil {
		return err
	}
	f, perr := strconv.ParseFloat(string(text), v.Type().Bits())
	if perr != nil {
		return d.shape("a number in range")
	}
	v.SetFloat(f)
	return nil
}

// typeInfo is what decodeStrict needs to know of a Go type, worked out
// once per type.
type typeInfo struct {
	unmarshaler bool     // *T has UnmarshalJSON
	number      bool     // T is json.Number
	names       []string // a struct's member names, from its json tags
	index       []int    // the field of each name
}

var typeInfos sync.Map // reflect.Type → *typeInfo

func typeInfoOf(t reflect.Type) *typeInfo {
	if i, ok := typeInfos.Load(t); ok {
		return i.(*typeInfo)
	}
	info := &typeInfo{
		unmarshaler: reflect.PointerTo(t).Implements(unmarshalerType),
		number:      t == numberType,
	}
	if t.Kind() == reflect.Struct {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			info.names = append(info.names, name)
			info.index = append(info.index, i)
		}
	}
	i, _ := typeInfos.LoadOrStore(t, info)
	return i.(*typeInfo)
}
