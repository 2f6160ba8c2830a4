package marketo

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo/internal/redact"
)

// strictAnswer is a result shape with the kinds of members the SDK's wire
// structs use.
type strictAnswer struct {
	ID      int            `json:"id"`
	Name    string         `json:"name"`
	Active  bool           `json:"active"`
	Batch   json.Number    `json:"batchId"`
	Count   *int           `json:"count"`
	Reasons []restReason   `json:"reasons"`
	Extra   map[string]any `json:"extra"`
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
			err := decodeStrict([]byte(tc.body), &out)
			var je *jsonError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, jsonRepeated, je.kind, "%v", err)
			assert.Equal(t, tc.path, je.path)
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
		err := decodeStrict([]byte(body), &out)
		var je *jsonError
		require.ErrorAs(t, err, &je, body)
		assert.Equal(t, jsonCaseVariant, je.kind, body)
		assert.NotEqual(t, 6666, out.ID, "%s: a name in another case fills nothing", body)
	}
	// Unicode folding: the long s (U+017F) folds to s, as in encoding/json's
	// matching, so "ſuccess" is "success" in another case.
	env := restEnvelope{Result: &skipped}
	err := decodeStrict([]byte(`{"success":false,"\u017Fuccess":true}`), &env)
	var je *jsonError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, jsonCaseVariant, je.kind)
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
		require.NoError(t, decodeStrict([]byte(body), &strict), body)
		assert.Equal(t, loose, strict, body)
	}
}

func TestDecodeStrictRefusesWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	cases := map[string]jsonErrorKind{
		`{"id":1,}`:                   jsonSyntax,
		`{"id":01}`:                   jsonSyntax,
		`{"id":1 "name":"x"}`:         jsonSyntax,
		`{"name":"a` + "\n" + `"}`:    jsonSyntax,
		`{"name":"\x"}`:               jsonSyntax,
		`[1,]`:                        jsonSyntax,
		`{"id":1`:                     jsonTruncated,
		`{"name":"\u00`:               jsonTruncated,
		`{"active":tr`:                jsonTruncated,
		`{"id":1} {}`:                 jsonTrailing,
		`{"id":"1"}`:                  jsonShape,
		`{"id":1.5}`:                  jsonShape,
		`{"id":99999999999999999999}`: jsonShape,
		`{"batchId":"x"}`:             jsonShape,
		`{"reasons":{}}`:              jsonShape,
		strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1): jsonSyntax,
	}
	for body, kind := range cases {
		var out strictAnswer
		err := decodeStrict([]byte(body), &out)
		var je *jsonError
		require.ErrorAs(t, err, &je, body)
		assert.Equal(t, kind, je.kind, "%s: %v", body, err)
	}
	var deep any
	require.NoError(t, decodeStrict([]byte(strings.Repeat("[", maxJSONDepth)+strings.Repeat("]", maxJSONDepth)), &deep), "as deep as allowed")
}

// escapedAnswers are answers of about n bytes whose strings are all
// escapes: the shape that made encoding/json and the old redaction take
// 314–349 MB for one 8 MiB answer. One has long escaped names in its
// records, the other a million tiny escaped strings in a member the SDK
// does not keep.
func escapedAnswers(n int) map[string][]byte {
	var long strings.Builder
	long.WriteString(`{"requestId":"e1","success":true,"result":[`)
	name := strings.Repeat(`\u00e9\n`, 128)
	for i := 0; long.Len() < n-2000; i++ {
		if i > 0 {
			long.WriteByte(',')
		}
		fmt.Fprintf(&long, `{"id":%d,"name":"%s","description":"%s","type":"batch","programName":"P","active":true}`, i+1, name, name)
	}
	long.WriteString(`]}`)
	var tiny strings.Builder
	tiny.WriteString(`{"requestId":"e1","success":true,"result":[{"id":1,"name":"n","programName":"P"}],"warnings":[],"extra":[`)
	for i := 0; tiny.Len() < n-100; i++ {
		if i > 0 {
			tiny.WriteByte(',')
		}
		tiny.WriteString(`"\u0041"`)
	}
	tiny.WriteString(`]}`)
	return map[string][]byte{"long escaped names": []byte(long.String()), "tiny escaped strings": []byte(tiny.String())}
}

// decodeMemoryChild is the environment variable that makes
// TestDecodingMemoryIsBounded's child process measure.
const decodeMemoryChild = "MARKETO_DECODE_MEMORY_CHILD"

// TestDecodingMemoryIsBounded decodes one answer of the size cap, full of
// escapes, as a REST call does (redaction of the token, then decoding),
// and counts the bytes allocated. It measures in a child process, so that
// tests running beside it do not count.
func TestDecodingMemoryIsBounded(t *testing.T) {
	t.Parallel()
	if os.Getenv(decodeMemoryChild) != "" {
		t.Skip("run by the parent")
	}
	if raceEnabled {
		t.Skip("the race detector's allocations are its own")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDecodingMemoryChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), decodeMemoryChild+"=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, name := range []string{"long escaped names", "tiny escaped strings"} {
		i := strings.Index(string(out), name+": allocated ")
		require.GreaterOrEqual(t, i, 0, "%s", out)
		var allocated, size int64
		_, err = fmt.Sscanf(string(out[i+len(name):]), ": allocated %d bytes for %d", &allocated, &size)
		require.NoError(t, err, "%s", out)
		t.Logf("%s, %d bytes: %d bytes allocated (%.2f× the answer)", name, size, allocated, float64(allocated)/float64(size))
		assert.Less(t, allocated, 3*size, "%s: decoding takes at most a small multiple of the answer", name)
	}
}

func TestDecodingMemoryChild(t *testing.T) {
	if os.Getenv(decodeMemoryChild) == "" {
		t.Skip("run by TestDecodingMemoryIsBounded")
	}
	for name, body := range escapedAnswers(8 << 20) {
		var result []restCampaign
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := decodeRESTAnswer(200, "application/json", redact.JSON(body, "cdf01657-110d-4155-99a7-f986b2ff13a0:int"), &result)
		runtime.ReadMemStats(&after)
		require.NoError(t, err)
		require.NotEmpty(t, result)
		fmt.Printf("%s: allocated %d bytes for %d\n", name, after.TotalAlloc-before.TotalAlloc, len(body))
	}
}

// FuzzDecodeStrictAgreesWithEncodingJSON: whatever decodeStrict accepts,
// encoding/json accepts too and reads the same; decodeStrict accepts less
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
		if decodeStrict(body, &strict) != nil {
			return
		}
		require.NoError(t, json.Unmarshal(body, &loose), "%q", body)
		assert.Equal(t, loose, strict, "%q", body)
	})
}
