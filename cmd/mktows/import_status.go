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

var importStatusCmd = &command{
	name:    "import-status",
	summary: "show the state of an import to a static list",
	usage:   "--program NAME --list NAME | --import-id ID",
	help: `Shows the state of an import: PROCESSING, COMPLETE, FAILED or CANCELED, with
row counts and Marketo's summary. On SOAP it is the latest import to the list
--program and --list name. On REST it is one job of an import, --import-id, as
'mktows import-list' printed it (--program and --list are then optional).
With --demo, the demo tenant has a finished import of two leads to list
Trav-Test-List of program Trav-Demo-Program, on REST job ` + demoImportID + `.`,
	examples: []string{
		"mktows import-status --program Trav-Demo-Program --list Trav-Test-List",
		"mktows import-status --import-id " + demoImportID,
	},
	runner: func() runner { return new(importStatus) },
}

// importStatus is import-status's flags.
type importStatus struct {
	program, list, importID string
}

func (c *importStatus) register(fs *flag.FlagSet) {
	fs.StringVar(&c.program, "program", "", "the program that contains the list (required on SOAP)")
	fs.StringVar(&c.list, "list", "", "the static list (required on SOAP)")
	fs.StringVar(&c.importID, "import-id", "", "the import job `ID` import-list printed (REST only; required there)")
}

func (c *importStatus) run(ctx context.Context, a *app) error {
	p := marketo.GetImportToListStatusParams{ProgramName: c.program, ListName: c.list, ImportID: c.importID}
	return sdkCall[*marketo.ImportToListStatus]{
		operation: "GetImportToListStatus",
		call: func(ctx context.Context, s *session) (*marketo.ImportToListStatus, error) {
			if s.demo != nil && s.wire == nil {
				if err := s.seedDemoImport(ctx); err != nil {
					return nil, err
				}
			}
			return s.client.GetImportToListStatus(ctx, p)
		},
		print: func(_ *session, st *marketo.ImportToListStatus) error {
			return a.emitResult(toStatusOut(st), st.Metadata, func(w io.Writer) { printStatus(w, 0, c.program, c.list, st) })
		},
	}.run(ctx, a)
}

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
	// REST only: the job, Marketo's own status, the rows with a warning.
	ImportID        string `json:"import_id,omitempty"`
	RawStatus       string `json:"raw_status,omitempty"`
	RowsWithWarning *int   `json:"rows_with_warning,omitempty"`
	metaOut
}

func toStatusOut(st *marketo.ImportToListStatus) *statusOut {
	if st == nil {
		return nil
	}
	return &statusOut{Status: string(st.Status), StartedTime: st.StartedTime, EndedTime: st.EndedTime,
		EstimatedTime: st.EstimatedTime, EstimatedRows: st.EstimatedRows, RowsImported: st.RowsImported,
		RowsFailed: st.RowsFailed, RowsIgnored: st.RowsIgnored, Summary: st.ImportSummary,
		ImportID: st.ImportID, RawStatus: st.RawStatus, RowsWithWarning: st.RowsWithWarning, metaOut: newMetaOut(st.Metadata)}
}

// printStatus writes an import's state as an aligned block.
func printStatus(w io.Writer, listID int, program, list string, st *marketo.ImportToListStatus) {
	fmt.Fprintf(w, "%s: %s", importName(st.ImportID, listID, program, list), st.Status)
	if st.RawStatus != "" && !strings.EqualFold(st.RawStatus, string(st.Status)) {
		fmt.Fprintf(w, " (%s)", st.RawStatus)
	}
	fmt.Fprintln(w)
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
		{"rows failed", st.RowsFailed}, {"rows ignored", st.RowsIgnored}, {"rows with a warning", st.RowsWithWarning}} {
		if n.v != nil {
			row(n.label, fmt.Sprint(*n.v))
		}
	}
	if st.ImportSummary != "" {
		row("summary", oneLine(st.ImportSummary))
	}
	_ = tw.Flush()
}

// importName names an import in what is printed: by its job on REST, by
// its list on SOAP.
func importName(importID string, listID int, program, list string) string {
	switch {
	case importID == "" || (list == "" && listID != 0):
		return "Import to " + listName(listID, program, list)
	case list == "":
		return "Import job " + importID
	}
	return fmt.Sprintf("Import job %s to %s", importID, listName(listID, program, list))
}

// listName names a static list in what is printed, by what is known of
// it: its name, its ID (REST), its program (none for a list in a folder,
// or named by its name alone).
func listName(id int, program, list string) string { return assetName("list", id, program, list) }
