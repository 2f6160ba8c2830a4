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
Batch campaigns (schedule-campaign) are not listed.`,
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
			return a.emit(newCampaignsOut(source, res), func(w io.Writer) { printCampaigns(w, res.Campaigns) })
		},
	}.run(ctx, a)
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

func newCampaignsOut(source string, res *marketo.GetCampaignsForSourceResult) campaignsOut {
	out := campaignsOut{Source: source, Campaigns: make([]campaignOut, len(res.Campaigns))}
	for i, c := range res.Campaigns {
		out.Campaigns[i] = campaignOut(c)
	}
	return out
}

// printCampaigns writes the campaigns as a table without trailing spaces.
func printCampaigns(w io.Writer, list []marketo.Campaign) {
	if len(list) == 0 {
		fmt.Fprintln(w, "No requestable campaigns match.")
		return
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tDESCRIPTION")
	for _, c := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", c.ID, oneLine(c.Name), oneLine(c.Description))
	}
	_ = tw.Flush()
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line != "" {
			fmt.Fprintln(w, strings.TrimRight(line, " \n"))
		}
	}
}
