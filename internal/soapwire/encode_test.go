package soapwire

import (
	"strings"
	"testing"

	"github.com/mktows/marketo/internal/xmltext"
)

// joinText writes a row as its fields joined by "|", escaped as XML text.
func joinText(b []byte, row []string) []byte { return xmltext.Append(b, strings.Join(row, "|")) }

func testImport(rows [][]string) *ParamsImportToList {
	size := 0
	for _, row := range rows {
		size += len(xmltext.Append(nil, strings.Join(row, "|")))
	}
	return &ParamsImportToList{
		ProgramName: "P <&>", ImportFileHeader: "a|b", ImportListMode: "UPSERTLEADS", ListName: "L",
		ImportFileRows: ArrayOfString{StringItem: Records{Rows: rows, TextSize: size, Text: joinText}},
	}
}

// TestRecordsStreamAsTheyAreWritten: the chunks of an envelope whose
// params hold Records are the envelope written whole, its announced size
// is exact, and the records are written by their Text function.
func TestRecordsStreamAsTheyAreWritten(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 3} {
		var rows [][]string
		for i := range n {
			rows = append(rows, []string{"x&" + strings.Repeat("y", i), "\r<z>"})
		}
		w := testImport(rows)
		p := EncodeParams("ns1:paramsImportToList", w)
		whole := AppendElement(nil, "ns1:paramsImportToList", w)
		if got := string(p.AppendTo(nil)); got != string(whole) {
			t.Fatalf("%d rows: AppendTo wrote\n%s\nAppendElement\n%s", n, got, whole)
		}
		if p.Size() != len(whole) {
			t.Errorf("%d rows: Size %d, want %d", n, p.Size(), len(whole))
		}
		head := AppendHead(nil, "user&", []byte("sig"), []byte("ts"))
		var streamed []byte
		c := p.Chunks(head)
		for b := c.Next(); b != nil; b = c.Next() {
			streamed = append(streamed, b...)
		}
		want := string(head) + string(whole) + EnvelopeEnd
		if string(streamed) != want {
			t.Errorf("%d rows: chunks\n%s\nwant\n%s", n, streamed, want)
		}
		if got := string(p.AppendTrace(nil, head)); got != want {
			t.Errorf("%d rows: trace\n%s\nwant\n%s", n, got, want)
		}
		if n > 0 && !strings.Contains(want, "<stringItem>x&amp;|&#xD;&lt;z&gt;</stringItem>") {
			t.Errorf("%d rows: the first record is not written by Text:\n%s", n, want)
		}
	}
}

// TestParamSizesNameTheCallersParameters: sizes are reported under the
// param tag, and fields left out are not reported.
func TestParamSizesNameTheCallersParameters(t *testing.T) {
	t.Parallel()
	sizes := ParamSizes(&ParamsScheduleCampaign{ProgramName: "p", CampaignName: "c", ProgramTokenList: &ArrayOfAttrib{Attrib: []Attrib{{Name: "n", Value: "v"}}}})
	want := []ParamSize{{"ProgramName", len("<programName>p</programName>")}, {"CampaignName", len("<campaignName>c</campaignName>")},
		{"Tokens", len("<programTokenList><attrib><name>n</name><value>v</value></attrib></programTokenList>")}}
	if len(sizes) != len(want) {
		t.Fatalf("got %+v, want %+v", sizes, want)
	}
	for i := range want {
		if sizes[i] != want[i] {
			t.Errorf("got %+v, want %+v", sizes[i], want[i])
		}
	}
}
