package marketo

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// h2Lie is what the liar answers after it has run a request.
type h2Lie int

const (
	lieProtocolError h2Lie = iota // RST_STREAM PROTOCOL_ERROR
	lieRefusedStream              // RST_STREAM REFUSED_STREAM ("not processed")
	lieGoAway                     // GOAWAY whose last stream ID excludes the stream
)

func (l h2Lie) String() string {
	return [...]string{"RST_STREAM PROTOCOL_ERROR", "RST_STREAM REFUSED_STREAM", "GOAWAY excluding the stream"}[l]
}

// h2Liar is an HTTP/2 server over TLS, written with the framer so that it
// can do what net/http's server never does: run each request it receives to
// the end (count it), then tell the client the stream failed in a way that
// invites a resend.
type h2Liar struct {
	lie      h2Lie
	ln       net.Listener
	tls      *tls.Config
	roots    *x509.CertPool
	executed atomic.Int64
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
}

func newH2Liar(t *testing.T, lie h2Lie) *h2Liar {
	t.Helper()
	cert, roots := selfSignedLoopbackCert(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &h2Liar{lie: lie, ln: ln, roots: roots, tls: &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}}}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.close)
	return s
}

func (s *h2Liar) endpoint() string { return "https://" + s.ln.Addr().String() + "/soap/mktows/2_9" }

func (s *h2Liar) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, conn)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			s.serve(tls.Server(conn, s.tls))
		}()
	}
}

func (s *h2Liar) close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *h2Liar) serve(conn *tls.Conn) {
	if err := conn.Handshake(); err != nil || conn.ConnectionState().NegotiatedProtocol != "h2" {
		return
	}
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(conn, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	fr := http2.NewFramer(conn, conn)
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	if fr.WriteSettings() != nil {
		return
	}
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		ended := false
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() && fr.WriteSettingsAck() != nil {
				return
			}
		case *http2.PingFrame:
			if !f.IsAck() && fr.WritePing(true, f.Data) != nil {
				return
			}
		case *http2.MetaHeadersFrame:
			ended = f.StreamEnded()
		case *http2.DataFrame:
			ended = f.StreamEnded()
		}
		if !ended {
			continue
		}
		// The whole request has arrived: the tenant runs it.
		s.executed.Add(1)
		id := f.Header().StreamID
		switch s.lie {
		case lieProtocolError:
			err = fr.WriteRSTStream(id, http2.ErrCodeProtocol)
		case lieRefusedStream:
			err = fr.WriteRSTStream(id, http2.ErrCodeRefusedStream)
		case lieGoAway:
			_ = fr.WriteGoAway(max(id, 2)-2, http2.ErrCodeNo, nil)
			return // a gateway going away closes the connection
		}
		if err != nil {
			return
		}
	}
}

// selfSignedLoopbackCert returns a certificate for 127.0.0.1 and a pool
// that trusts it.
func selfSignedLoopbackCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "h2 liar"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots
}

// newH2LiarClient returns a client with the SDK's default HTTP client,
// trusting the liar's certificate, so that it negotiates HTTP/2 as it does
// against Marketo.
func newH2LiarClient(t *testing.T, s *h2Liar, policy RetryPolicy) *Client {
	t.Helper()
	hc := newDefaultHTTPClient()
	hc.Transport.(*http.Transport).TLSClientConfig.RootCAs = s.roots
	t.Cleanup(hc.CloseIdleConnections)
	c, err := NewClient(Config{Endpoint: s.endpoint(), UserID: "bigcorp1_461839624B16E06BA2D663", EncryptionKey: "899756834129871744AAEE88DDCC77CDEEDEC1AAAD66"},
		WithHTTPClient(hc), WithRetryPolicy(policy))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestHTTP2ResendsLeaveOncePerAttempt: whatever an HTTP/2 server answers
// after running a request, a state-changing request leaves the process
// once, its outcome unknown, and a read-only one once per SDK attempt.
// (net/http's HTTP/2 transport resends a request on its own after these
// answers when it can rewind the body.)
func TestHTTP2ResendsLeaveOncePerAttempt(t *testing.T) {
	t.Parallel()
	policy := RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}
	for _, lie := range []h2Lie{lieProtocolError, lieRefusedStream, lieGoAway} {
		t.Run(lie.String()+"/ScheduleCampaign", func(t *testing.T) {
			t.Parallel()
			s := newH2Liar(t, lie)
			c := newH2LiarClient(t, s, policy)
			// The deadline only ends a call that loops; a correct one
			// returns at once.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := c.ScheduleCampaign(ctx, ScheduleCampaignParams{ProgramName: "P", CampaignName: "C"})
			if n := s.executed.Load(); n != 1 {
				t.Errorf("the tenant ran the campaign %d times; want once", n)
			}
			var oe *OperationError
			if !errors.As(err, &oe) {
				t.Fatalf("got %v, want an *OperationError", err)
			}
			if !oe.Sent || !oe.OutcomeUnknown || !errors.Is(err, ErrOutcomeUnknown) || oe.Attempts != 1 {
				t.Errorf("got %v (Sent %v, OutcomeUnknown %v, Attempts %d); want sent, outcome unknown, one attempt", err, oe.Sent, oe.OutcomeUnknown, oe.Attempts)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("the call ran until its deadline: %v", err)
			}
		})
		t.Run(lie.String()+"/GetCampaignsForSource", func(t *testing.T) {
			t.Parallel()
			s := newH2Liar(t, lie)
			c := newH2LiarClient(t, s, policy)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := c.GetCampaignsForSource(ctx, GetCampaignsForSourceParams{})
			if n := s.executed.Load(); n != int64(policy.MaxAttempts) {
				t.Errorf("the tenant ran the query %d times; want %d, once per attempt", n, policy.MaxAttempts)
			}
			var oe *OperationError
			if !errors.As(err, &oe) {
				t.Fatalf("got %v, want an *OperationError", err)
			}
			if oe.OutcomeUnknown || oe.Attempts != policy.MaxAttempts {
				t.Errorf("got %v (OutcomeUnknown %v, Attempts %d); want a known outcome after %d attempts", err, oe.OutcomeUnknown, oe.Attempts, policy.MaxAttempts)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("the call ran until its deadline: %v", err)
			}
		})
	}
}
