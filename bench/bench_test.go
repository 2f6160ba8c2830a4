// Package bench measures the SDK on loopback against a plain net/http client
// (the floor: what sending a pre-built envelope costs) and against gowsdl's
// SOAP runtime (the peer: what a Go user would otherwise write). It is a
// separate package so that it calls the SDK only through its public API, as
// a user's program does. See README.md here for how to run it and what the
// numbers mean.
package bench

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mktows/marketo"
)

// successXML is the documented answer to scheduleCampaign.
const successXML = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successScheduleCampaign>
      <result>
        <success>true</success>
      </result>
    </ns1:successScheduleCampaign>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`

const (
	endpointPath   = "/soap/mktows/2_9"
	userID         = "bigcorp1_461839624B16E06BA2D663"
	encryptionKey  = "899756834129871744AAEE88DDCC77CDEEDEC1AAAD66"
	actionSchedule = "http://www.marketo.com/mktows/scheduleCampaign"
)

// benchServer is a loopback server that reads every request to its end and
// answers the documented success, counting the TCP connections it accepts.
type benchServer struct {
	*httptest.Server
	conns atomic.Int64 // connections accepted
	calls atomic.Int64 // requests answered
}

func newBenchServer(tb testing.TB, answer []byte) *benchServer {
	tb.Helper()
	return startBenchServer(tb, "text/xml; charset=utf-8", func(*http.Request) ([]byte, bool) { return answer, true })
}

// startBenchServer starts a benchServer that answers each request, once read
// to its end, with what answerFor gives it (404 when it gives nothing).
func startBenchServer(tb testing.TB, contentType string, answerFor func(*http.Request) ([]byte, bool)) *benchServer {
	tb.Helper()
	s := &benchServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		s.calls.Add(1)
		answer, ok := answerFor(r)
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h["Content-Type"] = []string{contentType}
		h["Content-Length"] = []string{strconv.Itoa(len(answer))}
		_, _ = w.Write(answer)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

func (s *benchServer) endpoint() string { return s.URL + endpointPath }

// keepAliveClient is an *http.Client configured like the SDK's default one:
// keep-alive with an idle pool of 10 connections per host.
func keepAliveClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 2 * time.Minute,
			ExpectContinueTimeout: time.Second,
			MaxIdleConns:          10,
			MaxIdleConnsPerHost:   10,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// scheduleParams is a run-now ScheduleCampaign with five My Tokens.
func scheduleParams() marketo.ScheduleCampaignParams {
	p := marketo.ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"}
	for i := 1; i <= 5; i++ {
		p.Tokens = append(p.Tokens, marketo.Token{
			Name:  "{{my.token " + strconv.Itoa(i) + "}}",
			Value: "Value for token " + strconv.Itoa(i),
		})
	}
	return p
}

// prebuiltEnvelope is the request the SDK sends for scheduleParams, signed
// once: the floor sends these bytes as they are.
func prebuiltEnvelope(tb testing.TB) []byte {
	tb.Helper()
	var trace bytes.Buffer
	srv := newBenchServer(tb, []byte(successXML))
	c, err := marketo.NewClient(marketo.Config{Endpoint: srv.endpoint(), UserID: userID, EncryptionKey: encryptionKey},
		marketo.WithWireTrace(&trace))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := c.ScheduleCampaign(context.Background(), scheduleParams()); err != nil {
		tb.Fatal(err)
	}
	c.CloseIdleConnections()
	// The trace is "> POST url\nheaders\n\nbody\n\n< answer…".
	_, rest, ok := bytes.Cut(trace.Bytes(), []byte("\n\n"))
	if !ok {
		tb.Fatal("no request in the wire trace")
	}
	body, _, ok := bytes.Cut(rest, []byte("\n\n< "))
	if !ok {
		tb.Fatal("no answer in the wire trace")
	}
	return bytes.TrimSpace(body)
}

var successTrue = []byte("<success>true</success>")

// floorCall POSTs a pre-built envelope with the headers a SOAP call needs and
// reads and checks the answer: the least any client must do.
func floorCall(ctx context.Context, hc *http.Client, url string, envelope []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(envelope))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", actionSchedule)
	return sendAndCheck(hc, req, successTrue)
}

// sendAndCheck sends req and reads the whole answer, which must be a 200
// containing want: the floor's share of any call, on either API.
func sendAndCheck(hc *http.Client, req *http.Request, want []byte) error {
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !bytes.Contains(data, want) {
		return errUnexpectedAnswer
	}
	return nil
}

type benchError string

func (e benchError) Error() string { return string(e) }

const errUnexpectedAnswer = benchError("unexpected answer")

// runModes runs call sequentially and under b.RunParallel, reporting the
// server's new TCP connections per call. With keepAlive, a call that opens a
// connection of its own fails the benchmark.
func runModes(b *testing.B, srv *benchServer, keepAlive bool, call func(ctx context.Context) error) {
	for _, mode := range []string{"seq", "par"} {
		b.Run("mode="+mode, func(b *testing.B) {
			ctx := context.Background()
			// Warm up: open the connections the pool keeps.
			if err := call(ctx); err != nil {
				b.Fatal(err)
			}
			before := srv.conns.Load()
			b.ReportAllocs()
			b.ResetTimer()
			if mode == "seq" {
				for i := 0; i < b.N; i++ {
					if err := call(ctx); err != nil {
						b.Fatal(err)
					}
				}
			} else {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := call(ctx); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			b.StopTimer()
			newConns := srv.conns.Load() - before
			b.ReportMetric(float64(newConns)/float64(b.N), "conns/op")
			// Sequential calls reuse the one warm connection; parallel ones
			// open at most one per goroutine.
			if limit := int64(4 * testingParallelism()); keepAlive && newConns > limit {
				b.Fatalf("%d new TCP connections for %d calls: connections are not reused", newConns, b.N)
			}
		})
	}
}

// testingParallelism is the number of goroutines b.RunParallel uses.
func testingParallelism() int { return runtime.GOMAXPROCS(0) }

// BenchmarkScheduleCampaign compares one ScheduleCampaign call (run now, five
// My Tokens) made by the floor, the SDK and gowsdl's runtime, all over
// loopback to the same server.
func BenchmarkScheduleCampaign(b *testing.B) {
	srv := newBenchServer(b, []byte(successXML))
	envelope := prebuiltEnvelope(b)
	cfg := marketo.Config{Endpoint: srv.endpoint(), UserID: userID, EncryptionKey: encryptionKey}
	params := scheduleParams()
	// A limiter that keeps the default limiter's books (100 calls per
	// window, 10 in flight, a daily count) but with a window of 1 ns and a
	// quota no run reaches, so that it does the same work per call without
	// ever making one wait or refusing one.
	unthrottled := func() marketo.Option {
		l, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: 100, Window: time.Nanosecond, MaxInFlight: 10, DailyQuota: math.MaxInt})
		if err != nil {
			b.Fatal(err)
		}
		return marketo.WithLimiter(l)
	}

	b.Run("impl=floor", func(b *testing.B) {
		hc := keepAliveClient()
		defer hc.CloseIdleConnections()
		runModes(b, srv, true, func(ctx context.Context) error {
			return floorCall(ctx, hc, srv.endpoint(), envelope)
		})
	})
	b.Run("impl=sdk", func(b *testing.B) {
		// The SDK's own default *http.Client.
		c, err := marketo.NewClient(cfg, unthrottled())
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseIdleConnections()
		runModes(b, srv, true, func(ctx context.Context) error {
			_, err := c.ScheduleCampaign(ctx, params)
			return err
		})
	})
	b.Run("impl=sdk-userhttp", func(b *testing.B) {
		// The floor's *http.Client, configured like the SDK's default.
		hc := keepAliveClient()
		defer hc.CloseIdleConnections()
		c, err := marketo.NewClient(cfg, unthrottled(), marketo.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		runModes(b, srv, true, func(ctx context.Context) error {
			_, err := c.ScheduleCampaign(ctx, params)
			return err
		})
	})
	b.Run("impl=gowsdl", func(b *testing.B) {
		hc := keepAliveClient()
		defer hc.CloseIdleConnections()
		runModes(b, srv, false, newPeer(srv.endpoint(), hc, params))
	})
	b.Run("impl=gowsdl-keepalive", func(b *testing.B) {
		hc := keepAliveClient()
		hc.Transport = keepConnsOpen{hc.Transport}
		defer hc.CloseIdleConnections()
		runModes(b, srv, true, newPeer(srv.endpoint(), hc, params))
	})
}
