package soapwire

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo/internal/wsdl"
	"github.com/mktows/marketo/internal/wsdlref"
)

// wireSchema pairs each request wire struct with its complex type in the
// project's WSDL and the type gowsdl generated from it.
var wireSchema = []struct {
	wire      reflect.Type
	schema    string
	generated reflect.Type
}{
	{reflect.TypeFor[AuthenticationHeader](), "AuthenticationHeaderInfo", reflect.TypeFor[wsdlref.AuthenticationHeaderInfo]()},
	{reflect.TypeFor[ParamsScheduleCampaign](), "ParamsScheduleCampaign", reflect.TypeFor[wsdlref.ParamsScheduleCampaign]()},
	{reflect.TypeFor[ArrayOfAttrib](), "ArrayOfAttrib", reflect.TypeFor[wsdlref.ArrayOfAttrib]()},
	{reflect.TypeFor[Attrib](), "Attrib", reflect.TypeFor[wsdlref.Attrib]()},
	{reflect.TypeFor[ParamsRequestCampaign](), "ParamsRequestCampaign", reflect.TypeFor[wsdlref.ParamsRequestCampaign]()},
	{reflect.TypeFor[ArrayOfLeadKey](), "ArrayOfLeadKey", reflect.TypeFor[wsdlref.ArrayOfLeadKey]()},
	{reflect.TypeFor[LeadKey](), "LeadKey", reflect.TypeFor[wsdlref.LeadKey]()},
	{reflect.TypeFor[ParamsGetCampaignsForSource](), "ParamsGetCampaignsForSource", reflect.TypeFor[wsdlref.ParamsGetCampaignsForSource]()},
	{reflect.TypeFor[ParamsImportToList](), "ParamsImportToList", reflect.TypeFor[wsdlref.ParamsImportToList]()},
	{reflect.TypeFor[ArrayOfString](), "ArrayOfString", reflect.TypeFor[wsdlref.ArrayOfString]()},
	{reflect.TypeFor[ParamsGetImportToListStatus](), "ParamsGetImportToListStatus", reflect.TypeFor[wsdlref.ParamsGetImportToListStatus]()},
}

type wireField struct {
	name     string
	optional bool
	nillable bool
	repeated bool
}

// wireFields reads a wire struct's elements the way the encoder does: a
// slice, or Records (one element per row, streamed), is a repeated
// element.
func wireFields(t reflect.Type) []wireField {
	var out []wireField
	for _, f := range structFields(t) {
		ft := t.Field(f.index).Type
		repeated := ft.Kind() == reflect.Slice || ft == reflect.TypeFor[Records]()
		out = append(out, wireField{name: f.name, optional: f.omitEmpty, nillable: f.nillable, repeated: repeated})
	}
	return out
}

// generatedNames lists the element names of a gowsdl type in field order.
func generatedNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("xml")
		name, _, _ := strings.Cut(tag, ",")
		if t.Field(i).Name == "XMLName" || name == "" || name == "-" {
			continue
		}
		out = append(out, name)
	}
	return out
}

// TestWireStructsMatchSchema fails when a request wire struct drifts from the
// WSDL: an element the schema lacks, elements out of schema order, a
// required element missing, or optional-ness or repetition that differs.
func TestWireStructsMatchSchema(t *testing.T) {
	t.Parallel()
	for _, ws := range wireSchema {
		t.Run(ws.schema, func(t *testing.T) {
			t.Parallel()
			seq, ok := wsdl.Sequence(ws.schema)
			require.True(t, ok, "schema has no complex type %s", ws.schema)
			fields := wireFields(ws.wire)

			pos := 0
			sent := map[string]bool{}
			for _, f := range fields {
				sent[f.name] = true
				for pos < len(seq) && seq[pos].Name != f.name {
					pos++
				}
				require.Less(t, pos, len(seq), "%s.%s is not in the schema, or is out of schema order", ws.wire.Name(), f.name)
				el := seq[pos]
				assert.Equal(t, el.Optional(), f.optional, "%s: optional in schema = %v, omitempty in wire struct = %v", f.name, el.Optional(), f.optional)
				assert.Equal(t, el.Repeated, f.repeated, "%s: repeated", f.name)
				if f.nillable {
					assert.True(t, el.Nillable, "%s is sent as xsi:nil but the schema does not allow nil", f.name)
				}
				pos++
			}
			for _, el := range seq {
				if !el.Optional() {
					assert.True(t, sent[el.Name], "required element %s of %s is missing from %s", el.Name, ws.schema, ws.wire.Name())
				}
			}

			// The generated reference type has the same elements in the same
			// order as the schema, so the wire struct is a subsequence of it.
			gen := generatedNames(ws.generated)
			var schemaNames []string
			for _, el := range seq {
				schemaNames = append(schemaNames, el.Name)
			}
			assert.Equal(t, schemaNames, gen, "gowsdl reference type %s is out of date; run go generate ./...", ws.generated.Name())
		})
	}
}

// TestEncoderFollowsWireStructOrder encodes fully populated params and checks
// that the elements come out in struct order, unqualified.
func TestEncoderFollowsWireStructOrder(t *testing.T) {
	t.Parallel()
	p := &ParamsScheduleCampaign{
		ProgramName: "p", CampaignName: "c", CampaignRunAt: "2026-01-01T00:00:00+00:00", CloneToProgramName: "x",
		ProgramTokenList: &ArrayOfAttrib{Attrib: []Attrib{{Name: "{{my.a}}", Value: "1"}}},
	}
	got := string(AppendElement(nil, "ns1:paramsScheduleCampaign", p))
	want := "<ns1:paramsScheduleCampaign><programName>p</programName><campaignName>c</campaignName>" +
		"<campaignRunAt>2026-01-01T00:00:00+00:00</campaignRunAt><cloneToProgramName>x</cloneToProgramName>" +
		"<programTokenList><attrib><name>{{my.a}}</name><value>1</value></attrib></programTokenList></ns1:paramsScheduleCampaign>"
	assert.Equal(t, want, got)
}
