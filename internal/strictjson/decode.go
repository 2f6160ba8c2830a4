package strictjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Decode decodes the JSON value data into v, a non-nil pointer, as
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
//   - refuses, in an object decoded into a map or an empty interface (a
//     lead record), a name given before in another case ("ID" beside
//     "id"): such an object has no known names to hold it to;
//   - refuses values nested deeper than maxJSONDepth.
//
// All in one pass over data, which is never copied: the memory it takes is
// what the decoded values hold, plus the names of the open objects.
// Values of a type with an UnmarshalJSON method get their raw bytes, once
// this decoder has checked them.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("Decode needs a non-nil pointer, not %T", v)
	}
	d := &strictDecoder{data: data, names: make([][]byte, 0, 16)}
	d.space()
	if err := d.value(rv.Elem()); err != nil {
		return err
	}
	if d.space(); d.pos < len(d.data) {
		return d.fail(Trailing, "data after the JSON value")
	}
	return nil
}

// maxJSONDepth is how deeply arrays and objects may nest. Marketo's deepest
// answer (errors inside a record's reasons) nests four levels.
const maxJSONDepth = 256

// Kind says what is wrong with a JSON text, so that its error can say it
// in the caller's terms.
type Kind int

// The kinds of Error.

const (
	Syntax      Kind = iota // not JSON
	Truncated               // JSON that stops early
	Trailing                // more after the value
	Shape                   // a value of another type than expected
	Repeated                // a name given twice in one object
	CaseVariant             // a known name spelt in another case
	FoldedTwice             // a name given twice in one object, in two cases
)

// Error is a JSON text Decode refused. Its own reasons never quote a
// value, only names and offsets: a value may be a secret. (A reason from
// an UnmarshalJSON method is that method's.)
type Error struct {
	Kind   Kind
	Offset int    // the byte of the text where the problem was found
	Path   string // the member the error is about, e.g. result[2].id
	Reason string
}

func (e *Error) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("%s: %s (byte %d)", e.Path, e.Reason, e.Offset)
	}
	return fmt.Sprintf("%s (byte %d)", e.Reason, e.Offset)
}

// within prefixes the error's path with the member or index it is in.
func (e *Error) within(step string) *Error {
	switch {
	case e.Path == "":
		e.Path = step
	case e.Path[0] == '[':
		e.Path = step + e.Path
	default:
		e.Path = step + "." + e.Path
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
	// search in order, keyed by where its names start in names; each
	// maps a name's key (see setKey) to the name.
	sets map[int]map[string][]byte
	// scratch, when not nil, is where escaped strings are decoded, each
	// over the last: for callers that look at one string at a time.
	scratch []byte
	discard []byte // skipString's scratch
	// interned holds short strings decoded before, by a hash of their
	// bytes.
	interned [64]string
}

func (d *strictDecoder) fail(kind Kind, reason string) *Error {
	if d.pos >= len(d.data) && kind == Syntax {
		kind, reason = Truncated, "unexpected end of JSON"
	}
	return &Error{Kind: kind, Offset: d.pos, Reason: reason}
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// value decodes the next value into v.
func (d *strictDecoder) value(v reflect.Value) *Error {
	info := typeInfoOf(v.Type())
	if info.unmarshaler {
		start := d.pos
		if err := d.skip(); err != nil {
			return err
		}
		if err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(d.data[start:d.pos]); err != nil {
			if je, ok := err.(*Error); ok {
				je.Offset += start
				return je
			}
			return &Error{Kind: Shape, Offset: start, Reason: err.Error()}
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
		// envelope's result); an empty one gets the value as
		// encoding/json would build it (a lead record's fields); any
		// other keeps nothing of it.
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
	return &Error{Kind: Shape, Offset: d.pos, Reason: "cannot decode into " + v.Type().String()}
}

// object decodes a JSON object into the struct v.
func (d *strictDecoder) object(v reflect.Value, info *typeInfo) *Error {
	if d.peek() != '{' {
		if err := d.skip(); err != nil {
			return err
		}
		return d.shape("an object")
	}
	return d.members(false, func(name []byte) *Error {
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
func (d *strictDecoder) mapValue(v reflect.Value) *Error {
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
	return d.members(true, func(name []byte) *Error {
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
func (d *strictDecoder) generic() (any, *Error) {
	switch c := d.peek(); {
	case c == '{':
		m := make(map[string]any)
		err := d.members(true, func(name []byte) *Error {
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
		err := d.elements(func() *Error {
			x, err := d.generic()
			if err != nil {
				return err.within("[" + strconv.Itoa(len(a)) + "]")
			}
			a = append(a, x)
			return nil
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
func (d *strictDecoder) field(info *typeInfo, name []byte) (int, *Error) {
	for i, n := range info.names {
		if n == string(name) {
			return info.index[i], nil
		}
	}
	for _, n := range info.names {
		if bytes.EqualFold([]byte(n), name) {
			err := d.fail(CaseVariant, fmt.Sprintf("name is %q in another case", n))
			err.Path = string(name)
			return -1, err
		}
	}
	return -1, nil
}

// array decodes a JSON array into the slice v, reusing its backing array.
func (d *strictDecoder) array(v reflect.Value) *Error {
	if d.peek() != '[' {
		if err := d.skip(); err != nil {
			return err
		}
		return d.shape("an array")
	}
	n := 0
	err := d.elements(func() *Error {
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

// typeInfo is what Decode needs to know of a Go type, worked out
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
