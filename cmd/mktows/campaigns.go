package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/mktows/marketo"
)

var campaignsCmd = &command{
	name:    "campaigns",
	summary: "list campaigns: those a source may request, or (REST) batch and trigger ones",
	usage:   "[--type requestable|batch|trigger|all] [--program NAME] [--source MKTOWS|SALES] [--name TEXT [--exact]]",
	help: `Lists campaigns with their IDs, for --campaign-id.
By default (--type requestable) it lists the trigger campaigns with a
"Campaign is Requested" trigger that the source may request
('mktows request-campaign'). On the REST API, --type batch lists the batch
campaigns ('mktows schedule-campaign'), --type trigger every trigger
campaign, --type all both; --program keeps one program's campaigns. The SOAP
API cannot list batch campaigns.
--name keeps campaigns whose name contains the text (or, with --exact, equals it).
On REST the PROGRAM column says where each campaign lives: its program, or
"(folder)" for a campaign outside any program, which is named by --campaign
alone or by --campaign-id. A program's clones carry its campaigns' names:
the ID and PROGRAM columns tell them apart.`,
	examples: []string{
		"mktows campaigns",
		"mktows campaigns --name Welcome --json",
		"mktows campaigns --type batch --name 'Batch Campaign Example' --exact",
	},
	runner: func() runner { return new(campaigns) },
}

// The values of campaigns --type.
const (
	typeRequestable = "requestable"
	typeAll         = "all"
)

// campaigns is the campaigns command's flags.
type campaigns struct {
	typ, program, source, name string
	exact                      bool
}

func (c *campaigns) register(fs *flag.FlagSet) {
	fs.StringVar(&c.typ, "type", typeRequestable, "`TYPE` of campaigns to list: requestable, batch, trigger or all (all but requestable: REST API only)")
	fs.StringVar(&c.program, "program", "", "with --type batch, trigger or all: keep the campaigns of the program `NAME`")
	fs.StringVar(&c.source, "source", "MKTOWS", "`SOURCE` whose campaigns to list: MKTOWS or SALES")
	fs.StringVar(&c.name, "name", "", "keep campaigns whose name contains `TEXT`")
	fs.BoolVar(&c.exact, "exact", false, "with --name: keep only campaigns named exactly TEXT")
}

func (c *campaigns) run(ctx context.Context, a *app) error {
	typ := strings.ToLower(strings.TrimSpace(c.typ))
	switch typ {
	case typeRequestable:
		if a.set["program"] {
			return usagef("--program", "--program needs --type batch, trigger or all: the requestable listing says no program on SOAP")
		}
		return c.requestable(ctx, a)
	case string(marketo.CampaignTypeBatch), string(marketo.CampaignTypeTrigger), typeAll:
		if a.set["source"] {
			return usagef("--source", "--source is for --type requestable: batch and trigger listings are not per source")
		}
		return c.list(ctx, a, typ)
	}
	return usagef("--type", "--type %q: want requestable, batch, trigger or all", clip(c.typ))
}

// requestable lists the campaigns the source may request.
func (c *campaigns) requestable(ctx context.Context, a *app) error {
	p := marketo.GetCampaignsForSourceParams{Source: parseSource(c.source), Name: c.name, ExactName: c.exact}
	return sdkCall[*marketo.GetCampaignsForSourceResult]{
		operation: "GetCampaignsForSource",
		call: func(ctx context.Context, s *session) (*marketo.GetCampaignsForSourceResult, error) {
			return s.client.GetCampaignsForSource(ctx, p)
		},
		print: func(_ *session, res *marketo.GetCampaignsForSourceResult) error {
			source := firstSet(string(p.Source), string(marketo.SourceMKTOWS))
			return a.emitResult(newCampaignsOut(source, res), res.Metadata, func(w io.Writer) { printCampaigns(w, res.Campaigns) })
		},
	}.run(ctx, a)
}

// list lists the campaigns of type typ (batch, trigger, all) on REST. A
// name matched as a substring is matched here: the SDK matches whole
// names, so the list is read up to its largest size first.
func (c *campaigns) list(ctx context.Context, a *app, typ string) error {
	if c.exact && c.name == "" {
		return usagef("--exact", "--exact needs --name")
	}
	p := marketo.ListCampaignsParams{ProgramName: c.program}
	if typ != typeAll {
		p.Type = marketo.CampaignType(typ)
	}
	switch {
	case c.exact:
		p.Name = c.name
	case c.name != "":
		p.Limit = maxListed
	}
	return sdkCall[*marketo.ListCampaignsResult]{
		operation: "ListCampaigns",
		call: func(ctx context.Context, s *session) (*marketo.ListCampaignsResult, error) {
			res, err := s.client.ListCampaigns(ctx, p)
			if err == nil && !c.exact && c.name != "" {
				res.Campaigns = slices.DeleteFunc(res.Campaigns, func(l marketo.ListedCampaign) bool {
					return !strings.Contains(strings.ToLower(l.Name), strings.ToLower(c.name))
				})
			}
			return res, err
		},
		print: func(_ *session, res *marketo.ListCampaignsResult) error {
			return a.emitResult(newListedOut(res), res.Metadata, func(w io.Writer) { printListed(w, a.stderr, res) })
		},
	}.run(ctx, a)
}

// maxListed is the most campaigns the SDK lists in one call.
const maxListed = 100_000

type campaignOut struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Where the campaign lives, REST only: no program for a campaign in a
	// folder.
	Program   string     `json:"program,omitempty"`
	ProgramID int        `json:"program_id,omitempty"`
	Workspace string     `json:"workspace,omitempty"`
	Folder    *folderOut `json:"folder,omitempty"`
	// Type and Active, for --type batch, trigger and all.
	Type   string `json:"type,omitempty"`
	Active *bool  `json:"active,omitempty"`
}

type folderOut struct {
	ID   int    `json:"id"`
	Type string `json:"type,omitempty"`
	Name string `json:"name,omitempty"`
}

type campaignsOut struct {
	Source    string        `json:"source,omitempty"` // for --type requestable
	Campaigns []campaignOut `json:"campaigns"`
	Truncated bool          `json:"truncated,omitempty"`
	metaOut
}

func newCampaignsOut(source string, res *marketo.GetCampaignsForSourceResult) campaignsOut {
	out := campaignsOut{Source: source, Campaigns: make([]campaignOut, len(res.Campaigns)), metaOut: newMetaOut(res.Metadata)}
	for i, c := range res.Campaigns {
		out.Campaigns[i] = newCampaignOut(c)
	}
	return out
}

func newCampaignOut(c marketo.Campaign) campaignOut {
	out := campaignOut{ID: c.ID, Name: c.Name, Description: c.Description,
		Program: c.ProgramName, ProgramID: c.ProgramID, Workspace: c.WorkspaceName}
	if f := c.Folder; f != nil {
		out.Folder = &folderOut{ID: f.ID, Type: f.Type, Name: f.Name}
	}
	return out
}

func newListedOut(res *marketo.ListCampaignsResult) campaignsOut {
	out := campaignsOut{Campaigns: make([]campaignOut, len(res.Campaigns)), Truncated: res.Truncated, metaOut: newMetaOut(res.Metadata)}
	for i, c := range res.Campaigns {
		out.Campaigns[i] = newCampaignOut(c.Campaign)
		out.Campaigns[i].Type, out.Campaigns[i].Active = string(c.Type), &c.Active
	}
	return out
}

// located reports whether Marketo said where any of the campaigns lives
// (REST does, SOAP does not).
func located(list []marketo.Campaign) bool {
	for _, c := range list {
		if c.ProgramName != "" || c.WorkspaceName != "" || c.Folder != nil {
			return true
		}
	}
	return false
}

// campaignPlace is the PROGRAM cell of a campaign: its program, or its
// folder.
func campaignPlace(c marketo.Campaign) string {
	switch {
	case c.ProgramName != "":
		return oneLine(c.ProgramName)
	case c.Folder != nil && c.Folder.Name != "":
		return "(folder " + oneLine(c.Folder.Name) + ")"
	}
	return "(folder)"
}

// printCampaigns writes the campaigns as a table without trailing spaces.
func printCampaigns(w io.Writer, list []marketo.Campaign) {
	if len(list) == 0 {
		fmt.Fprintln(w, "No requestable campaigns match.")
		return
	}
	tw, flush := newTable(w)
	where := located(list)
	if where {
		fmt.Fprintln(tw, "ID\tNAME\tPROGRAM\tDESCRIPTION")
	} else {
		fmt.Fprintln(tw, "ID\tNAME\tDESCRIPTION")
	}
	for _, c := range list {
		if where {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", c.ID, oneLine(c.Name), campaignPlace(c), oneLine(c.Description))
		} else {
			fmt.Fprintf(tw, "%d\t%s\t%s\n", c.ID, oneLine(c.Name), oneLine(c.Description))
		}
	}
	flush()
}

// printListed writes the campaigns of --type batch, trigger or all as a
// table, and on errw when the list stopped short.
func printListed(w, errw io.Writer, res *marketo.ListCampaignsResult) {
	if len(res.Campaigns) == 0 {
		fmt.Fprintln(w, "No campaigns match.")
	} else {
		tw, flush := newTable(w)
		fmt.Fprintln(tw, "ID\tNAME\tTYPE\tPROGRAM\tDESCRIPTION")
		for _, c := range res.Campaigns {
			typ := string(c.Type)
			if c.Type == marketo.CampaignTypeTrigger && !c.Active {
				typ += " (inactive)"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", c.ID, oneLine(c.Name), typ, campaignPlace(c.Campaign), oneLine(c.Description))
		}
		flush()
	}
	if res.Truncated {
		fmt.Fprintln(errw, "More campaigns match than were listed: narrow the list with --name, --exact or --program.")
	}
}

// newTable returns a table writer on w, and the flush that writes it
// without trailing spaces.
func newTable(w io.Writer) (*tabwriter.Writer, func()) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	return tw, func() {
		_ = tw.Flush()
		for _, line := range strings.SplitAfter(b.String(), "\n") {
			if line != "" {
				fmt.Fprintln(w, strings.TrimRight(line, " \n"))
			}
		}
	}
}
