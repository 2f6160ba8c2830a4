package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// Demo mode: the fake tenant's imports stay PROCESSING for demoImportDuration
// and import-list --wait polls it every demoPollInterval, so that a demo
// import shows its progress and ends within seconds.
const (
	demoImportDuration = 2 * time.Second
	demoPollInterval   = 500 * time.Millisecond
)

// userAgent identifies the command line to Marketo.
const userAgent = "mktows-cli/" + marketo.Version

// errDryRun is what the dry-run HTTP client answers instead of sending.
var errDryRun = errors.New("dry run: the request was not sent")

// dryRunClient is the HTTPClient of --dry-run: it never dials; every
// request fails with errDryRun once the SDK has traced it.
type dryRunClient struct{}

func (dryRunClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return nil, errDryRun
}

// session is a client for one command, and the demo tenant behind it.
type session struct {
	client *marketo.Client
	cfg    marketo.Config
	demo   *marketotest.Server
	skew   *atomic.Int64 // demo clock offset, in nanoseconds
	wire   *bytes.Buffer // the --dry-run trace
}

func (s *session) close() {
	if s.client != nil {
		s.client.CloseIdleConnections()
	}
	if s.demo != nil {
		s.demo.Close()
	}
}

// dryRun reports whether err is the end of a --dry-run call.
func (s *session) dryRun(err error) bool {
	return s.wire != nil && errors.Is(err, errDryRun)
}

// connect builds the client for the command: against the demo tenant with
// --demo, the configured tenant otherwise; with --dry-run it sends nothing.
func (a *app) connect() (*session, error) {
	s := &session{}
	if a.g.demo {
		for _, f := range []string{"endpoint", "user-id", "encryption-key", "encryption-key-file"} {
			if a.set[f] {
				return nil, &cliError{Exit: exitUsage, Field: "--" + f, Message: "--demo cannot be combined with --" + f,
					Hint: "--demo uses an in-process fake tenant with its own credentials"}
			}
		}
		skew := new(atomic.Int64)
		s.skew = skew
		s.demo = marketotest.NewServer(
			marketotest.WithImportDuration(demoImportDuration),
			marketotest.WithClock(func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }),
		)
		s.cfg = s.demo.Config()
		if !a.g.json {
			fmt.Fprintln(a.stderr, "mktows: --demo: using an in-process fake Marketo tenant; nothing leaves this machine")
		}
	} else {
		cfg, err := a.config()
		if err != nil {
			return nil, err
		}
		s.cfg = cfg
	}
	opts := []marketo.Option{marketo.WithUserAgent(userAgent)}
	switch {
	case a.g.dryRun:
		s.wire = new(bytes.Buffer)
		opts = append(opts, marketo.WithHTTPClient(dryRunClient{}), marketo.WithoutRetries(), marketo.WithWireTrace(s.wire))
	case a.g.trace && a.g.json:
		opts = append(opts, marketo.WithWireTrace(jsonLines{w: a.stderr, key: "trace"}))
	case a.g.trace:
		opts = append(opts, marketo.WithWireTrace(a.stderr))
	}
	client, err := marketo.NewClient(s.cfg, opts...)
	if err != nil {
		s.close()
		return nil, err
	}
	s.client = client
	return s, nil
}

// config reads the tenant from the flags, falling back to the environment.
func (a *app) config() (marketo.Config, error) {
	cfg := marketo.Config{
		Endpoint: strings.TrimSpace(firstSet(a.g.endpoint, a.getenv(marketo.EnvEndpoint))),
		UserID:   strings.TrimSpace(firstSet(a.g.userID, a.getenv(marketo.EnvUserID))),
	}
	switch {
	case a.set["encryption-key-file"] && a.set["encryption-key"]:
		return cfg, &cliError{Exit: exitUsage, Field: "--encryption-key-file", Message: "give --encryption-key-file or --encryption-key, not both"}
	case a.set["encryption-key-file"]:
		data, err := os.ReadFile(a.g.keyFile)
		if err != nil {
			return cfg, &cliError{Exit: exitUsage, Field: "--encryption-key-file", Message: "--encryption-key-file: " + err.Error()}
		}
		cfg.EncryptionKey = strings.TrimRight(string(data), "\r\n")
		if cfg.EncryptionKey == "" {
			return cfg, &cliError{Exit: exitUsage, Field: "--encryption-key-file", Message: fmt.Sprintf("--encryption-key-file %s is empty", a.g.keyFile)}
		}
	default:
		cfg.EncryptionKey = firstSet(a.g.key, a.getenv(marketo.EnvEncryptionKey))
	}
	var missing []string
	if cfg.Endpoint == "" {
		missing = append(missing, marketo.EnvEndpoint+" (or --endpoint)")
	}
	if cfg.UserID == "" {
		missing = append(missing, marketo.EnvUserID+" (or --user-id)")
	}
	if cfg.EncryptionKey == "" {
		missing = append(missing, marketo.EnvEncryptionKey+" (or --encryption-key-file)")
	}
	if len(missing) > 0 {
		return cfg, &cliError{Exit: exitUsage, Field: "configuration", Message: "no tenant configured: set " + strings.Join(missing, ", "),
			Hint: "or try the command with --demo, against a fake tenant"}
	}
	return cfg, nil
}

func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// dryRunOut is the --json output of --dry-run.
type dryRunOut struct {
	DryRun    bool   `json:"dry_run"`
	Operation string `json:"operation"`
	Request   string `json:"request"`
	Note      string `json:"note,omitempty"`
}

// printDryRun prints the request the SDK traced instead of sending it.
func (a *app) printDryRun(s *session, operation, note string) error {
	trace := strings.TrimRight(s.wire.String(), "\n")
	return a.emit(dryRunOut{DryRun: true, Operation: operation, Request: trace, Note: note}, func(w io.Writer) {
		fmt.Fprintf(w, "Dry run: nothing was sent. %s would send (signature redacted):\n\n%s\n", operation, trace)
		if note != "" {
			fmt.Fprintf(w, "\n%s\n", note)
		}
	})
}

// seedDemoImport gives the demo tenant a finished import to Trav-Test-List,
// so that import-status has one to report.
func (s *session) seedDemoImport(ctx context.Context) error {
	client, err := marketo.NewClient(s.cfg, marketo.WithUserAgent(userAgent))
	if err != nil {
		return err
	}
	_, err = client.ImportToList(ctx, marketo.ImportToListParams{
		ProgramName: demoProgram,
		ListName:    demoList,
		Mode:        marketo.ImportModeUpsertLeads,
		Header:      []string{"Email Address", "First Name"},
		Rows:        [][]string{{"ann@example.com", "Ann"}, {"jdoe@janeconsulting.com", "Jane"}},
	})
	if err != nil {
		return err
	}
	s.skew.Add(int64(demoImportDuration))
	return nil
}

// The default demo tenant's program and list (see marketotest.DefaultSeed).
const (
	demoProgram = "Trav-Demo-Program"
	demoList    = "Trav-Test-List"
)
