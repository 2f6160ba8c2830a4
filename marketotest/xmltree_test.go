package marketotest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// TestParserWorkIsLinear proves the parser linear by counting its work
// instead of timing it (the machine is too noisy for timings): for
// documents whose text is cut into many pieces by comments, or whose
// elements sit after a long run of white space, the bytes of character data
// it scans and moves stay within a small multiple of the document's size.
// Building text by concatenation, or re-checking an element's whole text
// for each child, makes this grow with the square of the pieces.
func TestParserWorkIsLinear(t *testing.T) {
	t.Parallel()
	const n = 50000
	docs := map[string]string{
		"text between comments":        "<a>" + strings.Repeat("x<!---->", n) + "</a>",
		"white space between comments": "<a>" + strings.Repeat("\n<!---->", n) + "<b/></a>",
		"children after white space":   "<a>" + strings.Repeat(" ", n) + strings.Repeat("<b/> ", n) + "</a>",
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var p parser
			_, f := p.parse([]byte(doc))
			require.Nil(t, f)
			assert.LessOrEqual(t, p.work, 4*len(doc), "bytes of character data handled for a %d-byte document", len(doc))
		})
	}
}

// TestParserKeepsTextSplitByComments checks that the pieces of text around
// comments are joined, and that stray text is still refused as mixed
// content however the comments cut it.
func TestParserKeepsTextSplitByComments(t *testing.T) {
	t.Parallel()
	root, f := parseXML([]byte("<a><b>x<!-- 1 -->y<!---->z</b>\n<!---->\n</a>"))
	require.Nil(t, f)
	require.Len(t, root.kids, 1)
	assert.Equal(t, "xyz", root.kids[0].text)
	for _, doc := range []string{
		"<a> <!---->x<b/></a>",
		"<a><b/> <!---->x</a>",
	} {
		_, f := parseXML([]byte(doc))
		require.NotNil(t, f, doc)
		assert.Equal(t, marketo.CodeRequestNotUnderstood, f.Code)
		assert.Equal(t, "Mixed content in element a", f.Message)
	}
}

// TestParserCapsDepth checks that nesting is refused past maxDepth with a
// fault that says so, at once and not after reading the whole document:
// the deepest Marketo message nests 7 elements.
func TestParserCapsDepth(t *testing.T) {
	t.Parallel()
	nested := func(depth int) string {
		return strings.Repeat("<a>", depth) + strings.Repeat("</a>", depth)
	}
	_, f := parseXML([]byte(nested(maxDepth)))
	require.Nil(t, f, "%d levels are accepted", maxDepth)
	for _, depth := range []int{maxDepth + 1, 1_000_000} {
		_, f := parseXML([]byte(nested(depth)))
		require.NotNil(t, f)
		assert.Equal(t, marketo.CodeRequestNotUnderstood, f.Code)
		assert.Equal(t, "Elements nested deeper than 32 levels", f.Message)
	}
	assert.Equal(t, 32, maxDepth, "the figure documented in doc.go")
}

func TestParserCapsElements(t *testing.T) {
	t.Parallel()
	_, f := parseXML([]byte("<a>" + strings.Repeat("<b/>", maxElements-1) + "</a>"))
	require.Nil(t, f)
	_, f = parseXML([]byte("<a>" + strings.Repeat("<b/>", maxElements) + "</a>"))
	require.NotNil(t, f)
	assert.Equal(t, "More than 100000 elements", f.Message)
}

// TestDeepRequestIsRefusedOverHTTP sends a body nested 100,000 deep to the
// endpoint: a fault that names the cap, and nothing run.
func TestDeepRequestIsRefusedOverHTTP(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	deep := strings.Repeat("<x>", 100_000) + strings.Repeat("</x>", 100_000)
	f := requireFault(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<cloneToProgramName>"+deep+"</cloneToProgramName>")), marketo.CodeRequestNotUnderstood)
	assert.Equal(t, "Elements nested deeper than 32 levels (20012)", f.Message)
	assert.Empty(t, srv.Runs())
}
