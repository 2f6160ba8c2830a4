package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mktows/marketo"
)

type tokenOut struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func tokensOut(tokens []marketo.Token) []tokenOut {
	out := make([]tokenOut, len(tokens))
	for i, t := range tokens {
		out[i] = tokenOut(t)
	}
	return out
}

// printTokens writes the token lines of a result block.
func printTokens(tw io.Writer, tokens []marketo.Token) {
	for i, t := range tokens {
		label := ""
		if i == 0 {
			label = "tokens:"
		}
		fmt.Fprintf(tw, "  %s\t%s = %q\n", label, t.Name, t.Value)
	}
}

type scheduleOut struct {
	Program  string     `json:"program"`
	Campaign string     `json:"campaign"`
	RunAt    *time.Time `json:"run_at"` // null: runs now
	CloneTo  string     `json:"clone_to,omitempty"`
	Tokens   []tokenOut `json:"tokens"`
}

func scheduleCampaignCmd() *command {
	return &command{
		name:    "schedule-campaign",
		summary: "run a batch campaign now or later, optionally in a clone of its program",
		usage:   "--program NAME --campaign NAME [--run-at TIME] [--clone-to NAME] [--token NAME=VALUE]...",
		help: `Runs a batch smart campaign now, or at --run-at, with My Token values for that
run only. With --clone-to, Marketo first copies the program under that name and
runs the copy's campaign (Marketo allows 10 clones a day).`,
		examples: []string{
			"mktows schedule-campaign --program Trav-Demo-Program --campaign 'Batch Campaign Example' --run-at +2h --token 'my.message=Hello'",
			"mktows schedule-campaign --program Webinar --campaign Invite --run-at 2026-12-01T09:00:00-06:00 --clone-to 'Webinar December'",
		},
		flags: func(fs *flag.FlagSet) action {
			var program, campaign, runAt, cloneTo string
			var tokens listFlag
			fs.StringVar(&program, "program", "", "the program that contains the campaign (required)")
			fs.StringVar(&campaign, "campaign", "", "the batch campaign to run (required)")
			fs.StringVar(&runAt, "run-at", "", "when to run, `TIME`: RFC 3339 (2026-12-01T09:00:00-06:00) or +DURATION from now (+2h, +30m); default now")
			fs.StringVar(&cloneTo, "clone-to", "", "clone the program under this `NAME` and run the clone's campaign")
			fs.Var(&tokens, "token", "My Token for this run, `NAME=VALUE` (NAME my.x or {{my.x}}; split at the first '='); repeatable")
			return func(ctx context.Context, a *app) error {
				toks, origins, err := parseTokens(tokens)
				if err != nil {
					return err
				}
				at, err := parseRunAt(runAt, time.Now())
				if err != nil {
					return err
				}
				p := marketo.ScheduleCampaignParams{ProgramName: program, CampaignName: campaign, RunAt: at, CloneToProgramName: cloneTo, Tokens: toks}
				a.fields = fieldMap{
					flags:   map[string]string{"ProgramName": "--program", "CampaignName": "--campaign", "RunAt": "--run-at", "CloneToProgramName": "--clone-to", "Tokens": "--token"},
					origins: map[string][]string{"Tokens": origins},
				}
				res, s, done, err := callSDK(ctx, a, p.Validate, "ScheduleCampaign", "",
					func(ctx context.Context, s *session) (*marketo.ScheduleCampaignResult, error) {
						return s.client.ScheduleCampaign(ctx, p)
					})
				if s != nil {
					defer s.close()
				}
				if done {
					return err
				}
				out := scheduleOut{Program: res.ProgramName, Campaign: res.CampaignName, CloneTo: res.CloneToProgramName, Tokens: tokensOut(res.Tokens)}
				if !res.RunAt.IsZero() {
					out.RunAt = &res.RunAt
				}
				return a.emit(out, func(w io.Writer) {
					fmt.Fprintf(w, "Scheduled campaign %q of program %q.\n", res.CampaignName, res.ProgramName)
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					when := "now"
					if !res.RunAt.IsZero() {
						when = res.RunAt.Format(time.RFC3339)
					}
					fmt.Fprintf(tw, "  runs at:\t%s\n", when)
					if res.CloneToProgramName != "" {
						fmt.Fprintf(tw, "  in clone:\t%q (a copy of %q)\n", res.CloneToProgramName, res.ProgramName)
					}
					printTokens(tw, res.Tokens)
					_ = tw.Flush()
				})
			}
		},
	}
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
}

func requestCampaignCmd() *command {
	return &command{
		name:    "request-campaign",
		summary: "run a trigger campaign (\"Campaign is Requested\") for some leads",
		usage:   "(--campaign-id ID | --program NAME --campaign NAME [--token NAME=VALUE]...) (--lead TYPE:VALUE... | --leads-file FILE)",
		help: `Runs a trigger campaign whose trigger is "Campaign is Requested" for up to 100
leads. Name the campaign by --campaign-id (see 'mktows campaigns') or by
--program and --campaign; My Tokens (--token) need the names.

Leads are lead keys TYPE:VALUE, where TYPE is one of IDNUM, EMAIL, COOKIE,
LEADOWNEREMAIL, SFDCACCOUNTID, SFDCCONTACTID, SFDCLEADID, SFDCLEADOWNERID or
SFDCOPPTYID. --leads-file holds one TYPE:VALUE per line (blank lines and lines
starting with # are skipped; '-' reads standard input).`,
		examples: []string{
			"mktows request-campaign --program Trav-Demo-Program --campaign 'Welcome Email Trigger' --lead EMAIL:jdoe@janeconsulting.com --token 'my.message=Welcome!'",
			"mktows request-campaign --campaign-id 1003 --leads-file leads.txt",
		},
		flags: func(fs *flag.FlagSet) action {
			var program, campaign, source, leadsFile string
			var campaignID int
			var tokens, leads listFlag
			fs.IntVar(&campaignID, "campaign-id", 0, "the campaign's `ID` (instead of --program and --campaign)")
			fs.StringVar(&program, "program", "", "the program that contains the campaign")
			fs.StringVar(&campaign, "campaign", "", "the trigger campaign to run")
			fs.Var(&tokens, "token", "My Token for this run, `NAME=VALUE` (needs --program and --campaign); repeatable")
			fs.StringVar(&source, "source", "MKTOWS", "requesting `SOURCE`: MKTOWS (web service API) or SALES (Sales Insight)")
			fs.Var(&leads, "lead", "a lead, `TYPE:VALUE` (e.g. EMAIL:a@example.com, IDNUM:42); repeatable")
			fs.StringVar(&leadsFile, "leads-file", "", "read leads from `FILE`, one TYPE:VALUE per line ('-': stdin)")
			return func(ctx context.Context, a *app) error {
				toks, tokOrigins, err := parseTokens(tokens)
				if err != nil {
					return err
				}
				keys, leadOrigins, err := a.parseLeads(leads, leadsFile)
				if err != nil {
					return err
				}
				p := marketo.RequestCampaignParams{
					Source: marketo.CampaignSource(strings.ToUpper(strings.TrimSpace(source))), CampaignID: campaignID,
					ProgramName: program, CampaignName: campaign, Leads: keys, Tokens: toks,
				}
				a.fields = fieldMap{
					flags: map[string]string{"Source": "--source", "CampaignID": "--campaign-id", "ProgramName": "--program",
						"CampaignName": "--campaign", "Tokens": "--token", "Leads": "--lead/--leads-file"},
					origins: map[string][]string{"Tokens": tokOrigins, "Leads": leadOrigins},
				}
				res, s, done, err := callSDK(ctx, a, p.Validate, "RequestCampaign", "",
					func(ctx context.Context, s *session) (*marketo.RequestCampaignResult, error) {
						return s.client.RequestCampaign(ctx, p)
					})
				if s != nil {
					defer s.close()
				}
				if done {
					return err
				}
				out := requestOut{Source: string(res.Source), CampaignID: res.CampaignID, Program: res.ProgramName,
					Campaign: res.CampaignName, Tokens: tokensOut(res.Tokens), Leads: make([]leadOut, len(res.Leads))}
				for i, k := range res.Leads {
					out.Leads[i] = leadOut{Type: string(k.Type), Value: k.Value}
				}
				return a.emit(out, func(w io.Writer) {
					name := fmt.Sprintf("campaign %d", res.CampaignID)
					if res.CampaignID == 0 {
						name = fmt.Sprintf("campaign %q of program %q", res.CampaignName, res.ProgramName)
					}
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
				})
			}
		},
	}
}

type campaignOut struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type campaignsOut struct {
	Source    string        `json:"source"`
	Campaigns []campaignOut `json:"campaigns"`
}

func campaignsCmd() *command {
	return &command{
		name:    "campaigns",
		summary: "list the campaigns a source may request (request-campaign)",
		usage:   "[--source MKTOWS|SALES] [--name TEXT [--exact]]",
		help: `Lists the trigger campaigns with a "Campaign is Requested" trigger that the
source may request, with their IDs for 'mktows request-campaign --campaign-id'.
--name keeps campaigns whose name contains the text (or, with --exact, equals it).`,
		examples: []string{
			"mktows campaigns",
			"mktows campaigns --name Welcome --json",
		},
		flags: func(fs *flag.FlagSet) action {
			var source, name string
			var exact bool
			fs.StringVar(&source, "source", "MKTOWS", "`SOURCE` whose campaigns to list: MKTOWS or SALES")
			fs.StringVar(&name, "name", "", "keep campaigns whose name contains `TEXT`")
			fs.BoolVar(&exact, "exact", false, "with --name: keep only campaigns named exactly TEXT")
			return func(ctx context.Context, a *app) error {
				p := marketo.GetCampaignsForSourceParams{Source: marketo.CampaignSource(strings.ToUpper(strings.TrimSpace(source))), Name: name, ExactName: exact}
				a.fields = fieldMap{flags: map[string]string{"Source": "--source", "Name": "--name", "ExactName": "--exact"}}
				res, s, done, err := callSDK(ctx, a, p.Validate, "GetCampaignsForSource", "",
					func(ctx context.Context, s *session) (*marketo.GetCampaignsForSourceResult, error) {
						return s.client.GetCampaignsForSource(ctx, p)
					})
				if s != nil {
					defer s.close()
				}
				if done {
					return err
				}
				out := campaignsOut{Source: firstSet(string(p.Source), string(marketo.SourceMKTOWS)), Campaigns: make([]campaignOut, len(res.Campaigns))}
				for i, c := range res.Campaigns {
					out.Campaigns[i] = campaignOut(c)
				}
				return a.emit(out, func(w io.Writer) {
					if len(res.Campaigns) == 0 {
						fmt.Fprintln(w, "No requestable campaigns match.")
						return
					}
					var b strings.Builder
					tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tNAME\tDESCRIPTION")
					for _, c := range res.Campaigns {
						fmt.Fprintf(tw, "%d\t%s\t%s\n", c.ID, oneLine(c.Name), oneLine(c.Description))
					}
					_ = tw.Flush()
					for _, line := range strings.SplitAfter(b.String(), "\n") {
						if line != "" {
							fmt.Fprintln(w, strings.TrimRight(line, " \n"))
						}
					}
				})
			}
		},
	}
}

// oneLine keeps a table cell on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
