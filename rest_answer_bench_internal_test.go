package marketo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mktows/marketo/internal/redact"
)

// Benchmarks of decoding one REST answer as a call does (redact.JSON, then
// decodeRESTAnswer), beside encoding/json doing what the SDK did before
// strictjson.Decode: a top-level repeated-key check and json.Unmarshal, which
// is looser and is kept here only as the measure. bench/README.md has the
// figures and the comparison with github.com/go-json-experiment/json.

const benchToken = "cdf01657-110d-4155-99a7-f986b2ff13a0:int"

// campaignsPage is a campaigns.json page of n records as Marketo writes
// them, with the members the SDK does not keep.
func campaignsPage(n int) []byte {
	var parts []string
	for i := range n {
		parts = append(parts, fmt.Sprintf(`{"id":%d,"name":"Campaign %d","description":"Sends the %d welcome","type":"batch","programName":"Program %d","programId":%d,"workspaceName":"Default","createdAt":"2026-03-01T10:00:00Z+0000","updatedAt":"2026-11-30T18:05:00Z+0000","active":true}`,
			1000+i, i, i, i/10, 2000+i/10))
	}
	return []byte(`{"requestId":"5f0d#18c4b1","result":[` + strings.Join(parts, ",") +
		`],"success":true,"nextPageToken":"GIYDAOBNGEYS2MBWKQ7SG6ZYGQ3ZG","moreResult":true}`)
}

func BenchmarkDecodeRESTAnswer(b *testing.B) {
	answers := []struct {
		name string
		body []byte
	}{
		{"schedule", []byte(`{"requestId":"e42b#14272d07d78","result":[{"id":1001}],"success":true}`)},
		{"campaigns300", campaignsPage(300)},
		{"escapes8MiB", escapedAnswers(8 << 20)["long escaped names"]},
	}
	impls := []struct {
		name   string
		decode func(body []byte, result any) error
	}{
		{"strict", func(body []byte, result any) error {
			_, err := decodeRESTAnswer(200, "application/json", redact.JSON(body, benchToken), result)
			return err
		}},
		{"encoding-json", decodeAsBefore},
	}
	for _, a := range answers {
		for _, im := range impls {
			b.Run("answer="+a.name+"/impl="+im.name, func(b *testing.B) {
				b.SetBytes(int64(len(a.body)))
				b.ReportAllocs()
				for b.Loop() {
					var recs []restCampaign
					if err := im.decode(a.body, &recs); err != nil || len(recs) == 0 {
						b.Fatal(err, len(recs))
					}
				}
			})
		}
	}
}

// decodeAsBefore is the decoding strictjson.Decode replaced: the redaction
// built a tree of any answer with escapes, a check found repeated names
// at the top level only, and encoding/json matched names in any case.
func decodeAsBefore(body []byte, result any) error {
	if bytes.IndexByte(body, '\\') >= 0 {
		var tree any
		if err := json.Unmarshal(body, &tree); err != nil {
			return err
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if seen[key] {
			return fmt.Errorf("%q twice", key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	env := struct {
		Success bool `json:"success"`
		Result  any  `json:"result"`
	}{Result: result}
	return json.Unmarshal(body, &env)
}
