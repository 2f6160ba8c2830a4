package marketo

import (
	"encoding/json"
	"testing"

	"github.com/mktows/marketo/internal/restwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// describeResult is the result of GET /rest/v1/leads/describe.json on a
// tenant with a custom field whose display name repeats a standard one, a
// field another field's REST name spells, and a SOAP-only field.
const describeResult = `[
 {"id":1,"displayName":"Id","dataType":"integer","rest":{"name":"id","readOnly":true},"soap":{"name":"Id","readOnly":true}},
 {"id":2,"displayName":"Email Address","dataType":"email","length":255,"rest":{"name":"email","readOnly":false},"soap":{"name":"Email","readOnly":false}},
 {"id":3,"displayName":"First Name","dataType":"string","rest":{"name":"firstName","readOnly":false}},
 {"id":4,"displayName":"Last Name","dataType":"string","rest":{"name":"lastName","readOnly":false}},
 {"id":5,"displayName":"Company Name","dataType":"string","rest":{"name":"company","readOnly":false}},
 {"id":6,"displayName":"Job Title","dataType":"string","rest":{"name":"title","readOnly":false}},
 {"id":7,"displayName":"Job Title","dataType":"string","rest":{"name":"jobTitle2","readOnly":false}},
 {"id":8,"displayName":"title","dataType":"string","rest":{"name":"legacyTitle","readOnly":false}},
 {"id":9,"displayName":"SOAP Only","dataType":"string","soap":{"name":"SoapOnly","readOnly":false}},
 {"id":10,"displayName":"Shoe Size","dataType":"integer","rest":{"name":"shoeSize","readOnly":false}}
]`

func testFieldNames(t *testing.T) *restwire.LeadFieldNames {
	t.Helper()
	var fields []restwire.LeadField
	require.NoError(t, json.Unmarshal([]byte(describeResult), &fields))
	return restwire.NewLeadFieldNames(fields)
}

// translate is what ImportToList makes of header: its REST names, or the
// public errors of its columns.
func translate(x *restwire.LeadFieldNames, header []string) ([]string, error) {
	got, err := x.Translate(header)
	return got, publicRESTError(err, codecAnswer{})
}

func TestHeaderTranslation(t *testing.T) {
	t.Parallel()
	x := testFieldNames(t)
	got, err := translate(x, []string{"Email Address", "firstName", "Last Name", "Company Name", "shoeSize", "jobTitle2"})
	require.NoError(t, err)
	assert.Equal(t, []string{"email", "firstName", "lastName", "company", "shoeSize", "jobTitle2"}, got,
		"display names become REST names; REST names pass through")
}

func TestHeaderTranslationRefusals(t *testing.T) {
	t.Parallel()
	x := testFieldNames(t)
	for _, tc := range []struct {
		name   string
		header []string
		field  string
		rule   []string
	}{
		{"unknown", []string{"email", "Favourite Colour"}, "Header[1]", []string{`"Favourite Colour" is neither the display name nor the REST name`}},
		{"case differs", []string{"email address"}, "Header[0]", []string{`did you mean "Email Address"?`}},
		{"case differs from a REST name", []string{"FirstName"}, "Header[0]", []string{`did you mean "firstName"?`}},
		{"two fields show one display name", []string{"Job Title"}, "Header[0]", []string{`"Job Title" names 2 lead fields`, `"title" or "jobTitle2"`, "write the REST name"}},
		{"a REST name that is another field's display name", []string{"title"}, "Header[0]", []string{`"title" names 2 lead fields`, `"title" or "legacyTitle"`}},
		{"the same field twice", []string{"Email Address", "lastName", "email"}, "Header[2]", []string{`"email" is the lead field "email", which Header[0] already names`}},
		{"a field REST cannot write", []string{"SOAP Only"}, "Header[0]", []string{`"SOAP Only" is neither`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := translate(x, tc.header)
			assert.Nil(t, got)
			errs := ValidationErrors(err)
			require.Len(t, errs, 1, "%v", err)
			assert.Equal(t, tc.field, errs[0].Field)
			for _, r := range tc.rule {
				assert.Contains(t, errs[0].Rule, r)
			}
		})
	}
}

func TestHeaderTranslationReportsEveryColumn(t *testing.T) {
	t.Parallel()
	_, err := translate(testFieldNames(t), []string{"Nope", "email", "Job Title", "Nope either"})
	var fields []string
	for _, e := range ValidationErrors(err) {
		fields = append(fields, e.Field)
	}
	assert.Equal(t, []string{"Header[0]", "Header[2]", "Header[3]"}, fields)
}
