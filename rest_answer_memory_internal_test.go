package marketo

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/mktows/marketo/internal/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
