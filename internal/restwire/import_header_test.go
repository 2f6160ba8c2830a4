package restwire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testLeadFields() *LeadFieldNames {
	rest := func(name string) *LeadFieldAPI { return &LeadFieldAPI{Name: name} }
	return NewLeadFieldNames([]LeadField{
		{DisplayName: "Email Address", REST: rest("email")},
		{DisplayName: "First Name", REST: rest("firstName")},
		{DisplayName: "First Name", REST: rest("firstName")}, // listed twice: still one field
		{DisplayName: "Score", REST: rest("leadScore")},
		{DisplayName: "Score", REST: rest("behaviorScore")},
		{DisplayName: "company", REST: rest("companyName")}, // a display name that is another field's REST name
		{DisplayName: "Company", REST: rest("company")},
		{DisplayName: "", REST: rest("cookies")},
		{DisplayName: "SOAP Only"},                  // no "rest": not writable over REST
		{DisplayName: "Blank", REST: rest("")},      // no REST name either
		{DisplayName: "Phone", REST: rest("phone")}, // REST name and display name differ in case only
	})
}

func TestTranslateHeader(t *testing.T) {
	t.Parallel()
	x := testLeadFields()
	got, err := x.Translate([]string{"Email Address", "firstName"})
	require.NoError(t, err)
	assert.Equal(t, []string{"email", "firstName"}, got)
	got, err = x.Translate([]string{"First Name", "leadScore", "behaviorScore", "Company", "cookies", "phone"})
	require.NoError(t, err)
	assert.Equal(t, []string{"firstName", "leadScore", "behaviorScore", "company", "cookies", "phone"}, got)
	got, err = x.Translate(nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestTranslateHeaderRefusals(t *testing.T) {
	t.Parallel()
	x := testLeadFields()
	cases := map[string]struct {
		header []string
		want   []ParamError
	}{
		"unknown": {[]string{"email", "Fax"}, []ParamError{
			{"Header[1]", `"Fax" is neither the display name nor the REST name of a lead field of this tenant`}}},
		"another case": {[]string{"EMAIL"}, []ParamError{
			{"Header[0]", `"EMAIL" is neither the display name nor the REST name of a lead field of this tenant (names differ in case: did you mean "email"?)`}}},
		"another case of two": {[]string{"PHONE"}, []ParamError{
			{"Header[0]", `"PHONE" is neither the display name nor the REST name of a lead field of this tenant (names differ in case: did you mean "phone" or "Phone"?)`}}},
		"a display name in another case": {[]string{"email address"}, []ParamError{
			{"Header[0]", `"email address" is neither the display name nor the REST name of a lead field of this tenant (names differ in case: did you mean "Email Address"?)`}}},
		"fields without a REST name": {[]string{"SOAP Only", "Blank", ""}, []ParamError{
			{"Header[0]", `"SOAP Only" is neither the display name nor the REST name of a lead field of this tenant`},
			{"Header[1]", `"Blank" is neither the display name nor the REST name of a lead field of this tenant`},
			{"Header[2]", `"" is neither the display name nor the REST name of a lead field of this tenant`}}},
		"shown by two fields": {[]string{"Score"}, []ParamError{
			{"Header[0]", `"Score" names 2 lead fields (REST names "leadScore" or "behaviorScore"); write the REST name of the one meant`}}},
		"a REST name and another's display name": {[]string{"company"}, []ParamError{
			{"Header[0]", `"company" names 2 lead fields (REST names "company" or "companyName"); write the REST name of the one meant`}}},
		"named twice": {[]string{"email", "firstName", "Email Address", "email"}, []ParamError{
			{"Header[2]", `"Email Address" is the lead field "email", which Header[0] already names`},
			{"Header[3]", `"email" is the lead field "email", which Header[0] already names`}}},
		"every problem": {[]string{"Fax", "email", "Score", "email"}, []ParamError{
			{"Header[0]", `"Fax" is neither the display name nor the REST name of a lead field of this tenant`},
			{"Header[2]", `"Score" names 2 lead fields (REST names "leadScore" or "behaviorScore"); write the REST name of the one meant`},
			{"Header[3]", `"email" is the lead field "email", which Header[1] already names`}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := x.Translate(tc.header)
			require.Error(t, err)
			assert.Nil(t, got)
			var problems []ParamError
			for _, p := range paramErrors(err) {
				problems = append(problems, *p)
			}
			assert.Equal(t, tc.want, problems)
		})
	}
}
