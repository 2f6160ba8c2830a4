package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mktows/marketo"
)

// emit prints v as JSON with --json, or calls human.
func (a *app) emit(v any, human func(w io.Writer)) error {
	if a.g.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	human(a.stdout)
	return nil
}

// emitResult is emit for a result with what Marketo said about the call:
// v holds it as a metaOut for --json; the text output ends with the
// request IDs, and the warnings go to stderr.
func (a *app) emitResult(v any, md marketo.ResultMetadata, human func(w io.Writer)) error {
	return a.emit(v, func(w io.Writer) {
		human(w)
		printMetadata(w, a.stderr, md)
	})
}

// metaOut is what Marketo said about a REST call in --json output: the
// request IDs Adobe support asks for and the warnings; absent on SOAP.
type metaOut struct {
	RequestIDs []string     `json:"request_ids,omitempty"`
	Warnings   []warningOut `json:"warnings,omitempty"`
}

type warningOut struct {
	Code    int    `json:"code,omitempty"`
	Message string `json:"message"`
}

func newMetaOut(md marketo.ResultMetadata) metaOut {
	out := metaOut{RequestIDs: md.RequestIDs}
	for _, w := range md.Warnings {
		out.Warnings = append(out.Warnings, warningOut{Code: int(w.Code), Message: w.Message})
	}
	return out
}

// printMetadata writes the request IDs of a result to w and its warnings
// to errw, one line each.
func printMetadata(w, errw io.Writer, md marketo.ResultMetadata) {
	switch len(md.RequestIDs) {
	case 0:
	case 1:
		fmt.Fprintf(w, "Marketo request ID: %s\n", md.RequestIDs[0])
	default:
		fmt.Fprintf(w, "Marketo request IDs: %s\n", strings.Join(md.RequestIDs, ", "))
	}
	for _, warn := range md.Warnings {
		if warn.Code != 0 {
			fmt.Fprintf(errw, "warning from Marketo: %s: %s\n", warn.Code, oneLine(warn.Message))
		} else {
			fmt.Fprintf(errw, "warning from Marketo: %s\n", oneLine(warn.Message))
		}
	}
}

// jsonLines writes each Write as one JSON object {key: text} on a line of
// its own, so that text written to stderr under --json (the wire trace, a
// library's log) keeps every line of stderr JSON.
type jsonLines struct {
	w   io.Writer
	key string
}

func (j jsonLines) Write(p []byte) (int, error) {
	line, err := json.Marshal(map[string]string{j.key: strings.TrimRight(string(p), "\n")})
	if err != nil {
		return 0, err
	}
	if _, err := j.w.Write(append(line, '\n')); err != nil {
		return 0, err
	}
	return len(p), nil
}

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

// oneLine keeps a table cell on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// quoteArg quotes s for a shell command line when it needs it.
func quoteArg(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@/:+=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// clip shortens s for quoting in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

// campaignName names a campaign in what is printed, by what is known of
// it: its name, its ID (REST), its program (none for a campaign in a
// folder, or named by its name alone).
func campaignName(id int, program, name string) string {
	return assetName("campaign", id, program, name)
}

// assetName names a campaign or a list (kind) by what is known of it.
func assetName(kind string, id int, program, name string) string {
	if name == "" {
		return fmt.Sprintf("%s %d", kind, id)
	}
	s := fmt.Sprintf("%s %q", kind, name)
	if id != 0 {
		s += fmt.Sprintf(" (ID %d)", id)
	}
	if program != "" {
		s += fmt.Sprintf(" of program %q", program)
	}
	return s
}
