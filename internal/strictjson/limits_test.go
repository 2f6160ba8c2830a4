package strictjson

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exact returns s as bytes whose capacity is their length, so that a read
// past the end of the text fails instead of finding spare capacity.
func exact(s string) []byte {
	b := []byte(s)
	return b[:len(b):len(b)]
}

// The depth limit counts open values only: closed siblings give their
// level back, however many there are.
func TestDecodeStrictDepthCountsOpenValuesOnly(t *testing.T) {
	t.Parallel()
	n := 2 * maxJSONDepth
	cases := map[string]string{
		"empty objects": "[" + strings.TrimSuffix(strings.Repeat("{},", n), ",") + "]",
		"objects":       "[" + strings.TrimSuffix(strings.Repeat(`{"a":1},`, n), ",") + "]",
		"empty arrays":  "[" + strings.TrimSuffix(strings.Repeat("[],", n), ",") + "]",
		"arrays":        "[" + strings.TrimSuffix(strings.Repeat("[1],", n), ",") + "]",
		// skipped, these objects are maxJSONDepth deep
		"at the limit": strings.Repeat("[", maxJSONDepth-2) + strings.TrimSuffix(strings.Repeat("{},", n), ",") + strings.Repeat("]", maxJSONDepth-2),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var v any
			require.NoError(t, Decode(exact(body), &v))
			var skipped strictAnswer
			require.NoError(t, Decode(exact(`{"other":`+body+`}`), &skipped), "skipped")
		})
	}
	// n−1, n and n+1 levels.
	for depth, ok := range map[int]bool{maxJSONDepth - 1: true, maxJSONDepth: true, maxJSONDepth + 1: false} {
		objects := strings.Repeat(`{"a":`, depth-1) + "{}" + strings.Repeat("}", depth-1)
		for _, body := range []string{objects, strings.Repeat("[", depth) + strings.Repeat("]", depth)} {
			var v any
			err := Decode(exact(body), &v)
			if ok {
				assert.NoError(t, err, "%d levels", depth)
				continue
			}
			var je *Error
			require.ErrorAs(t, err, &je, "%d levels", depth)
			assert.Equal(t, Syntax, je.Kind)
			assert.Contains(t, je.Reason, "nested deeper than 256")
		}
	}
}

// An object of 31, 32 and 33 names (where a set replaces the search in
// order) refuses a repeated name as a small one does; two large objects
// in a row, with the same names, are two objects, not one.
func TestDecodeStrictLargeObjects(t *testing.T) {
	t.Parallel()
	names := func(n int, prefix string) string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprintf(`"%s%d":%d`, prefix, i, i)
		}
		return strings.Join(s, ",")
	}
	for _, n := range []int{31, 32, 33, 100} {
		obj := "{" + names(n, "k") + "}"
		var many []map[string]int
		require.NoError(t, Decode(exact("["+obj+","+obj+","+obj+"]"), &many), "%d names", n)
		require.Len(t, many, 3)
		assert.Len(t, many[2], n)
		var skipped strictAnswer
		require.NoError(t, Decode(exact(`{"other":[`+obj+","+obj+`]}`), &skipped), "%d names, skipped", n)

		for _, last := range []string{`"k0":1`, fmt.Sprintf(`"k%d":1`, n-1)} {
			var m map[string]int
			err := Decode(exact("{"+names(n, "k")+","+last+"}"), &m)
			var je *Error
			require.ErrorAs(t, err, &je, "%d names then %s", n, last)
			assert.Equal(t, Repeated, je.Kind)
		}
		var m map[string]int
		err := Decode(exact("{"+names(n, "k")+`,"K0":1}`), &m)
		var je *Error
		require.ErrorAs(t, err, &je, "%d names then K0", n)
		assert.Equal(t, FoldedTwice, je.Kind)
		assert.Equal(t, "K0", je.Path)
	}
}

// Names with escapes each keep their own bytes: the second does not
// overwrite the first.
func TestDecodeStrictNamesWithEscapes(t *testing.T) {
	t.Parallel()
	var m map[string]int
	require.NoError(t, Decode(exact(`{"\u0061":1,"\u0062":2,"c\n":3,"\u0064\t":4}`), &m))
	assert.Equal(t, map[string]int{"a": 1, "b": 2, "c\n": 3, "d\t": 4}, m)
	var s strictAnswer
	require.NoError(t, Decode(exact(`{"\u0069d":7,"n\u0061me":"x\u0041","other":"\u0041","more":"\u0042"}`), &s))
	assert.Equal(t, 7, s.ID)
	assert.Equal(t, "xA", s.Name)
}

func TestDecodeStrictNumbers(t *testing.T) {
	t.Parallel()
	good := map[string]float64{
		`0`: 0, `-0`: 0, `7`: 7, `-12`: -12, `1.5`: 1.5, `-0.25`: -0.25,
		`1e5`: 1e5, `1E5`: 1e5, `1e+5`: 1e5, `1e-5`: 1e-5, `2.5e3`: 2500, `-2.5E-3`: -0.0025, `10`: 10,
	}
	for text, want := range good {
		var v any
		require.NoError(t, Decode(exact(text), &v), text)
		assert.Equal(t, want, v, text)
		var f struct {
			F float64 `json:"f"`
		}
		require.NoError(t, Decode(exact(`{"f":`+text+`}`), &f), text)
		assert.Equal(t, want, f.F, text)
		var a []float64
		require.NoError(t, Decode(exact(`[`+text+`,`+text+`]`), &a), text)
		assert.Equal(t, []float64{want, want}, a, text)
	}
	bad := map[string]Kind{
		`-`: Truncated, `[-]`: Syntax, `[1.]`: Syntax, `[1.e5]`: Syntax, `[1e]`: Syntax, `[1e+]`: Syntax,
		`[1E-]`: Syntax, `[.5]`: Syntax, `[+1]`: Syntax, `[01]`: Syntax, `[-01]`: Syntax, `[1e5e5]`: Syntax,
		`1e`: Truncated, `1e+`: Truncated, `1.`: Truncated, `[1e5`: Truncated,
	}
	for text, kind := range bad {
		for _, into := range []any{new(any), new([]float64), new(float64)} {
			err := Decode(exact(text), into)
			var je *Error
			require.ErrorAs(t, err, &je, "%s into %T", text, into)
			assert.Equal(t, kind, je.Kind, "%s into %T: %v", text, into, err)
		}
	}
	// Text that is not JSON where a number (or a boolean, a string, an
	// array, an object) is wanted is reported as not JSON, not as a value
	// of the wrong shape.
	for body, kind := range map[string]Kind{
		`{"id":"x`: Truncated, `{"id":[1,]}`: Syntax, `{"id":tru}`: Syntax, `{"id":"1"}`: Shape, `{"id":true}`: Shape,
		`{"active":"x`: Truncated, `{"active":[1,]}`: Syntax, `{"active":1}`: Shape,
		`{"name":[1,]}`: Syntax, `{"name":1}`: Shape, `{"reasons":{"a":}}`: Syntax, `{"extra":[}`: Syntax, `{"extra":[]}`: Shape,
	} {
		var out strictAnswer
		err := Decode(exact(body), &out)
		var je *Error
		require.ErrorAs(t, err, &je, body)
		assert.Equal(t, kind, je.Kind, "%s: %v", body, err)
	}
	var out strictAnswer
	err := Decode(exact(`{"id":"1"}`), &out)
	assert.EqualError(t, err, `id: is not a number (byte 9)`)
}

// null empties a pointer, a slice and a map, and leaves any other value
// as it was, as in encoding/json.
func TestDecodeStrictNull(t *testing.T) {
	t.Parallel()
	seven := 7
	out := strictAnswer{ID: 3, Name: "n", Count: &seven, Reasons: []reason{{Code: "1"}}, Extra: map[string]any{"a": 1.0}}
	require.NoError(t, Decode(exact(`{"id":null,"name":null,"count":null,"reasons":null,"extra":null}`), &out))
	assert.Equal(t, strictAnswer{ID: 3, Name: "n"}, out)
	var v any = "x"
	require.NoError(t, Decode(exact(`null`), &v))
	assert.Nil(t, v)
	for body, kind := range map[string]Kind{`{"count":nul}`: Syntax, `{"count":nul`: Truncated, `{"count":nulL}`: Syntax} {
		out := strictAnswer{Count: &seven}
		err := Decode(exact(body), &out)
		var je *Error
		require.ErrorAs(t, err, &je, body)
		assert.Equal(t, kind, je.Kind, "%s: %v", body, err)
	}
}

// An interface holding a pointer is where the value goes: the SDK points
// the envelope's result at the slice it wants filled.
func TestDecodeStrictIntoAnInterfaceHoldingAPointer(t *testing.T) {
	t.Parallel()
	var results []strictAnswer
	env := struct {
		Result any `json:"result"`
	}{Result: &results}
	require.NoError(t, Decode(exact(`{"result":[{"id":1},{"id":2}]}`), &env))
	assert.Equal(t, []strictAnswer{{ID: 1}, {ID: 2}}, results)
	assert.Same(t, &results, env.Result)

	err := Decode(exact(`{"result":[{"id":1,"ID":2}]}`), &env)
	var je *Error
	require.ErrorAs(t, err, &je)
	assert.Equal(t, CaseVariant, je.Kind, "the pointed-to type's names apply")
	assert.Equal(t, "result[0].ID", je.Path)

	// A nil pointer in it, or no pointer, gets the value as encoding/json
	// builds it.
	var nilPtr *[]strictAnswer
	env.Result = nilPtr
	require.NoError(t, Decode(exact(`{"result":[1]}`), &env))
	assert.Equal(t, []any{1.0}, env.Result)
	env.Result = 5
	require.NoError(t, Decode(exact(`{"result":{"a":"b"}}`), &env))
	assert.Equal(t, map[string]any{"a": "b"}, env.Result)
}

func TestDecodeStrictErrorSaysWhere(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{"id":1,"id":2}`:                      `id: name is given more than once (byte 12)`,
		`{"reasons":[{"code":1}]}`:             `reasons[0].code: is not a string (byte 21)`,
		`{"extra":{"a":[{"b":1,"b":2}]}}`:      `extra.a[0].b: name is given more than once (byte 25)`,
		`{"id":1`:                              `unexpected end of JSON (byte 7)`,
		`[1,2]`:                                `is not an object (byte 5)`,
		`{"extra":{"n":{"id":1,"Id":2}}}`:      `extra.n.Id: name is "id" in another case (byte 26)`,
		`{"ID":1}`:                             `ID: name is "id" in another case (byte 6)`,
		`{"id":1} x`:                           `data after the JSON value (byte 9)`,
		`{"reasons":[{"code":"1"},{"x":1,}]}`:  `reasons[1]: object ends after a comma (byte 32)`,
		`{"reasons":[{"code":"1"},{"x":1,2}]}`: `reasons[1]: object member does not start with a name (byte 32)`,
	}
	for body, want := range cases {
		var out strictAnswer
		assert.EqualError(t, Decode(exact(body), &out), want, body)
	}
	var nested [][]int
	assert.EqualError(t, Decode(exact(`[[1],[2,"x"]]`), &nested), `[1][1]: is not a number (byte 11)`)
}

// A value Decode has no rule for is refused, not guessed.
func TestDecodeStrictRefusesWhatItCannotHold(t *testing.T) {
	t.Parallel()
	var c chan int
	err := Decode(exact(`1`), &c)
	var je *Error
	require.ErrorAs(t, err, &je)
	assert.Equal(t, Shape, je.Kind)
	assert.Contains(t, je.Reason, "cannot decode into chan int")
	var m map[int]string
	err = Decode(exact(`{"1":"a"}`), &m)
	require.ErrorAs(t, err, &je)
	assert.Equal(t, Shape, je.Kind)
	assert.Nil(t, m)
	assert.Error(t, Decode(exact(`1`), nil))
	var i int
	assert.Error(t, Decode(exact(`1`), i))
}

// Short strings (up to 16 bytes) decoded more than once share one copy;
// a longer one is its own copy. Listings repeat their short values in every
// record.
func TestDecodeStrictSharesShortStrings(t *testing.T) {
	t.Parallel()
	for n, shared := range map[int]bool{1: true, 15: true, 16: true, 17: false, 40: false} {
		s := strings.Repeat("x", n)
		var got []string
		require.NoError(t, Decode(exact(`["`+s+`","`+s+`"]`), &got))
		require.Equal(t, []string{s, s}, got)
		assert.Equal(t, shared, unsafe.StringData(got[0]) == unsafe.StringData(got[1]), "%d bytes", n)
	}
	var got []string
	require.NoError(t, Decode(exact(`["","",""]`), &got))
	assert.Equal(t, []string{"", "", ""}, got)
}

// Strings in the parts of an answer Decode skips take no memory of their
// own: skipping a hundred escaped strings allocates what skipping one does.
// (Not parallel: testing.AllocsPerRun refuses to run in a parallel test.)
func TestDecodeStrictSkippedStringsTakeNoMemory(t *testing.T) {
	body := func(n int) []byte {
		return exact(`{"id":1,"other":[` + strings.TrimSuffix(strings.Repeat(`"a\nb\u00e9c",`, n), ",") + `]}`)
	}
	one, hundred := body(1), body(100)
	var out strictAnswer
	allocs := func(b []byte) float64 {
		return testing.AllocsPerRun(20, func() {
			if err := Decode(b, &out); err != nil {
				t.Fatal(err)
			}
		})
	}
	assert.Equal(t, allocs(one), allocs(hundred))
}

// A \u escape is four hex digits: fewer at the end of the text is a
// truncated text, four that are not hex a bad escape, wherever they are.
func TestDecodeStrictUnicodeEscapesAtTheEnd(t *testing.T) {
	t.Parallel()
	cases := map[string]Kind{
		`["\u00zz`:       Syntax,
		`["\u00zz"]`:     Syntax,
		`["\u004`:        Truncated,
		`["\u0041`:       Truncated,
		`["\ud83d\u`:     Truncated,
		`["\ud83d\u0`:    Truncated,
		`["\ud83d\ude0`:  Truncated,
		`["\ud83d\ude00`: Truncated,
		`["\ud83d`:       Truncated,
		`["\`:            Truncated,
	}
	for body, kind := range cases {
		var v []string
		err := Decode(exact(body), &v)
		var je *Error
		require.ErrorAs(t, err, &je, body)
		assert.Equal(t, kind, je.Kind, "%s: %v", body, err)
	}
	for body, want := range map[string]string{
		`["\ud83d\ude00"]`: "\U0001F600", `["\ud83d\u0041"]`: "\uFFFDA", `["\ud83d"]`: "\uFFFD", `["\ud83dx"]`: "\uFFFDx",
		`["\ud83d\n"]`: "\uFFFD\n", `["\ud83d\u00"]`: "",
	} {
		var v []string
		err := Decode(exact(body), &v)
		if want == "" {
			assert.Error(t, err, body)
			continue
		}
		require.NoError(t, err, body)
		assert.Equal(t, []string{want}, v, body)
	}
}

// An object's names are searched in order while it has fewer than 32, and
// from its 33rd name on go into a set: a hostile object of many names
// costs linear time, not quadratic (which no unit test may time).
func TestDecodeStrictSetFrom33Names(t *testing.T) {
	t.Parallel()
	for _, fold := range []bool{false, true} {
		d := &strictDecoder{}
		for i := range 33 {
			name := []byte(fmt.Sprintf("k%d", i))
			require.Nil(t, d.remember(0, name, fold))
			if i < 32 {
				assert.Nil(t, d.sets, "a set after %d names", i+1)
			}
		}
		require.Len(t, d.sets[0], 33, "the set holds every name")
		assert.NotNil(t, d.remember(0, []byte("k0"), fold), "k0 again, found in the set")
	}
}
