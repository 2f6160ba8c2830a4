package marketotest

import (
	"strings"
	"time"
)

// operation is one operation the fake implements: its params schema and its
// handler in one row, so an operation cannot be half-registered.
type operation struct {
	name   string // e.g. "scheduleCampaign"
	schema schema
	run    func(s *Server, p *params, now time.Time) ([]byte, *Fault)
}

// operations is the one table of the operations the fake implements.
var operations = []operation{
	{
		name: "scheduleCampaign",
		run:  (*Server).scheduleCampaign,
		schema: schema{
			fields: []field{
				{name: "programName", required: true},
				{name: "campaignName", required: true},
				{name: "campaignRunAt", kind: kDateTime, nillable: true},
				{name: "cloneToProgramName", nillable: true},
				{name: "programTokenList", kind: kAttribList, nillable: true},
			},
			orders: [][]string{
				{"programName", "campaignName", "campaignRunAt", "cloneToProgramName", "programTokenList"},
				{"programName", "cloneToProgramName", "campaignName", "campaignRunAt", "programTokenList"},
			},
		},
	},
	{
		name: "requestCampaign",
		run:  (*Server).requestCampaign,
		schema: schema{
			fields: []field{
				{name: "source", kind: kEnum, enum: sourceEnum, required: true},
				{name: "campaignId", kind: kInt, nillable: true},
				{name: "leadList", kind: kLeadKeyList, nillable: true},
				{name: "programName", nillable: true},
				{name: "campaignName", nillable: true},
				{name: "programTokenList", kind: kAttribList, nillable: true},
			},
			orders: [][]string{{"source", "campaignId", "leadList", "programName", "campaignName", "programTokenList"}},
		},
	},
	{
		name: "getCampaignsForSource",
		run:  (*Server).getCampaignsForSource,
		schema: schema{
			fields: []field{
				{name: "source", kind: kEnum, enum: sourceEnum, required: true},
				{name: "name", nillable: true},
				{name: "exactName", kind: kBool, nillable: true},
			},
			orders: [][]string{{"source", "name", "exactName"}},
		},
	},
	{
		name: "importToList",
		run:  (*Server).importToList,
		schema: schema{
			fields: []field{
				{name: "programName", required: true},
				{name: "importFileHeader", required: true},
				{name: "importFileRows", kind: kStringList, required: true},
				{name: "importListMode", kind: kEnum, enum: modeEnum, required: true},
				{name: "listName", required: true},
				{name: "clearList", kind: kBool, required: true},
				{name: "campaignName", required: true, nillable: true},
			},
			orders: [][]string{{"programName", "importFileHeader", "importFileRows", "importListMode", "listName", "clearList", "campaignName"}},
		},
	},
	{
		name: "getImportToListStatus",
		run:  (*Server).getImportToListStatus,
		schema: schema{
			fields: []field{
				{name: "programName", required: true},
				{name: "listName", required: true},
			},
			orders: [][]string{{"programName", "listName"}},
		},
	},
}

// operationName turns a params element name into the operation it asks
// for: paramsScheduleCampaign → scheduleCampaign ("" when it is not of
// that form).
func operationName(paramsElement string) string {
	name, ok := strings.CutPrefix(paramsElement, "params")
	if !ok || name == "" {
		return ""
	}
	return strings.ToLower(name[:1]) + name[1:]
}

// findOperation returns the row of an implemented operation, or 20019:
// Marketo's fault for an operation it does not support. The fake answers
// it for every other operation, of the WSDL or not.
func findOperation(name string) (*operation, *Fault) {
	for i := range operations {
		if operations[i].name == name {
			return &operations[i], nil
		}
	}
	return nil, faultf(codeUnsupportedOperation, "Operation %s is not supported by this server", name)
}
