package marketo_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// inProcessTransport serves requests with a handler in the same process,
// through an httptest.ResponseRecorder: no sockets, so a fuzz iteration
// costs microseconds.
type inProcessTransport struct {
	h        http.Handler
	requests atomic.Int64
}

func (rt *inProcessTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.requests.Add(1)
	sreq := req.Clone(req.Context())
	sreq.RequestURI = req.URL.RequestURI()
	rec := httptest.NewRecorder()
	rt.h.ServeHTTP(rec, sreq)
	if req.Body != nil {
		_ = req.Body.Close()
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// newInProcessFake returns an empty fake tenant without limits and a client
// that reaches it in-process, without retries or a client-side limiter.
func newInProcessFake(t *testing.T) (*marketotest.Server, *marketo.Client, *inProcessTransport) {
	t.Helper()
	srv := marketotest.NewUnstartedServer(
		marketotest.WithEmptyTenant(),
		marketotest.WithLimits(marketotest.Limits{}),
		marketotest.WithCredentials("fuzz1_0123456789ABCDEF", "FUZZKEY0123456789ABCDEF0123456789"),
	)
	rt := &inProcessTransport{h: srv.Handler()}
	cfg := srv.Config()
	cfg.Endpoint = "http://127.0.0.1" + marketotest.EndpointPath // never dialled
	c, err := marketo.NewClient(cfg,
		marketo.WithHTTPClient(&http.Client{Transport: rt}),
		marketo.WithoutRetries(),
		marketo.WithoutLimiter(),
	)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, rt
}

// fullTokenName is the {{my.name}} form the SDK sends for a valid name.
func fullTokenName(name string) string {
	if len(name) >= 4 && strings.HasPrefix(name, "{{") && strings.HasSuffix(name, "}}") {
		return name
	}
	return "{{" + name + "}}"
}

// FuzzScheduleCampaignRoundTrip sends fuzzed names and token values to the
// SOAP fake. Parameters that a SOAP client's validation refuses are never
// sent (an empty ProgramName among them, which only REST accepts). Parameters that
// it accepts reach the fake's parser exactly: against an empty tenant the
// only fault is "campaign not found" (20113), and once the program and
// campaign exist under the fuzzed names the call succeeds and the fake's
// run has those names and the token value byte for byte.
func FuzzScheduleCampaignRoundTrip(f *testing.F) {
	f.Add("Trav-Demo-Program", "Batch Campaign Example", "{{my.message}}", "Updated message", "")
	f.Add("Trav-Demo-Program", "Batch Campaign Example", "{{my.other token}}", "Value for other token", "TestProgramCloneFromSOAP")
	f.Add("P & <Q> \"R\" 'S'", "C ]]> D", "my.a&b<c>", "<![CDATA[x]]> &amp; &#0; \"'", "")
	f.Add("  leading and trailing  ", "\ttab\t", "{{my.x y}}", "  spaced  ", "  clone  ")
	f.Add("line\nbreak", "carriage\rreturn", "{{my.crlf}}", "a\r\nb\rc\n", "")
	f.Add("Ünïcödé 程序", "キャンペーン", "{{my.émoji 🎉}}", "\u2028\u2029\U0001F600", "")
	f.Add("P", "C", "{{lead.FirstName}}", "v", "")
	f.Add("P", "C", "{{my.x}", "v", "")
	f.Add("P", "C", "{{ my.x }}", "v", "")
	f.Add("P\x00", "C", "{{my.x}}", "v", "")
	f.Add("P", "C", "{{my.x}}", "bad \xff utf-8", "")
	f.Add("P", "C", "{{my.x}}", "non-character \uFFFE", "")
	f.Add("   ", "C", "{{my.x}}", "v", "")
	f.Add("Same", "C", "{{my.x}}", "v", "Same")
	f.Fuzz(func(t *testing.T, program, campaign, tokenName, tokenValue, clone string) {
		srv, c, rt := newInProcessFake(t)
		p := marketo.ScheduleCampaignParams{
			ProgramName:        program,
			CampaignName:       campaign,
			CloneToProgramName: clone,
			Tokens:             []marketo.Token{{Name: tokenName, Value: tokenValue}},
		}
		ctx := context.Background()
		if err := p.ValidateSOAP(); err != nil {
			_, callErr := c.ScheduleCampaign(ctx, p)
			var ve *marketo.ValidationError
			var oe *marketo.OperationError
			if !errors.As(callErr, &ve) || !errors.As(callErr, &oe) || oe.Sent || oe.Attempts != 0 {
				t.Fatalf("invalid params: want a ValidationError and nothing sent, got %v", callErr)
			}
			if n := rt.requests.Load(); n != 0 {
				t.Fatalf("invalid params sent %d requests", n)
			}
			return
		}

		// Against an empty tenant the call reaches the fake and is refused
		// for a tenant reason only.
		_, err := c.ScheduleCampaign(ctx, p)
		var fault *marketo.Fault
		if !errors.As(err, &fault) || fault.Code != marketo.CodeCampaignNotFound {
			t.Fatalf("empty tenant: want fault 20113, got %v", err)
		}
		if n := rt.requests.Load(); n != 1 {
			t.Fatalf("empty tenant: %d requests, want 1", n)
		}

		// Names the SDK accepts are names the fake can hold: a refusal
		// here is a disagreement between the two, not an input to skip.
		name := fullTokenName(tokenName)
		tokens := map[string]string{name: "default"}
		if err := srv.AddProgram(program, tokens); err != nil {
			t.Fatalf("the SDK accepts program %q with token %q, the fake does not: %v", program, name, err)
		}
		if _, err := srv.AddCampaign(marketotest.Campaign{Program: program, Name: campaign, Kind: marketotest.Batch}); err != nil {
			t.Fatalf("the SDK accepts campaign %q, the fake does not: %v", campaign, err)
		}

		res, err := c.ScheduleCampaign(ctx, p)
		if clone == program {
			if !errors.As(err, &fault) || fault.Code != marketo.CodeBadParameter {
				t.Fatalf("clone onto its own program: want fault 20110, got %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("seeded tenant: %v", err)
		}
		if len(res.Tokens) != 1 || res.Tokens[0] != (marketo.Token{Name: name, Value: tokenValue}) {
			t.Fatalf("result tokens %q, want [{%q %q}]", res.Tokens, name, tokenValue)
		}
		runs := srv.Runs()
		if len(runs) != 1 {
			t.Fatalf("%d runs, want 1", len(runs))
		}
		run := runs[0]
		wantProgram := program
		if clone != "" {
			wantProgram = clone
			if !run.Cloned || run.CloneOf != program {
				t.Fatalf("run is not a clone of %q: %+v", program, run)
			}
		}
		if run.Program != wantProgram || run.Campaign != campaign {
			t.Fatalf("run of %q / %q, want %q / %q", run.Program, run.Campaign, wantProgram, campaign)
		}
		if len(run.CallTokens) != 1 || run.CallTokens[name] != tokenValue {
			t.Fatalf("call tokens %q, want {%q: %q}", run.CallTokens, name, tokenValue)
		}
		if run.Tokens[name] != tokenValue {
			t.Fatalf("effective token %q = %q, want %q", name, run.Tokens[name], tokenValue)
		}
	})
}
