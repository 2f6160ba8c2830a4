package marketo

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/mktows/marketo/internal/redact"
)

// wireTracer writes raw requests and answers for WithWireTrace.
type wireTracer struct {
	mu sync.Mutex
	w  io.Writer
	// secrets are the client's long-lived credentials (a REST client
	// secret, raw and URL-escaped), removed from everything traced.
	secrets []string
}

func (t *wireTracer) request(endpoint string, h http.Header, body []byte, sig string) {
	t.write("> POST "+endpoint, h, body, sig)
}

func (t *wireTracer) response(status string, h http.Header, body []byte, sig string) {
	t.write("< "+status, h, body, sig)
}

func (t *wireTracer) write(first string, h http.Header, body []byte, sig string) {
	var b strings.Builder
	b.WriteString(first)
	b.WriteByte('\n')
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if k == "Authorization" {
			v = redact.Text // a bearer token is a credential
		}
		fmt.Fprintf(&b, "%s: %s\n", k, v)
	}
	b.WriteByte('\n') // a blank line ends the headers and, without a body, the message
	if len(body) > 0 {
		b.Write(t.redactJSON(body, sig))
		b.WriteString("\n\n")
	}
	// The status line and headers of an answer can echo the secret too.
	text := t.redact(b.String(), sig)
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, text)
}

// redactJSON removes from a body what redact.String cannot see in its bytes: the
// value of an access_token member, and sig or a client secret spelt with
// JSON escapes.
func (t *wireTracer) redactJSON(body []byte, sig string) []byte {
	body = redact.JSON(redact.TokenFields(body), sig)
	for _, s := range t.secrets {
		body = redact.JSON(body, s)
	}
	return body
}

// redact removes sig and the client's secrets from s.
func (t *wireTracer) redact(s, sig string) string {
	return redact.All(redact.String(s, sig), t.secrets...)
}
