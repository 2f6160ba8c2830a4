package marketo

import (
	"context"
	"io"
	"net/http"
	"net/url"
)

// outRequest is one HTTP request as a backend describes it: the engine's
// newRequest builds every wire's requests from it, with the same headers
// in the same form.
type outRequest struct {
	method, url string
	// base, when set, is the URL instead of url, with path appended to
	// its path and query as its query, all in the form net/http would
	// parse them to: a backend that sends many requests under one
	// endpoint parses the endpoint once, not once per request.
	base        *url.URL
	path, query string
	body        io.Reader // nil without a body
	// size is the length of a streamed body, which net/http cannot tell;
	// zero for a body it measures itself (a *bytes.Reader) or none.
	size        int64
	contentType string // "" without a body
	accept      string
	auth        string // the Authorization header, "" for none
	soapAction  string // the SOAPAction header, "" for none
}

// The header names the SDK sends, in the canonical form Header.Set writes
// and Header.Get reads.
var (
	headerContentType   = http.CanonicalHeaderKey("Content-Type")
	headerAccept        = http.CanonicalHeaderKey("Accept")
	headerUserAgent     = http.CanonicalHeaderKey("User-Agent")
	headerAuthorization = http.CanonicalHeaderKey("Authorization")
	headerSOAPAction    = http.CanonicalHeaderKey("SOAPAction")
)

// newRequest builds o under ctx, the attempt's context, with the client's
// User-Agent. The headers are those Header.Set would write, their values
// in one slice: one allocation for them all. The request has no GetBody:
// it leaves at most once per attempt (see httpAttempt.do).
func (e *engine) newRequest(ctx context.Context, o outRequest) (*http.Request, error) {
	rawURL := o.url
	if o.base != nil {
		rawURL = "" // parsed in no time; filled below
	}
	req, err := http.NewRequestWithContext(ctx, o.method, rawURL, o.body)
	if err != nil {
		return nil, err
	}
	if o.base != nil {
		u := req.URL
		*u = *o.base
		u.Path, u.RawQuery = o.base.Path+o.path, o.query
		req.Host = u.Host
	}
	if o.size > 0 {
		req.ContentLength = o.size
	}
	vals := new([5]string)
	n := 0
	set := func(name, value string) {
		if value != "" {
			vals[n] = value
			req.Header[name] = vals[n : n+1 : n+1]
			n++
		}
	}
	set(headerContentType, o.contentType)
	set(headerSOAPAction, o.soapAction)
	set(headerAuthorization, o.auth)
	set(headerUserAgent, e.userAgent)
	set(headerAccept, o.accept)
	return req, nil
}
