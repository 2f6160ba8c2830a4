package marketo

import (
	"errors"
	"testing"

	"github.com/mktows/marketo/internal/restwire"
)

// FuzzDecodeRESTAnswer: whatever the body, decoding returns an envelope
// with "success":true, a *Fault, or a *ResponseError, and never panics.
func FuzzDecodeRESTAnswer(f *testing.F) {
	for _, seed := range []string{
		`{"requestId":"52b#161d90e1743","result":[{"id":3713}],"success":true}`,
		`{"requestId":"1","success":false,"errors":[{"code":"601","message":"Access token invalid"}]}`,
		`{"requestId":"1","success":false,"errors":[{"code":606,"message":"Max rate limit"}]}`,
		`{"success":true,"result":[],"warnings":["No assets found"],"nextPageToken":"X","moreResult":true}`,
		`<html><body>502 Bad Gateway</body></html>`,
		`{"requestId":"1","result":[{"id":10`,
		``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var out []restwire.ID
		env, err := decodeRESTAnswer(200, "application/json", []byte(body), &out)
		if err == nil {
			if env == nil || !env.Success.Value {
				t.Fatalf("no error but no success envelope for %q", body)
			}
			return
		}
		var f *Fault
		var re *ResponseError
		if !errors.As(err, &f) && !errors.As(err, &re) {
			t.Fatalf("error %T (%v) is neither a *Fault nor a *ResponseError", err, err)
		}
	})
}
