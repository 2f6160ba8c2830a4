package main

import (
	"bytes"
	"encoding/json"
	"log"
	"strings"
	"testing"
)

// jsonLinesOnly fails unless every line of s is one JSON object, and
// returns them.
func jsonLinesOnly(t *testing.T, s string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("stderr line is not a JSON object: %q\nstderr:\n%s", line, s)
		}
		objs = append(objs, obj)
	}
	return objs
}

func TestDemoJSONKeepsStderrJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		traces  bool // stderr has {"trace"} objects, then maybe one {"error"}
		wantErr bool
	}{
		{"REST trace", "", []string{"--trace", "campaigns"}, exitOK, true, false},
		{"SOAP trace", "", []string{"--api", "soap", "--trace", "campaigns"}, exitOK, true, false},
		{"REST trace and lookup failure", "", []string{"--trace", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Nope"}, exitFail, true, true},
		{"SOAP trace and fault", "", []string{"--api", "soap", "--trace", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Nope"}, exitFail, true, true},
		{"import wait", importCSV, []string{"--api", "soap", "import-list", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List", "--file", "-", "--wait"}, exitOK, false, false},
		{"no command", "", nil, exitUsage, false, true},
		{"usage error", "", []string{"campaigns", "--exact"}, exitUsage, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := mktows(t, nil, tc.stdin, append([]string{"--demo", "--json"}, tc.args...)...)
			wantCode(t, r, tc.code)
			if !tc.traces && !tc.wantErr {
				if r.stderr != "" {
					t.Errorf("stderr = %q", r.stderr)
				}
				return
			}
			objs := jsonLinesOnly(t, r.stderr)
			if tc.wantErr {
				if _, ok := objs[len(objs)-1]["error"]; !ok {
					t.Errorf("last object = %v, want an error", objs[len(objs)-1])
				}
				objs = objs[:len(objs)-1]
			}
			if tc.traces && len(objs) < 2 {
				t.Errorf("%d traces, want a request and an answer at least:\n%s", len(objs), r.stderr)
			}
			for i, obj := range objs {
				if _, ok := obj["trace"]; !ok || len(obj) != 1 {
					t.Errorf("object %d = %v, want one key \"trace\"", i, obj)
				}
			}
		})
	}
}

func TestJSONTraceKeepsTheText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ api, request, answer string }{
		{"soap", "<name>Welcome</name>", "Welcome Email Trigger"},
		{"rest", "GET ", "Welcome Email Trigger"},
	} {
		r := mktows(t, nil, "", "--demo", "--api", tc.api, "--json", "--trace", "campaigns", "--name", "Welcome")
		wantCode(t, r, exitOK)
		objs := jsonLinesOnly(t, r.stderr)
		req, _ := objs[len(objs)-2]["trace"].(string)
		answer, _ := objs[len(objs)-1]["trace"].(string)
		if !strings.HasPrefix(req, "> ") || !strings.Contains(req, tc.request) || !strings.Contains(r.stderr, "[REDACTED]") || signature.MatchString(req) {
			t.Errorf("%s: request trace = %q", tc.api, req)
		}
		if !strings.HasPrefix(answer, "< 200 OK\n") || !strings.Contains(answer, tc.answer) {
			t.Errorf("%s: answer trace = %q", tc.api, answer)
		}
	}
}

func TestJSONLinesCarriesALogger(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	l := log.New(jsonLines{w: &b, key: "log"}, "", 0)
	l.Print("http: TLS handshake error from 127.0.0.1:1: EOF")
	l.Print("two\nlines")
	objs := jsonLinesOnly(t, b.String())
	if len(objs) != 2 || objs[0]["log"] != "http: TLS handshake error from 127.0.0.1:1: EOF" || objs[1]["log"] != "two\nlines" {
		t.Errorf("objects = %v", objs)
	}
}
