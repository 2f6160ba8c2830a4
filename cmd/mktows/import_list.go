package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mktows/marketo"
)

var importListCmd = &command{
	name:    "import-list",
	summary: "import leads from a CSV file into a static list",
	usage:   "([--program NAME] --list NAME | --list-id ID) --file FILE [--mode upsert|list-only] [--clear] [--campaign NAME] [--wait]",
	help: `Imports leads from a CSV file (RFC 4180, UTF-8) into a static list of a program.
The first line is the header: lead field names as the Marketo UI shows them
(e.g. Email Address,First Name), optionally followed by My Token columns such
as {{my.message}}, whose values apply per lead to the next run of --campaign.
Every row needs one field per header column; blank lines are skipped. '-'
reads the file from standard input.

Marketo imports in the background: --wait polls until the import ends and
shows its progress (one updating line on a terminal, one line per poll
otherwise). Marketo asks for at most one poll a minute on SOAP and one every
5 to 30 seconds on REST, the defaults of --poll-interval (1m, 10s); with
--demo it defaults to 500ms.

On REST the import is Marketo's bulk import: the header may also name REST
fields (email, firstName), a file over 10 MB is split into several jobs whose
IDs are printed ('mktows import-status --import-id ID' follows one, --wait
all of them), and --clear, --campaign and token columns are refused: REST has
no counterpart. --mode list-only adds the existing leads during the call.
On REST --program is optional: the list is then found by --list alone (a list
in a folder has no program; a name that several lists carry is refused with
their IDs), and --list-id names the list by its ID instead.`,
	examples: []string{
		"mktows import-list --program Trav-Demo-Program --list Trav-Test-List --file leads.csv --wait",
		"mktows import-list --program Trav-Demo-Program --list Trav-Test-List --file leads.csv --campaign 'Batch Campaign Example' --mode list-only --clear",
		"mktows import-list --list-id 1045 --file leads.csv --wait",
	},
	runner: func() runner { return new(importList) },
}

// importList is import-list's flags.
type importList struct {
	program, list, file, mode, campaign string
	listID                              int
	clear, wait                         bool
	interval                            time.Duration
}

func (c *importList) register(fs *flag.FlagSet) {
	fs.StringVar(&c.program, "program", "", "the program that contains the list (required on SOAP; on REST optional, the list is then found by --list alone)")
	fs.StringVar(&c.list, "list", "", "the static list to import into (required unless --list-id)")
	fs.IntVar(&c.listID, "list-id", 0, "the static list's `ID`, instead of --program and --list (REST API only)")
	fs.StringVar(&c.file, "file", "", "CSV `FILE` of leads, header first ('-': stdin) (required)")
	fs.StringVar(&c.mode, "mode", "upsert", "import `MODE`: upsert (create or update leads, add them to the list) or list-only (add existing leads only)")
	fs.BoolVar(&c.clear, "clear", false, "empty the list before the import")
	fs.StringVar(&c.campaign, "campaign", "", "the campaign whose next run uses the {{my.x}} token columns (required with them)")
	fs.BoolVar(&c.wait, "wait", false, "wait until Marketo has processed the import, showing progress")
	fs.DurationVar(&c.interval, "poll-interval", 0, "with --wait: time between polls (default 1m on SOAP, 10s on REST, as Marketo asks)")
}

// params turns the flags, and the CSV file, into the SDK's parameters.
func (c *importList) params(a *app) (marketo.ImportToListParams, flagNames, error) {
	var p marketo.ImportToListParams
	mode, err := parseImportMode(c.mode)
	if err != nil {
		return p, flagNames{}, err
	}
	if a.set["poll-interval"] && c.interval <= 0 {
		return p, flagNames{}, usagef("--poll-interval", "--poll-interval %v: want a positive duration", c.interval)
	}
	if c.file == "" {
		return p, flagNames{}, usagef("--file", "--file is required: a CSV file of leads, header first")
	}
	lf, err := a.readLeadFile(c.file)
	if err != nil {
		return p, flagNames{}, err
	}
	p = marketo.ImportToListParams{ProgramName: c.program, ListName: c.list, ListID: c.listID, Mode: mode, ClearList: c.clear,
		CampaignName: c.campaign, Header: lf.header, Rows: lf.rows}
	return p, flagNames{items: map[string][]string{"Header": lf.headers, "Rows": lf.lines}, columns: lf.header}, nil
}

// parseImportMode reads --mode, which also takes Marketo's own names.
func parseImportMode(mode string) (marketo.ImportMode, error) {
	switch strings.ToLower(mode) {
	case "upsert", "upsertleads":
		return marketo.ImportModeUpsertLeads, nil
	case "list-only", "listonly":
		return marketo.ImportModeListOnly, nil
	}
	return "", usagef("--mode", "--mode %q: want upsert or list-only", clip(mode))
}

func (c *importList) run(ctx context.Context, a *app) error {
	p, names, err := c.params(a)
	if err != nil {
		return err
	}
	note := ""
	if c.wait {
		note = "--wait skipped: nothing was imported."
	}
	return sdkCall[*marketo.ImportToListResult]{
		operation: "ImportToList", names: names, dryRunNote: note,
		call: func(ctx context.Context, s *session) (*marketo.ImportToListResult, error) {
			return s.client.ImportToList(ctx, p)
		},
		print: func(s *session, res *marketo.ImportToListResult) error {
			out := importOut{Program: c.program, List: c.list, ListID: res.ListID, Mode: string(p.Mode), Clear: c.clear, Campaign: c.campaign,
				Rows: len(p.Rows), Status: string(res.Status), ImportIDs: res.ImportIDs, metaOut: newMetaOut(res.Metadata)}
			switch {
			case res.FinalStatus != nil: // REST's list-only import ran during the call
				out.Final = toStatusOut(res.FinalStatus)
				return a.emitResult(out, res.Metadata, func(w io.Writer) { printStatus(w, res.ListID, c.program, c.list, res.FinalStatus) })
			case c.wait:
				return c.waitAndPrint(ctx, a, s, res, out)
			}
			return a.emitResult(out, res.Metadata, func(w io.Writer) {
				fmt.Fprintf(w, "Import of %d row(s) to %s started: %s.\n", out.Rows, listName(res.ListID, c.program, c.list), res.Status)
				if len(res.ImportIDs) > 1 {
					fmt.Fprintf(w, "Marketo runs it as %d jobs of at most 10 MB each.\n", len(res.ImportIDs))
				}
				for _, cmd := range c.statusCommands(res.ImportIDs) {
					fmt.Fprintf(w, "Follow it with: %s\n", cmd)
				}
			})
		},
	}.run(ctx, a)
}

type importOut struct {
	Program   string     `json:"program"`           // empty when the list was named without it (REST)
	List      string     `json:"list"`              // empty when it was named by --list-id
	ListID    int        `json:"list_id,omitempty"` // REST: as given or as looked up
	Mode      string     `json:"mode"`
	Clear     bool       `json:"clear_list"`
	Campaign  string     `json:"campaign,omitempty"`
	Rows      int        `json:"rows"`
	Status    string     `json:"status"`
	ImportIDs []string   `json:"import_ids,omitempty"` // REST's jobs
	Final     *statusOut `json:"final,omitempty"`      // with --wait, or REST's list-only import
	metaOut              // the import call's; Final holds the last polls'
}

// statusCommands are the command lines that follow the import: one for the
// list on SOAP, one per job on REST.
func (c *importList) statusCommands(importIDs []string) []string {
	if len(importIDs) == 0 {
		return []string{fmt.Sprintf("mktows import-status --program %s --list %s", quoteArg(c.program), quoteArg(c.list))}
	}
	cmds := make([]string, len(importIDs))
	for i, id := range importIDs {
		cmds[i] = "mktows import-status --import-id " + id
	}
	return cmds
}

// waitAndPrint follows the started import until it ends, without --timeout,
// and prints its final state. An import that ended FAILED or CANCELED is
// printed and then reported as an error.
func (c *importList) waitAndPrint(ctx context.Context, a *app, s *session, res *marketo.ImportToListResult, out importOut) error {
	interval := c.interval
	switch {
	case a.set["poll-interval"]:
	case s.demo != nil:
		interval = demoPollInterval
	case s.api == apiREST:
		interval = marketo.DefaultRESTPollInterval
	default:
		interval = marketo.DefaultPollInterval
	}
	if !a.g.json {
		fmt.Fprintf(a.stderr, "Import of %d row(s) to %s started; waiting for Marketo (polling every %v).\n", out.Rows, listName(res.ListID, c.program, c.list), interval)
	}
	final, err := a.wait(ctx, s, res, interval)
	var failed *marketo.ImportFailedError
	if err != nil && !errors.As(err, &failed) {
		// The import itself goes on in Marketo.
		ce := a.explain(err)
		ce.Hint = "the import goes on in Marketo; follow it with: " + strings.Join(c.statusCommands(res.ImportIDs), "; ")
		return ce
	}
	out.Final = toStatusOut(final)
	if perr := a.emitResult(out, res.Metadata, func(w io.Writer) {
		printStatus(w, res.ListID, c.program, c.list, final)
		if len(res.ImportIDs) > 0 {
			fmt.Fprintf(w, "  import jobs: %s\n", strings.Join(res.ImportIDs, ", "))
		}
	}); perr != nil {
		return perr
	}
	return err
}

// wait polls the import with WaitForImports (every job of it on REST),
// writing progress to stderr unless --json is set.
func (a *app) wait(ctx context.Context, s *session, res *marketo.ImportToListResult, interval time.Duration) (*marketo.ImportToListStatus, error) {
	tty := isTerminal(a.stderr)
	start := time.Now()
	polls := 0
	progress := func(st marketo.ImportToListStatus) {
		polls++
		if a.g.json {
			return
		}
		line := progressLine(st, polls, time.Since(start))
		if tty {
			fmt.Fprintf(a.stderr, "\r\x1b[K%s", line)
			if st.Status.Done() {
				fmt.Fprintln(a.stderr)
			}
			return
		}
		fmt.Fprintln(a.stderr, line)
	}
	st, err := s.client.WaitForImports(ctx, res, marketo.WithPollInterval(interval), marketo.WithPollProgress(progress))
	if tty && !a.g.json && polls > 0 && (st == nil || !st.Status.Done()) {
		fmt.Fprintln(a.stderr)
	}
	return st, err
}

// progressLine is one line of import-list --wait progress.
func progressLine(st marketo.ImportToListStatus, poll int, elapsed time.Duration) string {
	var b strings.Builder
	if st.ImportID != "" {
		b.WriteString("job " + st.ImportID + ": ")
	}
	b.WriteString(string(st.Status))
	if st.RowsImported != nil {
		fmt.Fprintf(&b, ", %d", *st.RowsImported)
		if st.EstimatedRows != nil {
			fmt.Fprintf(&b, " of %d", *st.EstimatedRows)
		}
		b.WriteString(" rows imported")
	}
	if st.RowsFailed != nil && *st.RowsFailed > 0 {
		fmt.Fprintf(&b, ", %d failed", *st.RowsFailed)
	}
	if st.EstimatedTime != nil && !st.Status.Done() {
		fmt.Fprintf(&b, ", estimated time left %d", *st.EstimatedTime)
	}
	fmt.Fprintf(&b, " (poll %d, %s)", poll, elapsed.Round(time.Second))
	return b.String()
}
