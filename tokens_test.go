package marketo_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestTokenNamesAreNormalisedInCallersOrder(t *testing.T) {
	t.Parallel()
	returned, sent := scheduleWithTokens(t, []marketo.Token{
		{Name: "my.zeta", Value: "1"},
		{Name: "{{my.alpha}}", Value: "2"},
		{Name: "my.with spaces inside", Value: "3"},
	})
	want := []marketo.Token{
		{Name: "{{my.zeta}}", Value: "1"},
		{Name: "{{my.alpha}}", Value: "2"},
		{Name: "{{my.with spaces inside}}", Value: "3"},
	}
	assert.Equal(t, want, returned)
	assert.Equal(t, want, sent)
}

// scheduleWithTokens schedules the seed campaign with tokens and returns the
// tokens of the result and those the request carried.
func scheduleWithTokens(t *testing.T, tokens []marketo.Token) (returned, sent []marketo.Token) {
	t.Helper()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
	p := seedParams()
	p.Tokens = tokens
	res, err := c.ScheduleCampaign(context.Background(), p)
	require.NoError(t, err)
	_, body := rec.last(t)
	return res.Tokens, sentTokens(t, body)
}

func TestTokenValuesArriveByteForByte(t *testing.T) {
	t.Parallel()
	values := []string{
		`<b>&amp; "quotes" 'apos'</b>`,
		"line one\nline two\r\nline three\rend",
		"tab\there",
		"]]> and <![CDATA[ not a section ]]>",
		"non-ASCII: Grüße, 日本語, emoji 🎉",
		"  leading and trailing spaces  ",
		"",
		"&#x41; stays literal",
		"DEL \x7f and U+FFFD \uFFFD are XML text",
		"the last BMP character before the non-characters: \uFFFD, and past them: \U00010000",
	}
	tokens := make([]marketo.Token, len(values))
	for i, v := range values {
		tokens[i] = marketo.Token{Name: "{{my.t" + string(rune('a'+i)) + "}}", Value: v}
	}
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
	p := seedParams()
	p.Tokens = tokens
	_, err := c.ScheduleCampaign(context.Background(), p)
	require.NoError(t, err)
	_, body := rec.last(t)
	assert.Equal(t, tokens, sentTokens(t, body), "an XML reader must see exactly the values given")
}

func TestTokenValidation(t *testing.T) {
	t.Parallel()
	const notMine = `is not a My Token; names must be in the my. namespace, e.g. {{my.message}}`
	cases := []struct {
		name   string
		tokens []marketo.Token
		field  string
		rule   string // the whole rule
	}{
		{"empty name", []marketo.Token{{Name: ""}}, "Tokens[0].Name", "is empty; want a My Token name such as {{my.message}}"},
		{"not my namespace", []marketo.Token{{Name: "{{lead.FirstName}}"}}, "Tokens[0].Name", `token "{{lead.FirstName}}" ` + notMine},
		{"bare word", []marketo.Token{{Name: "message"}}, "Tokens[0].Name", `token "message" ` + notMine},
		{"prefix without the dot", []marketo.Token{{Name: "{{my}}"}}, "Tokens[0].Name", `token "{{my}}" ` + notMine},
		{"empty braces", []marketo.Token{{Name: "{{}}"}}, "Tokens[0].Name", `token "{{}}" ` + notMine},
		{"stray open brace", []marketo.Token{{Name: "{{my.message}"}}, "Tokens[0].Name", `token "{{my.message}" has stray braces; write {{my.name}} or my.name`},
		{"stray close brace", []marketo.Token{{Name: "my.message}}"}}, "Tokens[0].Name", `token "my.message}}" has stray braces; write {{my.name}} or my.name`},
		{"brace inside", []marketo.Token{{Name: "{{my.a{b}}"}}, "Tokens[0].Name", `token "{{my.a{b}}" has stray braces; write {{my.name}} or my.name`},
		{"nothing after my.", []marketo.Token{{Name: "{{my.}}"}}, "Tokens[0].Name", `token "{{my.}}" has no name after "my."`},
		{"only spaces after my.", []marketo.Token{{Name: "my.   "}}, "Tokens[0].Name", `token "my.   " has leading or trailing spaces; write my.name or {{my.name}}`},
		{"spaces inside braces", []marketo.Token{{Name: "{{ my.message }}"}}, "Tokens[0].Name", `token "{{ my.message }}" has spaces just inside the braces; write {{my.name}}`},
		{"trailing space in name", []marketo.Token{{Name: "{{my.message }}"}}, "Tokens[0].Name", `token "{{my.message }}" has spaces just inside the braces; write {{my.name}}`},
		{"leading space without braces", []marketo.Token{{Name: " my.message"}}, "Tokens[0].Name", `token " my.message" has leading or trailing spaces; write my.name or {{my.name}}`},
		{"space after my.", []marketo.Token{{Name: "{{my. x}}"}}, "Tokens[0].Name", `token "{{my. x}}" has spaces right after "my."; the name follows the dot directly, e.g. {{my.message}}`},
		{"space after my. without braces", []marketo.Token{{Name: "my. x"}}, "Tokens[0].Name", `token "my. x" has spaces right after "my."; the name follows the dot directly, e.g. {{my.message}}`},
		{"duplicate after normalisation", []marketo.Token{{Name: "my.message"}, {Name: "{{my.message}}"}}, "Tokens[1].Name",
			`token "{{my.message}}" is given twice (also Tokens[0]); Marketo token names are not case-sensitive`},
		{"duplicate differing in case", []marketo.Token{{Name: "my.Message"}, {Name: "my.message"}}, "Tokens[1].Name",
			`token "{{my.message}}" is given twice (also Tokens[0]); Marketo token names are not case-sensitive`},
		{"duplicate differing in the prefix's case", []marketo.Token{{Name: "{{My.Message}}"}, {Name: "x"}, {Name: "my.message"}}, "Tokens[2].Name",
			`token "{{my.message}}" is given twice (also Tokens[0]); Marketo token names are not case-sensitive`},
		{"NUL in value", []marketo.Token{{Name: "my.a", Value: "a\x00b"}}, "Tokens[0].Value", "contains control character U+0000 at offset 1, which XML 1.0 cannot carry"},
		{"control char in value", []marketo.Token{{Name: "my.a", Value: "bell\x07"}}, "Tokens[0].Value", "contains control character U+0007 at offset 4, which XML 1.0 cannot carry"},
		{"last control char in value", []marketo.Token{{Name: "my.a", Value: "us\x1f"}}, "Tokens[0].Value", "contains control character U+001F at offset 2, which XML 1.0 cannot carry"},
		{"invalid UTF-8 in value", []marketo.Token{{Name: "my.a", Value: "\xff\xfe"}}, "Tokens[0].Value", "is not valid UTF-8 (byte 0xFF at offset 0)"},
		{"byte 0x80 in value", []marketo.Token{{Name: "my.a", Value: "ok \x80"}}, "Tokens[0].Value", "is not valid UTF-8 (byte 0x80 at offset 3)"},
		{"truncated rune in value", []marketo.Token{{Name: "my.a", Value: "caf\xc3"}}, "Tokens[0].Value", "is not valid UTF-8 (byte 0xC3 at offset 3)"},
		{"non-character U+FFFE in value", []marketo.Token{{Name: "my.a", Value: "\uFFFE"}}, "Tokens[0].Value", "contains non-character U+FFFE at offset 0, which XML 1.0 cannot carry"},
		{"non-character U+FFFF in value", []marketo.Token{{Name: "my.a", Value: "é\uFFFF"}}, "Tokens[0].Value", "contains non-character U+FFFF at offset 2, which XML 1.0 cannot carry"},
		{"control char in name", []marketo.Token{{Name: "my.a\x01"}}, "Tokens[0].Name", "contains control character U+0001 at offset 4, which XML 1.0 cannot carry"},
		{"byte 0x80 in name", []marketo.Token{{Name: "my.a\x80"}}, "Tokens[0].Name", "is not valid UTF-8 (byte 0x80 at offset 4)"},
		{"non-character U+FFFF in name", []marketo.Token{{Name: "{{my.\uFFFF}}"}}, "Tokens[0].Name", "contains non-character U+FFFF at offset 5, which XML 1.0 cannot carry"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
			p := seedParams()
			p.Tokens = tc.tokens
			_, err := c.ScheduleCampaign(context.Background(), p)
			requireValidation(t, err, tc.field, tc.rule)
			var rules []string
			for _, ve := range validationErrors(err) {
				if ve.Field == tc.field {
					rules = append(rules, ve.Rule)
				}
			}
			assert.Equal(t, []string{tc.rule}, rules)
			assert.Zero(t, rec.count(), "nothing may be sent for invalid input")
		})
	}
}

// Token names are matched ignoring case, the my. prefix included: a name
// whose prefix is not lower case is a My Token, sent as written.
func TestTokenPrefixIsNotCaseSensitive(t *testing.T) {
	t.Parallel()
	returned, sent := scheduleWithTokens(t, []marketo.Token{
		{Name: "{{My.Message}}", Value: "1"},
		{Name: "MY.other token", Value: "2"},
		{Name: "mY.x", Value: "3"},
	})
	want := []marketo.Token{
		{Name: "{{My.Message}}", Value: "1"},
		{Name: "{{MY.other token}}", Value: "2"},
		{Name: "{{mY.x}}", Value: "3"},
	}
	assert.Equal(t, want, returned)
	assert.Equal(t, want, sent)
}

func TestTokenString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `{{my.message}}="Updated message"`, marketo.Token{Name: "{{my.message}}", Value: "Updated message"}.String())
	assert.Equal(t, `{{my.x}}="a\nb \"c\""`, marketo.Token{Name: "{{my.x}}", Value: "a\nb \"c\""}.String())
	tokens := []marketo.Token{{Name: "{{my.message}}", Value: "Hi"}, {Name: "{{my.other token}}", Value: ""}}
	assert.Equal(t, `[{{my.message}}="Hi" {{my.other token}}=""]`, fmt.Sprint(tokens))
}

// requireValidation asserts err is a ScheduleCampaign validation error that
// names field and whose rule contains rule.
func requireValidation(t *testing.T, err error, field, rule string) {
	t.Helper()
	require.Error(t, err)
	var oe *marketo.OperationError
	require.True(t, errors.As(err, &oe), "want *OperationError, got %T", err)
	assert.False(t, oe.Sent)
	assert.ErrorContains(t, err, "ScheduleCampaign")
	var found bool
	for _, e := range validationErrors(err) {
		if e.Field == field {
			found = true
			assert.Contains(t, e.Rule, rule)
		}
	}
	assert.True(t, found, "no validation error for %s in %v", field, err)
}

// validationErrors returns every *ValidationError inside err.
func validationErrors(err error) []*marketo.ValidationError {
	var out []*marketo.ValidationError
	var walk func(error)
	walk = func(e error) {
		if ve, ok := e.(*marketo.ValidationError); ok {
			out = append(out, ve)
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			if x := u.Unwrap(); x != nil {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

// sentTokens reads programTokenList from a request body with encoding/xml.
func sentTokens(t *testing.T, body []byte) []marketo.Token {
	t.Helper()
	var env struct {
		Attribs []struct {
			Name  string `xml:"name"`
			Value string `xml:"value"`
		} `xml:"Body>paramsScheduleCampaign>programTokenList>attrib"`
	}
	require.NoError(t, xml.Unmarshal(body, &env))
	var out []marketo.Token
	for _, a := range env.Attribs {
		out = append(out, marketo.Token{Name: a.Name, Value: a.Value})
	}
	return out
}

func TestParamsValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(*marketo.ScheduleCampaignParams)
		field  string
		rule   string
	}{
		{"program missing", func(p *marketo.ScheduleCampaignParams) { p.ProgramName = "" }, "ProgramName", "required"},
		{"program blank", func(p *marketo.ScheduleCampaignParams) { p.ProgramName = " \t " }, "ProgramName", "blank"},
		{"campaign missing", func(p *marketo.ScheduleCampaignParams) { p.CampaignName = "" }, "CampaignName", "required"},
		{"campaign blank", func(p *marketo.ScheduleCampaignParams) { p.CampaignName = "\n" }, "CampaignName", "blank"},
		{"clone blank", func(p *marketo.ScheduleCampaignParams) { p.CloneToProgramName = "  " }, "CloneToProgramName", "blank"},
		{"program with NUL", func(p *marketo.ScheduleCampaignParams) { p.ProgramName = "a\x00" }, "ProgramName", "U+0000"},
		{"campaign invalid UTF-8", func(p *marketo.ScheduleCampaignParams) { p.CampaignName = "caf\xe9" }, "CampaignName", "UTF-8"},
		{"clone with control char", func(p *marketo.ScheduleCampaignParams) { p.CloneToProgramName = "x\x1b" }, "CloneToProgramName", "U+001B"},
		{"run-at year out of range", func(p *marketo.ScheduleCampaignParams) { p.RunAt = p.RunAt.AddDate(20000, 0, 0) }, "RunAt", "year"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
			p := seedParams()
			tc.mutate(&p)
			if tc.name == "program missing" {
				// SOAP's rule: the API-neutral Validate takes a campaign
				// named alone, as REST does.
				require.NoError(t, p.Validate())
			} else {
				require.Error(t, p.Validate())
			}
			_, err := c.ScheduleCampaign(context.Background(), p)
			requireValidation(t, err, tc.field, tc.rule)
			assert.Zero(t, rec.count(), "nothing may be sent for invalid input")
		})
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	t.Parallel()
	p := marketo.ScheduleCampaignParams{Tokens: []marketo.Token{{Name: "bad"}, {Name: "my.ok", Value: "\x00"}}}
	err := p.Validate()
	require.Error(t, err)
	var fields []string
	for _, ve := range validationErrors(err) {
		fields = append(fields, ve.Field)
	}
	assert.Equal(t, []string{"CampaignName", "Tokens[0].Name", "Tokens[1].Value"}, fields, "ProgramName is SOAP's rule, not the API-neutral one")
	var ve *marketo.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "CampaignName", ve.Field)
	assert.Equal(t, "invalid CampaignName: is required and must not be blank", ve.Error())
	assert.NoError(t, seedParams().Validate())
}
