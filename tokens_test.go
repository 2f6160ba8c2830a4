package marketo_test

import (
	"context"
	"encoding/xml"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestTokenNamesAreNormalisedInCallersOrder(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
	p := seedParams()
	p.Tokens = []marketo.Token{
		{Name: "my.zeta", Value: "1"},
		{Name: "{{my.alpha}}", Value: "2"},
		{Name: "my.with spaces inside", Value: "3"},
	}
	res, err := c.ScheduleCampaign(context.Background(), p)
	require.NoError(t, err)
	want := []marketo.Token{
		{Name: "{{my.zeta}}", Value: "1"},
		{Name: "{{my.alpha}}", Value: "2"},
		{Name: "{{my.with spaces inside}}", Value: "3"},
	}
	assert.Equal(t, want, res.Tokens)
	_, body := rec.last(t)
	assert.Equal(t, want, sentTokens(t, body))
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
	cases := []struct {
		name   string
		tokens []marketo.Token
		field  string
		rule   string
	}{
		{"empty name", []marketo.Token{{Name: ""}}, "Tokens[0].Name", "is empty"},
		{"not my namespace", []marketo.Token{{Name: "{{lead.FirstName}}"}}, "Tokens[0].Name", "my. namespace"},
		{"bare word", []marketo.Token{{Name: "message"}}, "Tokens[0].Name", "my. namespace"},
		{"stray open brace", []marketo.Token{{Name: "{{my.message}"}}, "Tokens[0].Name", "stray braces"},
		{"stray close brace", []marketo.Token{{Name: "my.message}}"}}, "Tokens[0].Name", "stray braces"},
		{"brace inside", []marketo.Token{{Name: "{{my.a{b}}"}}, "Tokens[0].Name", "stray braces"},
		{"nothing after my.", []marketo.Token{{Name: "{{my.}}"}}, "Tokens[0].Name", `no name after "my."`},
		{"spaces inside braces", []marketo.Token{{Name: "{{ my.message }}"}}, "Tokens[0].Name", "my. namespace"},
		{"trailing space in name", []marketo.Token{{Name: "{{my.message }}"}}, "Tokens[0].Name", "leading or trailing spaces"},
		{"duplicate after normalisation", []marketo.Token{{Name: "my.message"}, {Name: "{{my.message}}"}}, "Tokens[1].Name", "given twice (also Tokens[0])"},
		{"duplicate differing in case", []marketo.Token{{Name: "my.Message"}, {Name: "my.message"}}, "Tokens[1].Name", "given twice"},
		{"NUL in value", []marketo.Token{{Name: "my.a", Value: "a\x00b"}}, "Tokens[0].Value", "U+0000"},
		{"control char in value", []marketo.Token{{Name: "my.a", Value: "bell\x07"}}, "Tokens[0].Value", "U+0007"},
		{"invalid UTF-8 in value", []marketo.Token{{Name: "my.a", Value: "\xff\xfe"}}, "Tokens[0].Value", "not valid UTF-8"},
		{"non-character in value", []marketo.Token{{Name: "my.a", Value: "\uFFFE"}}, "Tokens[0].Value", "U+FFFE"},
		{"control char in name", []marketo.Token{{Name: "my.a\x01"}}, "Tokens[0].Name", "U+0001"},
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
			assert.Zero(t, rec.count(), "nothing may be sent for invalid input")
		})
	}
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
			require.Error(t, p.Validate())
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
	assert.Equal(t, []string{"ProgramName", "CampaignName", "Tokens[0].Name", "Tokens[1].Value"}, fields)
	var ve *marketo.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "ProgramName", ve.Field)
	assert.Equal(t, "invalid ProgramName: is required and must not be blank", ve.Error())
	assert.NoError(t, seedParams().Validate())
}
