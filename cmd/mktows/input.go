package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mktows/marketo"
)

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ", ") }

func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// parseTokens turns --token NAME=VALUE flags into tokens, splitting each on
// its first '=', and returns where each came from.
func parseTokens(vals []string) ([]marketo.Token, []string, error) {
	var tokens []marketo.Token
	var origins []string
	for _, v := range vals {
		name, value, ok := strings.Cut(v, "=")
		if !ok {
			return nil, nil, usagef("--token", "--token %q: want NAME=VALUE, e.g. --token 'my.message=Hello'", clip(v))
		}
		tokens = append(tokens, marketo.Token{Name: strings.TrimSpace(name), Value: value})
		origins = append(origins, fmt.Sprintf("--token %q", clip(v)))
	}
	return tokens, origins, nil
}

// parseRunAt reads --run-at: an RFC 3339 time, or +DURATION from now. The
// empty value and "now" mean now (the zero time).
func parseRunAt(s string, now time.Time) (time.Time, error) {
	switch s = strings.TrimSpace(s); {
	case s == "" || strings.EqualFold(s, "now"):
		return time.Time{}, nil
	case strings.HasPrefix(s, "+"):
		d, err := time.ParseDuration(s[1:])
		if err != nil || d <= 0 {
			return time.Time{}, usagef("--run-at", "--run-at %q: want a positive duration after '+', such as +2h or +30m", clip(s))
		}
		return now.Add(d).Truncate(time.Second), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("--run-at", "--run-at %q: want an RFC 3339 time such as 2026-12-01T09:00:00-06:00, or +DURATION such as +2h", clip(s))
	}
	return t, nil
}

// parseLead reads one lead key written TYPE:VALUE, e.g. EMAIL:a@example.com.
// The type is not case-sensitive; the value is everything after the first
// colon.
func parseLead(s string) (marketo.LeadKey, bool) {
	typ, val, ok := strings.Cut(s, ":")
	typ = strings.ToUpper(strings.TrimSpace(typ))
	if !ok || typ == "" || val == "" {
		return marketo.LeadKey{}, false
	}
	return marketo.LeadKey{Type: marketo.LeadKeyType(typ), Value: val}, true
}

const leadSyntax = "want TYPE:VALUE, e.g. EMAIL:a@example.com or IDNUM:42"

// parseLeads reads the --lead flags and then the --leads-file, and returns
// where each lead came from.
func (a *app) parseLeads(flags []string, file string) ([]marketo.LeadKey, []string, error) {
	var leads []marketo.LeadKey
	var origins []string
	for _, v := range flags {
		k, ok := parseLead(v)
		if !ok {
			return nil, nil, usagef("--lead", "--lead %q: %s", clip(v), leadSyntax)
		}
		leads = append(leads, k)
		origins = append(origins, fmt.Sprintf("--lead %q", clip(v)))
	}
	if file == "" {
		return leads, origins, nil
	}
	r, closeFile, err := a.open("--leads-file", file)
	if err != nil {
		return nil, nil, err
	}
	defer closeFile()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, ok := parseLead(line)
		if !ok {
			return nil, nil, usagef("--leads-file", "--leads-file %s line %d: %q: %s", file, n, clip(line), leadSyntax)
		}
		leads = append(leads, k)
		origins = append(origins, fmt.Sprintf("--leads-file %s line %d", file, n))
	}
	if err := sc.Err(); err != nil {
		return nil, nil, usagef("--leads-file", "--leads-file %s: %v", file, err)
	}
	return leads, origins, nil
}

// open opens a file named by flag; "-" is standard input.
func (a *app) open(flag, path string) (io.Reader, func(), error) {
	if path == "-" {
		return a.stdin, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, usagef(flag, "%s: %v", flag, err)
	}
	return f, func() { _ = f.Close() }, nil
}

// leadFile is a CSV file of leads for import-list.
type leadFile struct {
	header  []string
	rows    [][]string
	headers []string // origin of each header column
	lines   []string // origin of each row
}

// readLeadFile reads a CSV file whose first record is the header. Every row
// must have one field per header column; blank lines are skipped.
func (a *app) readLeadFile(path string) (*leadFile, error) {
	r, closeFile, err := a.open("--file", path)
	if err != nil {
		return nil, err
	}
	defer closeFile()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	lf := &leadFile{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, usagef("--file", "--file %s: %v", path, err)
		}
		line, _ := cr.FieldPos(0)
		if lf.header == nil {
			rec[0] = strings.TrimPrefix(rec[0], "\uFEFF")
			lf.header = rec
			for i, h := range rec {
				lf.headers = append(lf.headers, fmt.Sprintf("--file %s header column %d (%q)", path, i+1, clip(h)))
			}
			continue
		}
		if len(rec) != len(lf.header) {
			return nil, usagef("--file", "--file %s line %d: has %d fields; the header has %d", path, line, len(rec), len(lf.header))
		}
		lf.rows = append(lf.rows, rec)
		lf.lines = append(lf.lines, fmt.Sprintf("--file %s line %d", path, line))
	}
	switch {
	case lf.header == nil:
		return nil, usagef("--file", "--file %s is empty; its first line must be the header, e.g. Email Address,First Name", path)
	case len(lf.rows) == 0:
		return nil, usagef("--file", "--file %s has a header but no rows", path)
	}
	return lf, nil
}
