package marketo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fieldsOf(err error) map[string]string {
	m := map[string]string{}
	for _, e := range ValidationErrors(err) {
		m[e.Field] = e.Rule
	}
	return m
}

func TestImportToListRESTRefusesWhatRESTCannotDo(t *testing.T) {
	t.Parallel()
	p := ImportToListParams{
		ProgramName: "P", ListName: "L", Mode: ImportModeUpsertLeads, ClearList: true, CampaignName: "C",
		Header: []string{"Email Address", "{{my.Offer}}"},
		Rows:   [][]string{{"a@example.com", "10%"}},
	}
	require.NoError(t, validateOn(apiSOAP, opImportToList, &p), "SOAP has clearList and token columns")
	require.NoError(t, p.Validate())
	got := fieldsOf(validateOn(apiREST, opImportToList, &p))
	require.Len(t, got, 3, "%v", got)
	assert.Contains(t, got["ClearList"], "not available on the REST API")
	assert.Contains(t, got["ClearList"], "import into a new or emptied list instead")
	assert.Contains(t, got["Header[1]"], `My Token column "{{my.Offer}}" is not available on the REST API`)
	assert.Contains(t, got["Header[1]"], "store the values in a lead field")
	assert.Contains(t, got["CampaignName"], "leave it empty")

	p.ClearList, p.CampaignName, p.Header, p.Rows = false, "", []string{"Email Address"}, [][]string{{"a@example.com"}}
	assert.NoError(t, validateOn(apiREST, opImportToList, &p))
}

func TestImportToListRESTKeepsTheSharedRules(t *testing.T) {
	t.Parallel()
	p := ImportToListParams{ProgramName: "P", Mode: ImportModeListOnly, Header: []string{"Email Address"}, Rows: [][]string{{"a", "b"}}}
	got := fieldsOf(validateOn(apiREST, opImportToList, &p))
	assert.Contains(t, got, "ListName")
	assert.Contains(t, got, "Rows[0]")
}

func TestGetImportToListStatusParamsPerAPI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		p      GetImportToListStatusParams
		api    api
		fields []string
		rule   string
	}{
		{"SOAP names the list", GetImportToListStatusParams{ProgramName: "P", ListName: "L"}, apiSOAP, nil, ""},
		{"SOAP refuses an import ID", GetImportToListStatusParams{ProgramName: "P", ListName: "L", ImportID: "3404"}, apiSOAP, []string{"ImportID"}, "not available on the SOAP API"},
		{"SOAP needs the names", GetImportToListStatusParams{ImportID: "3404"}, apiSOAP, []string{"ImportID", "ProgramName", "ListName"}, ""},
		{"REST needs an import ID", GetImportToListStatusParams{ProgramName: "P", ListName: "L"}, apiREST, []string{"ImportID"}, "is required on the REST API"},
		{"REST import ID alone", GetImportToListStatusParams{ImportID: "3404"}, apiREST, nil, ""},
		{"REST import ID and names", GetImportToListStatusParams{ProgramName: "P", ListName: "L", ImportID: "3404"}, apiREST, nil, ""},
		{"REST bad names", GetImportToListStatusParams{ProgramName: " ", ListName: "a\x00", ImportID: "3404"}, apiREST, []string{"ProgramName", "ListName"}, ""},
		{"REST import ID not a number", GetImportToListStatusParams{ImportID: "34a"}, apiREST, []string{"ImportID"}, "not an import ID"},
		{"REST import ID with a sign", GetImportToListStatusParams{ImportID: "+34"}, apiREST, []string{"ImportID"}, "not an import ID"},
		{"REST import ID zero", GetImportToListStatusParams{ImportID: "0"}, apiREST, []string{"ImportID"}, "not an import ID"},
		{"REST import ID path", GetImportToListStatusParams{ImportID: "../1"}, apiREST, []string{"ImportID"}, "not an import ID"},
		{"either API: an import ID", GetImportToListStatusParams{ImportID: "3404"}, apiEither, nil, ""},
		{"either API: names", GetImportToListStatusParams{ProgramName: "P", ListName: "L"}, apiEither, nil, ""},
		{"either API: nothing", GetImportToListStatusParams{}, apiEither, []string{"ProgramName", "ListName"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := fieldsOf(validateOn(tc.api, opGetImportToListStatus, &tc.p))
			var fields []string
			for f := range got {
				fields = append(fields, f)
			}
			assert.ElementsMatch(t, tc.fields, fields, "%v", got)
			if tc.rule != "" {
				assert.Contains(t, got[tc.fields[0]], tc.rule)
			}
		})
	}
}
