package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mktows/marketo"
)

// statusOut is an import's state in --json output; unknown values are null.
type statusOut struct {
	Status        string     `json:"status"`
	StartedTime   *time.Time `json:"started_time"`
	EndedTime     *time.Time `json:"ended_time"`
	EstimatedTime *int       `json:"estimated_time"`
	EstimatedRows *int       `json:"estimated_rows"`
	RowsImported  *int       `json:"rows_imported"`
	RowsFailed    *int       `json:"rows_failed"`
	RowsIgnored   *int       `json:"rows_ignored"`
	Summary       string     `json:"summary"`
}

func toStatusOut(st *marketo.ImportToListStatus) *statusOut {
	if st == nil {
		return nil
	}
	return &statusOut{Status: string(st.Status), StartedTime: st.StartedTime, EndedTime: st.EndedTime,
		EstimatedTime: st.EstimatedTime, EstimatedRows: st.EstimatedRows, RowsImported: st.RowsImported,
		RowsFailed: st.RowsFailed, RowsIgnored: st.RowsIgnored, Summary: st.ImportSummary}
}

// printStatus writes an import's state as an aligned block.
func printStatus(w io.Writer, program, list string, st *marketo.ImportToListStatus) {
	fmt.Fprintf(w, "Import to list %q of program %q: %s\n", list, program, st.Status)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(label, value string) { fmt.Fprintf(tw, "  %s:\t%s\n", label, value) }
	if st.StartedTime != nil {
		row("started", st.StartedTime.Format(time.RFC3339))
	}
	if st.EndedTime != nil {
		row("ended", st.EndedTime.Format(time.RFC3339))
	}
	for _, n := range []struct {
		label string
		v     *int
	}{{"estimated rows", st.EstimatedRows}, {"estimated time", st.EstimatedTime}, {"rows imported", st.RowsImported},
		{"rows failed", st.RowsFailed}, {"rows ignored", st.RowsIgnored}} {
		if n.v != nil {
			row(n.label, fmt.Sprint(*n.v))
		}
	}
	if st.ImportSummary != "" {
		row("summary", oneLine(st.ImportSummary))
	}
	_ = tw.Flush()
}

// progressLine is one line of import-list --wait progress.
func progressLine(st marketo.ImportToListStatus, poll int, elapsed time.Duration) string {
	var b strings.Builder
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

// isTerminal reports whether w is a terminal, where progress can update a
// single line in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

type importOut struct {
	Program  string     `json:"program"`
	List     string     `json:"list"`
	Mode     string     `json:"mode"`
	Clear    bool       `json:"clear_list"`
	Campaign string     `json:"campaign,omitempty"`
	Rows     int        `json:"rows"`
	Status   string     `json:"status"`
	Final    *statusOut `json:"final,omitempty"` // with --wait
}

func importListCmd() *command {
	return &command{
		name:    "import-list",
		summary: "import leads from a CSV file into a static list",
		usage:   "--program NAME --list NAME --file FILE [--mode upsert|list-only] [--clear] [--campaign NAME] [--wait]",
		help: `Imports leads from a CSV file (RFC 4180, UTF-8) into a static list of a program.
The first line is the header: lead field names as the Marketo UI shows them
(e.g. Email Address,First Name), optionally followed by My Token columns such
as {{my.message}}, whose values apply per lead to the next run of --campaign.
Every row needs one field per header column; blank lines are skipped. '-'
reads the file from standard input.

Marketo imports in the background: --wait polls until the import ends and
shows its progress (one updating line on a terminal, one line per poll
otherwise). Marketo asks for at most one poll a minute; --poll-interval is
for tests and --demo, where it defaults to 500ms.`,
		examples: []string{
			"mktows import-list --program Trav-Demo-Program --list Trav-Test-List --file leads.csv --wait",
			"mktows import-list --program Trav-Demo-Program --list Trav-Test-List --file leads.csv --campaign 'Batch Campaign Example' --mode list-only --clear",
		},
		flags: func(fs *flag.FlagSet) action {
			var program, list, file, mode, campaign string
			var clear, wait bool
			var interval time.Duration
			fs.StringVar(&program, "program", "", "the program that contains the list (required)")
			fs.StringVar(&list, "list", "", "the static list to import into (required)")
			fs.StringVar(&file, "file", "", "CSV `FILE` of leads, header first ('-': stdin) (required)")
			fs.StringVar(&mode, "mode", "upsert", "import `MODE`: upsert (create or update leads, add them to the list) or list-only (add existing leads only)")
			fs.BoolVar(&clear, "clear", false, "empty the list before the import")
			fs.StringVar(&campaign, "campaign", "", "the campaign whose next run uses the {{my.x}} token columns (required with them)")
			fs.BoolVar(&wait, "wait", false, "wait until Marketo has processed the import, showing progress")
			fs.DurationVar(&interval, "poll-interval", marketo.DefaultPollInterval, "with --wait: time between polls (for tests; keep 1m against Marketo)")
			return func(ctx context.Context, a *app) error {
				var m marketo.ImportMode
				switch strings.ToLower(mode) {
				case "upsert", "upsertleads":
					m = marketo.ImportModeUpsertLeads
				case "list-only", "listonly":
					m = marketo.ImportModeListOnly
				default:
					return usagef("--mode", "--mode %q: want upsert or list-only", clip(mode))
				}
				if interval <= 0 {
					return usagef("--poll-interval", "--poll-interval %v: want a positive duration", interval)
				}
				if file == "" {
					return usagef("--file", "--file is required: a CSV file of leads, header first")
				}
				lf, err := a.readLeadFile(file)
				if err != nil {
					return err
				}
				p := marketo.ImportToListParams{ProgramName: program, ListName: list, Mode: m, ClearList: clear,
					CampaignName: campaign, Header: lf.header, Rows: lf.rows}
				a.fields = fieldMap{
					flags:   map[string]string{"ProgramName": "--program", "ListName": "--list", "Mode": "--mode", "CampaignName": "--campaign", "Header": "--file header", "Rows": "--file"},
					origins: map[string][]string{"Header": lf.headers, "Rows": lf.lines},
					columns: lf.header,
				}
				note := ""
				if wait {
					note = "--wait skipped: nothing was imported."
				}
				res, s, done, err := callSDK(ctx, a, p.Validate, "ImportToList", note,
					func(ctx context.Context, s *session) (*marketo.ImportToListResult, error) {
						return s.client.ImportToList(ctx, p)
					})
				if s != nil {
					defer s.close()
				}
				if done {
					return err
				}
				out := importOut{Program: program, List: list, Mode: string(m), Clear: clear, Campaign: campaign, Rows: len(lf.rows), Status: string(res.Status)}
				if !wait {
					return a.emit(out, func(w io.Writer) {
						fmt.Fprintf(w, "Import of %d row(s) to list %q of program %q started: %s.\n", len(lf.rows), list, program, res.Status)
						fmt.Fprintf(w, "Follow it with: mktows import-status --program %s --list %s\n", quoteArg(program), quoteArg(list))
					})
				}
				if s.demo != nil && !a.set["poll-interval"] {
					interval = demoPollInterval
				}
				if !a.g.json {
					fmt.Fprintf(a.stderr, "Import of %d row(s) to list %q of program %q started; waiting for Marketo (polling every %v).\n", len(lf.rows), list, program, interval)
				}
				final, err := a.wait(ctx, s, marketo.GetImportToListStatusParams{ProgramName: program, ListName: list}, interval)
				out.Final = toStatusOut(final)
				var failed *marketo.ImportFailedError
				if err != nil && !errors.As(err, &failed) {
					return a.waitError(err, program, list)
				}
				if perr := a.emit(out, func(w io.Writer) { printStatus(w, program, list, final) }); perr != nil {
					return perr
				}
				return err
			}
		},
	}
}

// wait polls the import with WaitForImport, writing progress to stderr
// unless --json is set.
func (a *app) wait(ctx context.Context, s *session, p marketo.GetImportToListStatusParams, interval time.Duration) (*marketo.ImportToListStatus, error) {
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
	st, err := s.client.WaitForImport(ctx, p, marketo.WithPollInterval(interval), marketo.WithPollProgress(progress))
	if tty && !a.g.json && polls > 0 && (st == nil || !st.Status.Done()) {
		fmt.Fprintln(a.stderr)
	}
	return st, err
}

// waitError explains a wait that ended without a final status: the import
// itself goes on in Marketo.
func (a *app) waitError(err error, program, list string) error {
	ce := a.explain(err)
	ce.Hint = fmt.Sprintf("the import goes on in Marketo; follow it with: mktows import-status --program %s --list %s", quoteArg(program), quoteArg(list))
	return ce
}

func importStatusCmd() *command {
	return &command{
		name:    "import-status",
		summary: "show the state of the latest import to a static list",
		usage:   "--program NAME --list NAME",
		help: `Shows the state of the latest import to a static list: PROCESSING, COMPLETE,
FAILED or CANCELED, with row counts and Marketo's summary. With --demo, the demo
tenant has a finished import of two leads to list Trav-Test-List of program
Trav-Demo-Program.`,
		examples: []string{
			"mktows import-status --program Trav-Demo-Program --list Trav-Test-List",
		},
		flags: func(fs *flag.FlagSet) action {
			var program, list string
			fs.StringVar(&program, "program", "", "the program that contains the list (required)")
			fs.StringVar(&list, "list", "", "the static list (required)")
			return func(ctx context.Context, a *app) error {
				p := marketo.GetImportToListStatusParams{ProgramName: program, ListName: list}
				a.fields = fieldMap{flags: map[string]string{"ProgramName": "--program", "ListName": "--list"}}
				st, s, done, err := callSDK(ctx, a, p.Validate, "GetImportToListStatus", "",
					func(ctx context.Context, s *session) (*marketo.ImportToListStatus, error) {
						if s.demo != nil && s.wire == nil {
							if err := s.seedDemoImport(ctx); err != nil {
								return nil, err
							}
						}
						return s.client.GetImportToListStatus(ctx, p)
					})
				if s != nil {
					defer s.close()
				}
				if done {
					return err
				}
				return a.emit(toStatusOut(st), func(w io.Writer) { printStatus(w, program, list, st) })
			}
		},
	}
}
