package marketo

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
)

// A Client prints and logs as its wire and endpoint only, e.g.
// "marketo.Client{SOAP https://123-ABC-456.mktoapi.com/soap/mktows/2_9}":
// its credentials (the encryption key, the REST client secret, tokens) are
// never shown, whatever the verb or handler.

// Format writes the client's description for every verb (%v, %+v, %#v, %s,
// …).
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.describe()) }

// GoString is the client's description, as Format gives for %#v.
func (c *Client) GoString() string { return c.describe() }

// LogValue makes slog show the client as its wire and endpoint.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("api", c.api.String()), slog.String("endpoint", c.endpoint()))
}

func (c *Client) describe() string {
	if c == nil {
		return "marketo.Client(nil)"
	}
	return "marketo.Client{" + c.api.String() + " " + c.endpoint() + "}"
}

// endpoint is the backend's endpoint without user information or query,
// which could carry credentials, or "" when it does not parse.
func (c *Client) endpoint() string {
	u, err := url.Parse(c.backend.endpointURL())
	if err != nil {
		return ""
	}
	return hostPath(u)
}
