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
		name  string
		stdin string
		args  []string
		code  int
		keys  []string // of the stderr objects, in order; nil: stderr is empty
	}{
		{"trace", "", []string{"--trace", "campaigns"}, exitOK, []string{"trace", "trace"}},
		{"trace and fault", "", []string{"--trace", "schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Nope"}, exitFail, []string{"trace", "trace", "error"}},
		{"import wait", importCSV, []string{"import-list", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List", "--file", "-", "--wait"}, exitOK, nil},
		{"no command", "", nil, exitUsage, []string{"error"}},
		{"usage error", "", []string{"campaigns", "--exact"}, exitUsage, []string{"error"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := mktows(t, nil, tc.stdin, append([]string{"--demo", "--json"}, tc.args...)...)
			wantCode(t, r, tc.code)
			if tc.keys == nil {
				if r.stderr != "" {
					t.Errorf("stderr = %q", r.stderr)
				}
				return
			}
			objs := jsonLinesOnly(t, r.stderr)
			if len(objs) != len(tc.keys) {
				t.Fatalf("%d objects on stderr, want %d:\n%s", len(objs), len(tc.keys), r.stderr)
			}
			for i, key := range tc.keys {
				if _, ok := objs[i][key]; !ok || len(objs[i]) != 1 {
					t.Errorf("object %d = %v, want one key %q", i, objs[i], key)
				}
			}
		})
	}
}

func TestJSONTraceKeepsTheText(t *testing.T) {
	t.Parallel()
	r := mktows(t, nil, "", "--demo", "--json", "--trace", "campaigns", "--name", "Welcome")
	wantCode(t, r, exitOK)
	objs := jsonLinesOnly(t, r.stderr)
	req, _ := objs[0]["trace"].(string)
	answer, _ := objs[1]["trace"].(string)
	if !strings.HasPrefix(req, "> POST ") || !strings.Contains(req, "<name>Welcome</name>") || !strings.Contains(req, "[REDACTED]") || signature.MatchString(req) {
		t.Errorf("request trace = %q", req)
	}
	if !strings.HasPrefix(answer, "< 200 OK\n") || !strings.Contains(answer, "Welcome Email Trigger") {
		t.Errorf("answer trace = %q", answer)
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
