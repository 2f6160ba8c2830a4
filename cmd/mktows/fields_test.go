package main

import "testing"

func TestFlagNames(t *testing.T) {
	t.Parallel()
	n := flagNames{
		items: map[string][]string{
			"Tokens": {`--token "my.a=1"`, `--token "my.A=2"`},
			"Header": {`--file f.csv header column 1 ("Email Address")`, `--file f.csv header column 2 ("First Name")`},
			"Rows":   {"--file f.csv line 2"},
		},
		columns: []string{"Email Address", "First Name"},
	}
	fields := map[string]string{
		"ProgramName":     "--program",
		"Tokens[1].Name":  `--token "my.A=2" (name)`,
		"Tokens[2].Value": "--token #3 (value)",
		"Header[1]":       `--file f.csv header column 2 ("First Name")`,
		"Rows[0][1]":      `--file f.csv line 2, column "First Name"`,
		"Config.UserID":   "--user-id (MARKETO_SOAP_USER_ID)",
		"Unknown":         "Unknown",
	}
	for in, want := range fields {
		if got := n.field(in); got != want {
			t.Errorf("field(%q) = %q, want %q", in, got, want)
		}
	}
	rules := map[string]string{
		"requires Name": "requires --name",
		`column "First Name" is given twice (also Header[1])`:                                  `column "First Name" is given twice (also --file f.csv header column 2 ("First Name"))`,
		`token "{{my.Name}}" is given twice (also Tokens[0]); Marketo token names are not ...`: `token "{{my.Name}}" is given twice (also --token "my.a=1"); Marketo token names are not ...`,
		`"X" is not a lead key type; want one of the LeadKey… constants, e.g. EMAIL or IDNUM`:  `"X" is not a lead key type; want one of the types 'mktows request-campaign --help' lists, e.g. EMAIL or IDNUM`,
		"is required: ImportModeUpsertLeads or ImportModeListOnly":                             "is required: upsert or list-only",
		`"a \"Name\" b" must be empty when CampaignID is set`:                                  `"a \"Name\" b" must be empty when --campaign-id is set`,
	}
	for in, want := range rules {
		if got := n.rule(in); got != want {
			t.Errorf("rule(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}
