package marketo_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

var successImportXML = successEnvelope("ImportToList", "<importStatus>PROCESSING</importStatus>")

// documentedImport is Marketo's documented importToList example.
func documentedImport() marketo.ImportToListParams {
	return marketo.ImportToListParams{
		ProgramName:  "Trav-Demo-Program",
		ListName:     "Trav-Test-List",
		Mode:         marketo.ImportModeUpsertLeads,
		CampaignName: "Batch Campaign Example",
		Header:       []string{"Last Name", "First Name", "Job Title", "Company Name", "Email Address"},
		Rows: [][]string{
			{"Awesomesauce", "Developer", "Code Slinger", "Marketo", "dawesomesauce@marketo.com"},
			{"Doe", "Jane", "VP Marketing", "Jane Consulting", "jdoe@janeconsulting.com"},
		},
	}
}

func TestImportToListMatchesGolden(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml; charset=utf-8", string(readGolden(t, "import_to_list_response.xml"))))
	res, err := c.ImportToList(context.Background(), documentedImport())
	require.NoError(t, err)
	assert.Equal(t, &marketo.ImportToListResult{Status: marketo.ImportProcessing, ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List"}, res,
		"SOAP names the list and has no import IDs")

	req, body := rec.last(t)
	assert.Equal(t, "http://www.marketo.com/mktows/importToList", req.Header.Get("SOAPAction"))
	assert.Equal(t, canonicalXML(t, readGolden(t, "import_to_list_request.xml")), canonicalXML(t, body))
}

func TestImportToListAlwaysSendsClearListAndNilCampaign(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successImportXML))
	p := documentedImport()
	p.CampaignName = ""
	p.Mode = marketo.ImportModeListOnly
	p.ClearList = true
	p.Rows = nil
	_, err := c.ImportToList(context.Background(), p)
	require.NoError(t, err)
	_, body := rec.last(t)
	s := string(body)
	// campaignName is required but nillable: without a campaign it is sent
	// as xsi:nil, never left out.
	assert.Contains(t, s, `<importFileRows></importFileRows><importListMode>LISTONLY</importListMode><listName>Trav-Test-List</listName><clearList>true</clearList>`+
		`<campaignName xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></ns1:paramsImportToList>`)

	p.ClearList = false
	_, err = c.ImportToList(context.Background(), p)
	require.NoError(t, err)
	_, body = rec.last(t)
	assert.Contains(t, string(body), "<clearList>false</clearList>")
}

// TestImportToListCSVRoundTrip sends awkward values and reads every row back
// with encoding/csv, as one record each, after an XML parser has read the
// request.
func TestImportToListCSVRoundTrip(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successImportXML))
	header := []string{"Email Address", "First Name", "Company Name", "Notes", "{{my.greeting}}"}
	rows := [][]string{
		{"a@example.com", " leading space", "trailing space ", `say "hi"`, "Hello, world"},
		{"b@example.com", "", "", "line one\nline two", "lone \r carriage return"},
		{"c@example.com", `\.`, `"`, "ends with newline\n", "<tag> & ]]> stuff"},
		{"d@example.com", "tab\there", "ünïcødé ✓", "\n", `,,,`},
		{"", "", "", "", ""},
		{"e@example.com", "#comment-like", "'quote'", "  ", "x\n\ny"},
	}
	_, err := c.ImportToList(context.Background(), marketo.ImportToListParams{
		ProgramName: "P", ListName: "L", Mode: marketo.ImportModeUpsertLeads, CampaignName: "C",
		Header: header, Rows: rows,
	})
	require.NoError(t, err)
	_, body := rec.last(t)
	gotHeader, gotRows := sentImport(t, body)
	assert.Equal(t, "Email Address,First Name,Company Name,Notes,{{my.greeting}}", gotHeader)
	require.Len(t, gotRows, len(rows))
	for i, row := range gotRows {
		assert.False(t, strings.HasSuffix(row, "\n"), "row %d ends with a record terminator: %q", i, row)
		r := csv.NewReader(strings.NewReader(row))
		r.FieldsPerRecord = len(header)
		recs, err := r.ReadAll()
		require.NoError(t, err, "row %d: %q", i, row)
		require.Len(t, recs, 1, "row %d is not one record: %q", i, row)
		assert.Equal(t, rows[i], recs[0], "row %d", i)
	}
}

func TestImportToListSingleColumnRows(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successImportXML))
	rows := [][]string{{"a@example.com"}, {""}, {" "}}
	_, err := c.ImportToList(context.Background(), marketo.ImportToListParams{
		ProgramName: "P", ListName: "L", Mode: marketo.ImportModeListOnly,
		Header: []string{"Email Address"}, Rows: rows,
	})
	require.NoError(t, err)
	_, body := rec.last(t)
	_, got := sentImport(t, body)
	require.Len(t, got, 3)
	for i, row := range got {
		recs, err := csv.NewReader(strings.NewReader(row)).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs, 1, "row %d %q must be a record, not an empty line", i, row)
		assert.Equal(t, rows[i], recs[0])
	}
}

func TestImportToListValidation(t *testing.T) {
	t.Parallel()
	ok := documentedImport
	with := func(f func(*marketo.ImportToListParams)) marketo.ImportToListParams {
		p := ok()
		f(&p)
		return p
	}
	cases := []struct {
		name   string
		p      marketo.ImportToListParams
		rules  map[string]string
		fields []string
	}{
		{"nothing", marketo.ImportToListParams{}, map[string]string{"Mode": "required", "Header": "required"}, []string{"ProgramName", "ListName", "Mode", "Header"}},
		{"bad mode", with(func(p *marketo.ImportToListParams) { p.Mode = "upsert" }), map[string]string{"Mode": `"upsert"`}, []string{"Mode"}},
		{"short row", with(func(p *marketo.ImportToListParams) { p.Rows[1] = p.Rows[1][:4] }), map[string]string{"Rows[1]": "has 4 fields; want 5"}, []string{"Rows[1]"}},
		{"long row", with(func(p *marketo.ImportToListParams) { p.Rows[0] = append(p.Rows[0], "x") }), map[string]string{"Rows[0]": "has 6 fields"}, []string{"Rows[0]"}},
		{"CRLF value", with(func(p *marketo.ImportToListParams) { p.Rows[1][3] = "a\r\nb" }), map[string]string{"Rows[1][3]": "carriage return"}, []string{"Rows[1][3]"}},
		{"control character", with(func(p *marketo.ImportToListParams) { p.Rows[0][0] = "a\x1b" }), nil, []string{"Rows[0][0]"}},
		{"empty header name", with(func(p *marketo.ImportToListParams) { p.Header[1] = "" }), nil, []string{"Header[1]"}},
		{"spaced header name", with(func(p *marketo.ImportToListParams) { p.Header[1] = " First Name" }), map[string]string{"Header[1]": "leading or trailing"}, []string{"Header[1]"}},
		{"duplicate header", with(func(p *marketo.ImportToListParams) { p.Header[3] = "Last Name" }), map[string]string{"Header[3]": "Header[0]"}, []string{"Header[3]"}},
		{"token without campaign", with(func(p *marketo.ImportToListParams) {
			p.CampaignName = ""
			p.Header = append(p.Header, "{{my.special}}")
			for i := range p.Rows {
				p.Rows[i] = append(p.Rows[i], "v")
			}
		}), map[string]string{"CampaignName": "My Token"}, []string{"CampaignName"}},
		{"bad token columns", with(func(p *marketo.ImportToListParams) {
			p.Header = append(p.Header, "{{special}}", "{{my.a}", "{{ my.b }}", "{{my.Dup}}", "{{my.dup}}")
			for i := range p.Rows {
				p.Rows[i] = append(p.Rows[i], "1", "2", "3", "4", "5")
			}
		}), map[string]string{"Header[5]": "not a My Token", "Header[9]": "twice"}, []string{"Header[5]", "Header[6]", "Header[7]", "Header[9]"}},
		{"field after token", with(func(p *marketo.ImportToListParams) {
			p.Header = []string{"Email Address", "{{my.a}}", "Last Name"}
			p.Rows = [][]string{{"a@example.com", "1", "Doe"}}
		}), map[string]string{"Header[2]": "after a My Token"}, []string{"Header[2]"}},
		{"only tokens", with(func(p *marketo.ImportToListParams) {
			p.Header = []string{"{{my.a}}"}
			p.Rows = [][]string{{"1"}}
		}), map[string]string{"Header": "no lead field"}, []string{"Header"}},
	}
	c := newMockClient(t, neverCalled(t))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.ImportToList(context.Background(), tc.p)
			requireInvalid(t, err, "ImportToList", tc.rules, tc.fields...)
			require.Error(t, tc.p.Validate())
		})
	}
}

func TestImportToListCapsRowProblems(t *testing.T) {
	t.Parallel()
	p := documentedImport()
	p.Rows = nil
	for i := 0; i < 75; i++ {
		p.Rows = append(p.Rows, []string{fmt.Sprint(i)})
	}
	errs := validationErrors(p.Validate())
	require.Len(t, errs, 51)
	assert.Equal(t, "Rows[0]", errs[0].Field)
	assert.Equal(t, "Rows[49]", errs[49].Field)
	assert.Equal(t, "Rows", errs[50].Field)
	assert.Contains(t, errs[50].Rule, "25 more rows")
}

func TestImportToListTokenColumnsAreSentVerbatim(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successImportXML))
	p := documentedImport()
	p.Header = []string{"Email Address", "my.plain", "{{my.special token}}"}
	p.Rows = [][]string{{"a@example.com", "x", "y"}}
	_, err := c.ImportToList(context.Background(), p)
	require.NoError(t, err)
	_, body := rec.last(t)
	header, _ := sentImport(t, body)
	assert.Equal(t, "Email Address,my.plain,{{my.special token}}", header)
}

func TestImportToListStatuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		xml   string
		want  marketo.ImportStatus
		known bool
	}{
		{"<importStatus>COMPLETE</importStatus>", marketo.ImportComplete, true},
		{"<importStatus>\n FAILED \n</importStatus>", marketo.ImportFailed, true},
		{"<!-- c --><importStatus>CANCELED</importStatus>", marketo.ImportCanceled, true},
		{"<importStatus>QUEUED</importStatus>", "QUEUED", false},
	} {
		c := newMockClient(t, answer(200, successEnvelope("ImportToList", tc.xml)))
		res, err := c.ImportToList(context.Background(), documentedImport())
		require.NoError(t, err)
		assert.Equal(t, tc.want, res.Status)
		assert.Equal(t, tc.known, res.Status.Known())
	}
	for _, missing := range []string{"", `<importStatus xsi:nil="true"/>`, "<importStatus/>"} {
		c := newMockClient(t, answer(200, successEnvelope("ImportToList", missing)))
		_, err := c.ImportToList(context.Background(), documentedImport())
		var re *marketo.ResponseError
		require.True(t, errors.As(err, &re), "%q: %v", missing, err)
		assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown, "the import may have started")
	}
}

func TestImportStatusDone(t *testing.T) {
	t.Parallel()
	assert.False(t, marketo.ImportProcessing.Done())
	assert.True(t, marketo.ImportComplete.Done())
	assert.True(t, marketo.ImportFailed.Done())
	assert.True(t, marketo.ImportCanceled.Done())
	assert.False(t, marketo.ImportStatus("QUEUED").Done())
}
