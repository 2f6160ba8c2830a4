package strictjson

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// strictAnswer is a result shape with the kinds of members the SDK's wire
// structs use.
type strictAnswer struct {
	ID      int            `json:"id"`
	Name    string         `json:"name"`
	Active  bool           `json:"active"`
	Batch   json.Number    `json:"batchId"`
	Count   *int           `json:"count"`
	Reasons []reason       `json:"reasons"`
	Extra   map[string]any `json:"extra"`
}

// reason is a member with an UnmarshalJSON method that decodes with
// Decode, as the REST envelope's reasons do: a string, or an object.
type reason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (r *reason) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return Decode(b, &r.Message)
	}
	type plain reason // without this method
	return Decode(b, (*plain)(r))
}

func TestDecodeStrictRefusesARepeatedNameAtAnyDepth(t *testing.T) {
	t.Parallel()
	many := make([]string, 40)
	for i := range many {
		many[i] = fmt.Sprintf(`"k%d":%d`, i, i)
	}
	cases := map[string]struct{ body, path string }{
		"top level":            {`{"id":1,"id":2}`, "id"},
		"in a record's reason": {`{"reasons":[{"code":"1003","code":"606"}]}`, "reasons[0].code"},
		"in a member skipped":  {`{"id":1,"other":{"a":1,"b":[{"x":1,"x":2}]}}`, "x"},
		"unknown names":        {`{"id":1,"other":1,"other":2}`, "other"},
		"spelt with escapes":   {`{"id":1,"\u0069d":2}`, "id"},
		"in a map":             {`{"extra":{"a":1,"a":2}}`, "extra.a"},
		"in a large object":    {`{` + strings.Join(many, ",") + `,"k7":1}`, "k7"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out strictAnswer
			err := Decode([]byte(tc.body), &out)
			var je *Error
			require.ErrorAs(t, err, &je)
			assert.Equal(t, Repeated, je.Kind, "%v", err)
			assert.Equal(t, tc.path, je.Path)
		})
	}
}

func TestDecodeStrictRefusesAKnownNameInAnotherCase(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"ID":6666}`,
		`{"id":1001,"ID":6666}`,
		`{"Name":"x"}`,
		`{"reasons":[{"Code":"606"}]}`,
	} {
		var out strictAnswer
		err := Decode([]byte(body), &out)
		var je *Error
		require.ErrorAs(t, err, &je, body)
		assert.Equal(t, CaseVariant, je.Kind, body)
		assert.NotEqual(t, 6666, out.ID, "%s: a name in another case fills nothing", body)
	}
	// Unicode folding: the long s (U+017F) folds to s, as in encoding/json's
	// matching, so "ſuccess" is "success" in another case.
	var env struct {
		Success bool `json:"success"`
	}
	err := Decode([]byte(`{"success":false,"\u017Fuccess":true}`), &env)
	var je *Error
	require.ErrorAs(t, err, &je)
	assert.Equal(t, CaseVariant, je.Kind)
}

// An object without known names (a map, a value decoded as encoding/json
// would build it) holds no name twice in two cases: in a lead record,
// "ID" beside "id" is another value for the same field, which
// encoding/json would keep beside it (or in its place).
func TestDecodeStrictRefusesANameInTwoCasesWithoutKnownNames(t *testing.T) {
	t.Parallel()
	many := make([]string, 40)
	for i := range many {
		many[i] = fmt.Sprintf(`"k%d":%d`, i, i)
	}
	large := strings.Join(many, ",")
	cases := map[string]struct {
		body, path string
		into       func() any
	}{
		"lead records":         {`[{"id":1001,"email":"a@x.io","ID":6666}]`, "[0].ID", func() any { return new([]map[string]any) }},
		"a map of strings":     {`{"Email":"a","email":"b"}`, "email", func() any { return new(map[string]string) }},
		"a nested value":       {`{"extra":{"n":{"id":1,"Id":2}}}`, "extra.n.Id", func() any { return new(strictAnswer) }},
		"an empty interface":   {`{"a":[{"Key":1,"kEY":2}]}`, "a[0].kEY", func() any { return new(any) }},
		"escaped":              {`{"id":1,"ID":2}`, "ID", func() any { return new(map[string]int) }},
		"folding beyond ASCII": {`{"success":1,"ſuccess":2}`, "ſuccess", func() any { return new(map[string]int) }},
		"a large map":          {`{` + large + `,"id":1,"K7":2}`, "K7", func() any { return new(map[string]int) }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := Decode([]byte(tc.body), tc.into())
			var je *Error
			require.ErrorAs(t, err, &je, tc.body)
			assert.Equal(t, FoldedTwice, je.Kind, "%v", err)
			assert.Equal(t, tc.path, je.Path)
		})
	}
	// Names that differ otherwise, and a struct's unknown members, pass.
	var m map[string]int
	require.NoError(t, Decode([]byte(`{"id":1,"idx":2,"`+"é"+`":3,"e":4}`), &m))
	var out strictAnswer
	require.NoError(t, Decode([]byte(`{"id":1,"other":1,"OTHER":2}`), &out))
}

// Well-formed answers decode as encoding/json decodes them.
func TestDecodeStrictAgreesWithEncodingJSONOnWellFormedAnswers(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"id":1001,"name":"Batch \"Campaign\" \u00e9\ud83d\ude00 \/x","active":true,"batchId":3404,"count":7,"reasons":[{"code":"1004","message":"Lead not found"},"plain warning"],"extra":{"n":1.5,"a":[1,"x",null,true,{"b":{}}],"z":null}}`,
		`{"id":-3,"name":"","active":false,"batchId":"3405","count":null,"reasons":[],"extra":{}}`,
		` {"unknown":{"deep":[[[]]]},"id":0} `,
		`{"name":"bad surrogate \ud800 and a byte ` + "\xff" + `"}`,
	} {
		var strict, loose strictAnswer
		require.NoError(t, json.Unmarshal([]byte(body), &loose), body)
		require.NoError(t, Decode([]byte(body), &strict), body)
		assert.Equal(t, loose, strict, body)
	}
}

func TestDecodeStrictRefusesWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	cases := map[string]Kind{
		`{"id":1,}`:                   Syntax,
		`{"id":01}`:                   Syntax,
		`{"id":1 "name":"x"}`:         Syntax,
		`{"name":"a` + "\n" + `"}`:    Syntax,
		`{"name":"\x"}`:               Syntax,
		`[1,]`:                        Syntax,
		`{"id":1`:                     Truncated,
		`{"name":"\u00`:               Truncated,
		`{"active":tr`:                Truncated,
		`{"id":1} {}`:                 Trailing,
		`{"id":"1"}`:                  Shape,
		`{"id":1.5}`:                  Shape,
		`{"id":99999999999999999999}`: Shape,
		`{"batchId":"x"}`:             Shape,
		`{"reasons":{}}`:              Shape,
		strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1): Syntax,
	}
	for body, kind := range cases {
		var out strictAnswer
		err := Decode([]byte(body), &out)
		var je *Error
		require.ErrorAs(t, err, &je, body)
		assert.Equal(t, kind, je.Kind, "%s: %v", body, err)
	}
	var deep any
	require.NoError(t, Decode([]byte(strings.Repeat("[", maxJSONDepth)+strings.Repeat("]", maxJSONDepth)), &deep), "as deep as allowed")
}

// FuzzDecodeStrictAgreesWithEncodingJSON: whatever Decode accepts,
// encoding/json accepts too and reads the same; Decode accepts less
// (repeated names, names in another case), never something else.
func FuzzDecodeStrictAgreesWithEncodingJSON(f *testing.F) {
	for _, seed := range []string{
		`{"id":1001,"name":"Batch \"C\" \u00e9\ud83d\ude00","active":true,"batchId":3404,"count":7,"reasons":[{"code":"1004","message":"x"},"w"],"extra":{"n":1.5,"a":[1,"x",null,true,{}]}}`,
		`{"id":-3,"name":"","batchId":"3405","count":null,"reasons":[],"extra":{}}`,
		`{"id":1,"ID":2}`, `{"id":1,"id":2}`, `{"name":"\ud800\u0041 ` + "\xff\xfe" + `"}`, `[1,2]`, `{"id":1e2}`, `{"id":-0}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var strict, loose strictAnswer
		if Decode(body, &strict) != nil {
			return
		}
		require.NoError(t, json.Unmarshal(body, &loose), "%q", body)
		assert.Equal(t, loose, strict, "%q", body)
	})
}
