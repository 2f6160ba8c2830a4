package marketo

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/mktows/marketo/internal/csvrec"
	"github.com/mktows/marketo/internal/xmltext"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo/internal/soapwire"
)

// awkwardRows are rows whose CSV records and XML text need every kind of
// quoting and escaping.
func awkwardRows(n int) [][]string {
	values := []string{
		"", " ", "plain", `say "hi"`, `"`, `""`, "a,b", "line\nfeed", "lone\rcr", "]]>", "<tag>", "a & b",
		" leading", "trailing ", "\tleading tab", "\u00a0nbsp", "ünïcödé", "日本語", "😀", `\.`, `\.x`, "{{my.token}}",
	}
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = []string{
			values[i%len(values)],
			values[(i*7+3)%len(values)],
			"lead" + strconv.Itoa(i) + "@example.com",
			values[(i*13+5)%len(values)],
		}
	}
	return rows
}

func awkwardImport(rows int) ImportToListParams {
	return ImportToListParams{
		ProgramName:  "Program <&> \"x\"",
		ListName:     "List ]]> one",
		Mode:         ImportModeUpsertLeads,
		CampaignName: "Campaign",
		Header:       []string{"Email Address", "First, Name", "Last \"Name\"", "{{my.Token}}"},
		Rows:         awkwardRows(rows),
	}
}

// builtParamsImportToList is paramsImportToList with every row's CSV record
// held as a string and encoded by the generic string encoder: the params
// element as the SDK built it whole before streaming.
type builtParamsImportToList struct {
	ProgramName      string `xml:"programName"`
	ImportFileHeader string `xml:"importFileHeader"`
	ImportFileRows   struct {
		StringItem []string `xml:"stringItem,omitempty"`
	} `xml:"importFileRows"`
	ImportListMode string `xml:"importListMode"`
	ListName       string `xml:"listName"`
	ClearList      bool   `xml:"clearList"`
	CampaignName   string `xml:"campaignName" wire:"nillable"`
}

func builtParams(t *testing.T, p ImportToListParams) []byte {
	t.Helper()
	require.NoError(t, p.validate())
	w := p.wire()
	built := builtParamsImportToList{
		ProgramName: w.ProgramName, ImportFileHeader: w.ImportFileHeader, ImportListMode: w.ImportListMode,
		ListName: w.ListName, ClearList: w.ClearList, CampaignName: w.CampaignName,
	}
	built.ImportFileRows.StringItem = make([]string, len(p.Rows))
	for i, row := range p.Rows {
		built.ImportFileRows.StringItem[i] = csvrec.Record(row)
	}
	return soapwire.AppendElement(nil, soapOperations[opImportToList].params, &built)
}

// newEnvelopeReader is the body an attempt streams: the envelope of head
// and params, read through gate.
func newEnvelopeReader(gate *requestBodyGate, head []byte, params *soapwire.EncodedParams) *gatedReader {
	return &gatedReader{gate: gate, chunks: params.Chunks(head)}
}

// TestStreamedImportMatchesBuiltEnvelope checks that the streamed envelope
// of an import is byte for byte the envelope built whole, whatever the
// sizes of the reads, that its announced size is exact, and that the wire
// trace and the one-buffer path write the same bytes.
func TestStreamedImportMatchesBuiltEnvelope(t *testing.T) {
	t.Parallel()
	for _, rows := range []int{0, 1, 5, 2000} {
		for _, clear := range []bool{false, true} {
			p := awkwardImport(rows)
			p.ClearList = clear
			if clear {
				p.CampaignName = ""
				p.Header = p.Header[:3]
				for i := range p.Rows {
					p.Rows[i] = p.Rows[i][:3]
				}
			}
			require.NoError(t, p.validate())
			w := p.wire()
			params := soapwire.EncodeParams(soapOperations[opImportToList].params, w)
			head := soapwire.AppendHead(nil, "user", []byte("signature"), []byte("timestamp"))
			want := append(append(append([]byte(nil), head...), builtParams(t, p)...), soapwire.EnvelopeEnd...)

			require.Equal(t, len(want), len(head)+params.Size()+len(soapwire.EnvelopeEnd), "announced size, %d rows", rows)
			got, err := io.ReadAll(newEnvelopeReader(&requestBodyGate{}, head, &params))
			require.NoError(t, err)
			require.Equal(t, string(want), string(got), "%d rows", rows)
			for _, r := range []io.Reader{
				iotest.OneByteReader(newEnvelopeReader(&requestBodyGate{}, head, &params)),
				iotest.HalfReader(newEnvelopeReader(&requestBodyGate{}, head, &params)),
				io.LimitReader(newEnvelopeReader(&requestBodyGate{}, head, &params), int64(len(want))),
			} {
				got, err := io.ReadAll(r)
				require.NoError(t, err)
				require.Equal(t, string(want), string(got))
			}
			require.NoError(t, iotest.TestReader(newEnvelopeReader(&requestBodyGate{}, head, &params), want))
			require.Equal(t, string(want), string(append(append(append([]byte(nil), head...), params.AppendTo(nil)...), soapwire.EnvelopeEnd...)))
			require.Equal(t, string(want), string(params.AppendTrace(nil, head)))
			require.Equal(t, string(want[len(head):len(want)-len(soapwire.EnvelopeEnd)]), string(soapwire.AppendElement(nil, soapOperations[opImportToList].params, w)))
		}
	}
}

func TestCSVRecordTextSize(t *testing.T) {
	t.Parallel()
	for _, row := range append(awkwardRows(100), csvRecordCases...) {
		got := csvrec.AppendXML(nil, row)
		require.Equal(t, string(xmltext.Append(nil, csvrec.Record(row))), string(got), "%q", row)
		require.Equal(t, len(got), csvrec.XMLSize(row), "%q", row)
	}
}

// TestWireTraceSummarisesHugeImports checks that the trace of an import
// whose records exceed the trace's limit shows the first records, says how
// many more were sent and how large they were, and shows the rest of the
// envelope.
func TestWireTraceSummarisesHugeImports(t *testing.T) {
	t.Parallel()
	p := awkwardImport(40000)
	require.NoError(t, p.validate())
	w := p.wire()
	params := soapwire.EncodeParams(soapOperations[opImportToList].params, w)
	head := soapwire.AppendHead(nil, "user", nil, nil)
	full := append(append(append([]byte(nil), head...), params.AppendTo(nil)...), soapwire.EnvelopeEnd...)
	require.Greater(t, len(full), 2*soapwire.MaxTracedRecords)

	trace := params.AppendTrace(nil, head)
	require.Less(t, len(trace), soapwire.MaxTracedRecords+64<<10)
	before, after, ok := bytes.Cut(trace, []byte("<!-- wire trace: "))
	require.True(t, ok)
	require.True(t, bytes.HasPrefix(full, before), "the trace starts as the request does")
	note, rest, ok := bytes.Cut(after, []byte(" -->"))
	require.True(t, ok)
	shown := strings.Count(string(before), "<stringItem>")
	omitted := full[len(before):]
	omitted = omitted[:bytes.Index(omitted, []byte("</importFileRows>"))]
	require.Equal(t, strconv.Itoa(len(p.Rows)-shown)+" more stringItem elements ("+strconv.Itoa(len(omitted))+" bytes) sent, not shown", string(note))
	require.True(t, bytes.HasSuffix(full, rest), "the trace ends as the request does")
	require.True(t, bytes.HasPrefix(rest, []byte("</importFileRows><importListMode>")))
}

// TestEnvelopeReaderStopsWhenTheAttemptEnds checks that a body the
// transport goes on reading after the attempt ended no longer reads the
// caller's rows.
func TestEnvelopeReaderStopsWhenTheAttemptEnds(t *testing.T) {
	t.Parallel()
	p := awkwardImport(100)
	require.NoError(t, p.validate())
	w := p.wire()
	gate := &requestBodyGate{}
	params := soapwire.EncodeParams(soapOperations[opImportToList].params, w)
	r := newEnvelopeReader(gate, soapwire.AppendHead(nil, "user", nil, nil), &params)
	buf := make([]byte, 100)
	_, err := io.ReadFull(r, buf)
	require.NoError(t, err)
	gate.close()
	n, err := r.Read(buf)
	require.Zero(t, n)
	require.ErrorIs(t, err, errAttemptOver)
}

// bodyChecker is an HTTP client that reads each request body, checks that
// the request gives a transport no way to read it again (GetBody, which
// net/http uses to resend a request on its own), and answers with answer.
type bodyChecker struct {
	t      *testing.T
	answer string
	bodies [][]byte
}

func (b *bodyChecker) Do(req *http.Request) (*http.Response, error) {
	first, err := io.ReadAll(req.Body)
	require.NoError(b.t, err)
	require.Nil(b.t, req.GetBody, "a transport could send the request again")
	require.Equal(b.t, int64(len(first)), req.ContentLength)
	b.bodies = append(b.bodies, first)
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK",
		Header: http.Header{"Content-Type": {"text/xml; charset=utf-8"}},
		Body:   io.NopCloser(strings.NewReader(b.answer)),
	}, nil
}

// TestStreamedImportOneShotBodyAndLength checks that a streamed import's
// body can be sent only once, that its Content-Length is exact, and that
// the envelope is the one built whole.
func TestStreamedImportOneShotBodyAndLength(t *testing.T) {
	t.Parallel()
	const success = `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Body><ns1:successImportToList><result><importStatus>PROCESSING</importStatus></result></ns1:successImportToList></SOAP-ENV:Body></SOAP-ENV:Envelope>`
	hc := &bodyChecker{t: t, answer: success}
	tick := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c, err := NewClient(Config{Endpoint: "https://123-ABC-456.mktoapi.com/soap/mktows/2_9", UserID: "user", EncryptionKey: "key"},
		WithHTTPClient(hc), WithClock(func() time.Time { tick = tick.Add(time.Second); return tick }))
	require.NoError(t, err)
	p := awkwardImport(3000)
	res, err := c.ImportToList(context.Background(), p)
	require.NoError(t, err)
	require.Equal(t, ImportProcessing, res.Status)
	require.Len(t, hc.bodies, 1)
	require.Greater(t, len(hc.bodies[0]), maxCopiedBody)
	_, params, ok := bytes.Cut(hc.bodies[0], []byte("</SOAP-ENV:Header><SOAP-ENV:Body>"))
	require.True(t, ok)
	require.Equal(t, string(builtParams(t, p))+soapwire.EnvelopeEnd, string(params))

}
