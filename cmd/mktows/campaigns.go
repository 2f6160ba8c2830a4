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

var campaignsCmd = &command{
	name:    "campaigns",
	summary: "list the campaigns a source may request (request-campaign)",
	usage:   "[--source MKTOWS|SALES] [--name TEXT [--exact]]",
	help: `Lists the trigger campaigns with a "Campaign is Requested" trigger that the
source may request, with their IDs for 'mktows request-campaign --campaign-id'.
--name keeps campaigns whose name contains the text (or, with --exact, equals it).
On REST the PROGRAM column says where each campaign lives: its program, or
"(folder)" for a campaign outside any program, which request-campaign names
by --campaign alone or by --campaign-id. Batch campaigns (schedule-campaign)
are not listed.`,
	examples: []string{
		"mktows campaigns",
		"mktows campaigns --name Welcome --json",
	},
	runner: func() runner { return new(campaigns) },
}

// campaigns is the campaigns command's flags.
type campaigns struct {
	source, name string
	exact        bool
}

func (c *campaigns) register(fs *flag.FlagSet) {
	fs.StringVar(&c.source, "source", "MKTOWS", "`SOURCE` whose campaigns to list: MKTOWS or SALES")
	fs.StringVar(&c.name, "name", "", "keep campaigns whose name contains `TEXT`")
	fs.BoolVar(&c.exact, "exact", false, "with --name: keep only campaigns named exactly TEXT")
}

func (c *campaigns) run(ctx context.Context, a *app) error {
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
}

type folderOut struct {
	ID   int    `json:"id"`
	Type string `json:"type,omitempty"`
	Name string `json:"name,omitempty"`
}

type campaignsOut struct {
	Source    string        `json:"source"`
	Campaigns []campaignOut `json:"campaigns"`
	metaOut
}

func newCampaignsOut(source string, res *marketo.GetCampaignsForSourceResult) campaignsOut {
	out := campaignsOut{Source: source, Campaigns: make([]campaignOut, len(res.Campaigns)), metaOut: newMetaOut(res.Metadata)}
	for i, c := range res.Campaigns {
		out.Campaigns[i] = campaignOut{ID: c.ID, Name: c.Name, Description: c.Description,
			Program: c.ProgramName, ProgramID: c.ProgramID, Workspace: c.WorkspaceName}
		if f := c.Folder; f != nil {
			out.Campaigns[i].Folder = &folderOut{ID: f.ID, Type: f.Type, Name: f.Name}
		}
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
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
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
	_ = tw.Flush()
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line != "" {
			fmt.Fprintln(w, strings.TrimRight(line, " \n"))
		}
	}
}
