package strictjson

import (
	"encoding/json"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// Decode's strings, numbers and booleans.

func (d *strictDecoder) shape(want string) *Error {
	return d.fail(Shape, "is not "+want)
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

func (d *strictDecoder) stringValue(v reflect.Value, info *typeInfo) *Error {
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

func (d *strictDecoder) boolValue(v reflect.Value) *Error {
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

// numberText reads a JSON number, or skips any other value and reports
// that a number was wanted.
func (d *strictDecoder) numberText() ([]byte, *Error) {
	if c := d.peek(); c != '-' && (c < '0' || c > '9') {
		if err := d.skip(); err != nil {
			return nil, err
		}
		return nil, d.shape("a number")
	}
	return d.number()
}

func (d *strictDecoder) intValue(v reflect.Value) *Error {
	text, err := d.numberText()
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

func (d *strictDecoder) floatValue(v reflect.Value) *Error {
	text, err := d.numberText()
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
