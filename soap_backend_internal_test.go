package marketo

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo/internal/soapwire"
)

// TestSOAPRequestStreamsALargeBody: a params element up to maxCopiedBody
// is copied into one buffer with the envelope; one byte more is streamed
// from the call's encoding instead of copied (an import's rows are never
// held twice). Both send the same envelope.
func TestSOAPRequestStreamsALargeBody(t *testing.T) {
	t.Parallel()
	b := newSOAPBackend(&engine{userAgent: "ua", now: time.Now}, "https://x.example/soap", Config{UserID: "u", EncryptionKey: "k"})
	sop := soapOperations[opScheduleCampaign]
	params := func(value string) soapwire.EncodedParams {
		p := ScheduleCampaignParams{ProgramName: "P", CampaignName: "C", Tokens: []Token{{Name: "{{my.t}}", Value: value}}}
		return soapwire.EncodeParams(sop.params, p.wire())
	}
	small := params("x")
	pad := maxCopiedBody - small.Size()
	var sig [soapwire.SignatureSize]byte
	for _, tc := range []struct {
		extra    int
		streamed bool
	}{{-1, false}, {0, false}, {1, true}} {
		body := params("x" + strings.Repeat("y", pad+tc.extra))
		require.Equal(t, maxCopiedBody+tc.extra, body.Size())
		req, copied, release, err := b.newRequest(context.Background(), sop, &body, &sig)
		require.NoError(t, err)
		sent, err := io.ReadAll(req.Body)
		release()
		require.NoError(t, err)
		assert.EqualValues(t, len(sent), req.ContentLength)
		assert.True(t, strings.HasSuffix(string(sent), soapwire.EnvelopeEnd), "%d: the whole envelope", body.Size())
		if tc.streamed {
			assert.Nil(t, copied, "%d bytes of params are copied", body.Size())
		} else {
			assert.Equal(t, string(sent), string(copied), "%d bytes of params are streamed", body.Size())
		}
	}
}

// TestLowerFirst: SOAP's operation names are the methods' with the first
// letter lower-cased, A and Z included; anything but A-Z stays.
func TestLowerFirst(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ScheduleCampaign": "scheduleCampaign", "A": "a", "Zed": "zed",
		"@x": "@x", "[x": "[x", "already": "already", "": "",
	} {
		assert.Equal(t, want, lowerFirst(in), in)
	}
}
