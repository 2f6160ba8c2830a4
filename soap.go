package marketo

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
)

// soapBackend speaks Marketo's SOAP API: signed envelopes, streamed when
// large, answers decoded into the wire structs of types.go.
type soapBackend struct {
	c        *Client
	endpoint string
	userID   string
	key      []byte
	signers  sync.Pool // *signer keyed with key
	headSize int       // bytes of every request's envelope before the params element
}

func newSOAPBackend(c *Client, endpoint string, cfg Config) *soapBackend {
	// Signatures and timestamps have one length: a request's size is known
	// before it is signed.
	head := appendHead(nil, cfg.UserID, make([]byte, 2*sha1.Size), make([]byte, len(timestampLayout)))
	return &soapBackend{c: c, endpoint: endpoint, userID: cfg.UserID, key: []byte(cfg.EncryptionKey), headSize: len(head)}
}

// soapOperation names one operation on the SOAP wire.
type soapOperation struct {
	*operation
	name    string // SOAP operation, e.g. "scheduleCampaign"
	params  string // request element, e.g. "ns1:paramsScheduleCampaign"
	success string // answer element (local name), e.g. "successScheduleCampaign"
	action  string // SOAPAction header
}

// soapOperations holds the SOAP names of every operation, derived from the
// operations table: Marketo's SOAP names are the SDK's method names with a
// lower-case first letter.
var soapOperations = func() map[*operation]*soapOperation {
	m := make(map[*operation]*soapOperation, len(operations))
	for _, op := range operations {
		name := lowerFirst(op.method)
		m[op] = &soapOperation{
			operation: op,
			name:      name,
			params:    "ns1:params" + op.method,
			success:   "success" + op.method,
			action:    nsMktows + name,
		}
	}
	return m
}()

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// soapResult is a decoded success answer that checks itself against what
// the schema promises, so that an answer breaking it fails its attempt (and
// is counted as one).
type soapResult interface{ check() error }

// call sends params as op and decodes the success answer into out.
func (b *soapBackend) call(ctx context.Context, op *operation, params any, out soapResult) error {
	sop := soapOperations[op]
	body := encodeParams(sop.params, params)
	size := b.headSize + body.size + len(envelopeEnd)
	if err := checkRequestSize(apiSOAP, size, soapMaxRequestBytes, func() []paramSize { return paramSizes(params) }); err != nil {
		return invalid(op, err)
	}
	return b.c.call(ctx, op, func(ctx context.Context) attemptResult {
		return b.attempt(ctx, sop, body, out)
	})
}

// maxCopiedBody is the largest params element an attempt copies into one
// request buffer; larger ones are streamed from the call's encoding.
const maxCopiedBody = 32 << 10

// attempt signs and sends one HTTP request, decodes its answer and checks
// it.
func (b *soapBackend) attempt(callCtx context.Context, op *soapOperation, body requestParams, out soapResult) attemptResult {
	a := b.c.startAttempt(callCtx)
	defer a.cancel()
	var sig [2 * sha1.Size]byte
	req, traced, closeBody, err := b.newRequest(a.ctx, op, body, &sig)
	if err != nil {
		return attemptResult{err: err}
	}
	defer closeBody()
	a.secret = string(sig[:])
	if t := b.c.trace; t != nil {
		t.request(b.endpoint, req.Header, traced, a.secret)
	}
	ans, r := a.do(req)
	if r.err != nil {
		return r
	}
	r.err = decodeResponse(ans.body, ans.status, ans.contentType, op.success, out)
	if r.err == nil {
		r.err = checkAnswer(out, ans)
	}
	r.err = a.scrub(r.err)
	return r
}

// checkAnswer checks a decoded success answer against what the schema
// promises. An answer that breaks it is a *ResponseError about that answer.
func checkAnswer(out soapResult, ans answer) error {
	err := out.check()
	var bad *badAnswerError
	if errors.As(err, &bad) {
		return &ResponseError{HTTPStatus: ans.status, ContentType: ans.contentType, Reason: bad.reason, Excerpt: excerpt(ans.body)}
	}
	return err
}

// newRequest builds the signed request of one attempt. A small request is
// sent from one buffer: net/http writes it with its headers in one go. A
// large one is read from its parts, so the params are not copied and an
// import's rows are encoded as they are sent; net/http then flushes the
// headers first. It returns the request, the body to trace, and a function
// that releases the streamed body's gate.
func (b *soapBackend) newRequest(ctx context.Context, op *soapOperation, body requestParams, sig *[2 * sha1.Size]byte) (*http.Request, []byte, func(), error) {
	headSize := len(envelopeStart) + len(b.userID) + 256
	var reqBody io.Reader
	var head, small []byte
	var gate *envelopeGate
	closeBody := func() {}
	if body.size <= maxCopiedBody {
		small = b.appendSignedHead(make([]byte, 0, headSize+body.size+len(envelopeEnd)), sig)
		small = append(body.appendTo(small), envelopeEnd...)
		reqBody = bytes.NewReader(small)
	} else {
		head = b.appendSignedHead(make([]byte, 0, headSize), sig)
		gate = &envelopeGate{}
		closeBody = gate.close
		reqBody = newEnvelopeReader(gate, head, body)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.endpoint, reqBody)
	if err != nil {
		closeBody()
		return nil, nil, nil, err
	}
	if gate != nil {
		req.ContentLength = int64(len(head) + body.size + len(envelopeEnd))
		if b.c.trace != nil {
			small = appendTrace(nil, head, body)
		}
	}
	// The headers Header.Set would write, with their values in one slice.
	hv := &[4]string{"text/xml; charset=utf-8", op.action, b.c.userAgent, "text/xml"}
	req.Header["Content-Type"] = hv[0:1:1]
	req.Header["Soapaction"] = hv[1:2:2]
	req.Header["User-Agent"] = hv[2:3:3]
	req.Header["Accept"] = hv[3:4:4]
	return req, small, closeBody, nil
}

// appendSignedHead appends the envelope start and the AuthenticationHeader
// signed now, and writes the signature to sig.
func (b *soapBackend) appendSignedHead(dst []byte, sig *[2 * sha1.Size]byte) []byte {
	s, _ := b.signers.Get().(*signer)
	if s == nil {
		s = &signer{mac: hmac.New(sha1.New, b.key)}
	}
	ts := s.sign(sig, b.c.now(), b.userID)
	dst = appendHead(dst, b.userID, sig[:], ts)
	b.signers.Put(s)
	return dst
}

// check turns a result/success that is false or missing into an error.
func (r *resultSuccess) check() error {
	if !r.Success.Valid {
		return badAnswer("result/success is missing")
	}
	if !r.Success.Value {
		return ErrNotSuccessful
	}
	return nil
}

func (r *resultImportToList) check() error {
	if strings.TrimSpace(r.ImportStatus.Value) == "" {
		return badAnswer("result/importStatus is missing")
	}
	return nil
}

func (r *resultGetImportToListStatus) check() error {
	if strings.TrimSpace(r.Status.Value) == "" {
		return badAnswer("result/status is missing")
	}
	return nil
}

func (r *resultGetCampaignsForSource) check() error {
	_, err := r.result()
	return err
}

// badAnswerError is a well-formed SOAP success answer whose content is not
// what the schema promises. checkAnswer reports it as a *ResponseError with
// the answer's status, content type and excerpt.
type badAnswerError struct{ reason string }

func (e *badAnswerError) Error() string { return e.reason }

func badAnswer(reason string) error { return &badAnswerError{reason: reason} }

// endpointURL is the endpoint a Client prints (see Client.Format).
func (b *soapBackend) endpointURL() string { return b.endpoint }
