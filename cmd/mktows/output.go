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
