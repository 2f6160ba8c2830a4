package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/mktows/marketo"
)

var requestCampaignCmd = &command{
	name:    "request-campaign",
	summary: "run a trigger campaign (\"Campaign is Requested\") for some leads",
	usage:   "(--campaign-id ID | [--program NAME] --campaign NAME [--token NAME=VALUE]...) (--lead TYPE:VALUE... | --leads-file FILE)",
	help: `Runs a trigger campaign whose trigger is "Campaign is Requested" for up to 100
leads. Name the campaign by --campaign-id (see 'mktows campaigns') or by
--program and --campaign; on SOAP, My Tokens (--token) need the names. On
REST --program is optional: the campaign is then found by --campaign alone
(a campaign in a folder has no program), and a name that several campaigns
carry is refused with their IDs.

Leads are lead keys TYPE:VALUE, where TYPE is one of IDNUM, EMAIL, COOKIE,
LEADOWNEREMAIL, SFDCACCOUNTID, SFDCCONTACTID, SFDCLEADID, SFDCLEADOWNERID or
SFDCOPPTYID. --leads-file holds one TYPE:VALUE per line (blank lines and lines
starting with # are skipped; '-' reads standard input). On the REST API, IDNUM
leads go as they are and the others are looked up first; a lead not found
stops the call before anything runs. --source SALES is SOAP only.`,
	examples: []string{
		"mktows request-campaign --program Trav-Demo-Program --campaign 'Welcome Email Trigger' --lead EMAIL:jdoe@janeconsulting.com --token 'my.message=Welcome!'",
		"mktows request-campaign --campaign-id 1003 --leads-file leads.txt",
	},
	runner: func() runner { return new(requestCampaign) },
}

// requestCampaign is request-campaign's flags.
type requestCampaign struct {
	program, campaign, source, leadsFile string
	campaignID                           int
	tokens, leads                        listFlag
}

func (c *requestCampaign) register(fs *flag.FlagSet) {
	fs.IntVar(&c.campaignID, "campaign-id", 0, "the campaign's `ID` (instead of --program and --campaign)")
	fs.StringVar(&c.program, "program", "", "the program that contains the campaign (required with --campaign on SOAP; optional on REST)")
	fs.StringVar(&c.campaign, "campaign", "", "the trigger campaign to run")
	fs.Var(&c.tokens, "token", "My Token for this run, `NAME=VALUE` (on SOAP, needs --program and --campaign); repeatable")
	fs.StringVar(&c.source, "source", "MKTOWS", "requesting `SOURCE`: MKTOWS (web service API) or SALES (Sales Insight)")
	fs.Var(&c.leads, "lead", "a lead, `TYPE:VALUE` (e.g. EMAIL:a@example.com, IDNUM:42); repeatable")
	fs.StringVar(&c.leadsFile, "leads-file", "", "read leads from `FILE`, one TYPE:VALUE per line ('-': stdin)")
}

// params turns the flags, and the leads file, into the SDK's parameters.
func (c *requestCampaign) params(a *app) (marketo.RequestCampaignParams, flagNames, error) {
	var p marketo.RequestCampaignParams
	tokens, tokenOrigins, err := parseTokens(c.tokens)
	if err != nil {
		return p, flagNames{}, err
	}
	leads, leadOrigins, err := a.parseLeads(c.leads, c.leadsFile)
	if err != nil {
		return p, flagNames{}, err
	}
	p = marketo.RequestCampaignParams{
		Source: parseSource(c.source), CampaignID: c.campaignID,
		ProgramName: c.program, CampaignName: c.campaign, Leads: leads, Tokens: tokens,
	}
	return p, flagNames{items: map[string][]string{"Tokens": tokenOrigins, "Leads": leadOrigins}}, nil
}

func (c *requestCampaign) run(ctx context.Context, a *app) error {
	p, names, err := c.params(a)
	if err != nil {
		return err
	}
	return sdkCall[*marketo.RequestCampaignResult]{
		operation: "RequestCampaign", names: names,
		call: func(ctx context.Context, s *session) (*marketo.RequestCampaignResult, error) {
			return s.client.RequestCampaign(ctx, p)
		},
		print: func(_ *session, res *marketo.RequestCampaignResult) error {
			return a.emitResult(newRequestOut(res), res.Metadata, func(w io.Writer) { printRequested(w, res) })
		},
	}.run(ctx, a)
}

// parseSource reads --source, which is not case-sensitive.
func parseSource(s string) marketo.CampaignSource {
	return marketo.CampaignSource(strings.ToUpper(strings.TrimSpace(s)))
}

type leadOut struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type requestOut struct {
	Source     string     `json:"source"`
	CampaignID int        `json:"campaign_id,omitempty"`
	Program    string     `json:"program,omitempty"`
	Campaign   string     `json:"campaign,omitempty"`
	Leads      []leadOut  `json:"leads"`
	Tokens     []tokenOut `json:"tokens"`
	metaOut
}

func newRequestOut(res *marketo.RequestCampaignResult) requestOut {
	out := requestOut{Source: string(res.Source), CampaignID: res.CampaignID, Program: res.ProgramName,
		Campaign: res.CampaignName, Tokens: tokensOut(res.Tokens), Leads: make([]leadOut, len(res.Leads)),
		metaOut: newMetaOut(res.Metadata)}
	for i, k := range res.Leads {
		out.Leads[i] = leadOut{Type: string(k.Type), Value: k.Value}
	}
	return out
}

func printRequested(w io.Writer, res *marketo.RequestCampaignResult) {
	name := campaignName(res.CampaignID, res.ProgramName, res.CampaignName)
	fmt.Fprintf(w, "Requested %s for %d lead(s) (source %s).\n", name, len(res.Leads), res.Source)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, k := range res.Leads {
		label := ""
		if i == 0 {
			label = "leads:"
		}
		fmt.Fprintf(tw, "  %s\t%s:%s\n", label, k.Type, k.Value)
	}
	printTokens(tw, res.Tokens)
	_ = tw.Flush()
}
