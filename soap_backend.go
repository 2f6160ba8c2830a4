package marketo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"

	"github.com/mktows/marketo/internal/soapwire"
)

// soapBackend speaks Marketo's SOAP API: signed envelopes, streamed when
// large, answers decoded by internal/soapwire and turned into public
// results and errors here.
type soapBackend struct {
	*soapState
	opts callSettings // the options of the call this backend makes (see forCall)
}

// soapState is what every call of a SOAP client shares.
type soapState struct {
	e        *engine
	endpoint string
	userID   string
	key      []byte
	signers  sync.Pool // *soapwire.Signer keyed with key
	headSize int       // bytes of every request's envelope before the params element
}

func newSOAPBackend(e *engine, endpoint string, cfg Config) *soapBackend {
	// Signatures and timestamps have one length: a request's size is known
	// before it is signed.
	head := soapwire.AppendHead(nil, cfg.UserID, make([]byte, soapwire.SignatureSize), make([]byte, len(soapwire.TimestampLayout)))
	return &soapBackend{soapState: &soapState{e: e, endpoint: endpoint, userID: cfg.UserID, key: []byte(cfg.EncryptionKey), headSize: len(head)}}
}

// forCall returns b making one call with the options s.
func (b *soapBackend) forCall(s callSettings) backend {
	if s == b.opts {
		return b
	}
	return &soapBackend{soapState: b.soapState, opts: s}
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
		if !op.soap {
			continue
		}
		name := lowerFirst(op.method)
		m[op] = &soapOperation{
			operation: op,
			name:      name,
			params:    "ns1:params" + op.method,
			success:   "success" + op.method,
			action:    soapwire.Namespace + name,
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

// call sends params as op and decodes the success answer into out.
func (b *soapBackend) call(ctx context.Context, op *operation, params any, out soapwire.Result) error {
	sop := soapOperations[op]
	body := soapwire.EncodeParams(sop.params, params)
	size := b.headSize + body.Size() + len(soapwire.EnvelopeEnd)
	if err := checkRequestSize(apiSOAP, size, soapMaxRequestBytes, func() []paramSize { return soapParamSizes(params) }); err != nil {
		return invalid(op, err)
	}
	return b.e.call(ctx, op, b.opts, func(ctx context.Context) attemptResult {
		return b.attempt(ctx, sop, &body, out)
	})
}

// soapParamSizes is soapwire.ParamSizes for checkRequestSize.
func soapParamSizes(params any) []paramSize {
	sizes := soapwire.ParamSizes(params)
	out := make([]paramSize, len(sizes))
	for i, s := range sizes {
		out[i] = paramSize{field: s.Field, size: s.Size}
	}
	return out
}

// maxCopiedBody is the largest params element an attempt copies into one
// request buffer; larger ones are streamed from the call's encoding.
const maxCopiedBody = 32 << 10

// attempt signs and sends one HTTP request, decodes its answer and checks
// it.
func (b *soapBackend) attempt(callCtx context.Context, op *soapOperation, body *soapwire.EncodedParams, out soapwire.Result) attemptResult {
	a := b.e.startAttempt(callCtx)
	defer a.cancel()
	var sig [soapwire.SignatureSize]byte
	req, traced, closeBody, err := b.newRequest(a.ctx, op, body, &sig)
	if err != nil {
		return attemptResult{err: err}
	}
	defer closeBody()
	a.secret = string(sig[:])
	if t := b.e.trace; t != nil {
		t.request(b.endpoint, req.Header, traced, a.secret)
	}
	ans, r := a.do(req)
	if r.err != nil {
		return r
	}
	r.err = decodeResponse(ans.body, ans.status, ans.contentType, op.success, out)
	r.err = a.scrub(r.err)
	return r
}

// decodeResponse decodes a SOAP answer into out and checks it against what
// the schema promises, with the errors callers see.
func decodeResponse(body []byte, status int, contentType, successElem string, out soapwire.Result) error {
	err := soapwire.Decode(body, status, contentType, successElem, out)
	if err == nil {
		err = out.Check()
	}
	return soapAnswerError(err, body, status, contentType)
}

// soapAnswerError turns the errors of internal/soapwire about an answer
// into public ones: a fault into a *Fault, an answer that is not the
// operation's answer into a *ResponseError, a false result/success into
// ErrNotSuccessful. Any other error is returned as it is.
func soapAnswerError(err error, body []byte, status int, contentType string) error {
	if err == nil {
		return nil // before the targets of errors.As, which escape
	}
	var f *soapwire.Fault
	var ae *soapwire.AnswerError
	switch {
	case errors.As(err, &f):
		return &Fault{Code: Code(f.Code), FaultCode: f.FaultCode, FaultString: f.FaultString, Message: f.Message, HTTPStatus: status}
	case errors.As(err, &ae):
		return &ResponseError{HTTPStatus: status, ContentType: contentType, Reason: ae.Reason, Excerpt: excerpt(body), Err: ae.Err}
	case errors.Is(err, soapwire.ErrNotSuccessful):
		return ErrNotSuccessful
	}
	return err
}

// newRequest builds the signed request of one attempt. A small request is
// sent from one buffer: net/http writes it with its headers in one go. A
// large one is read from its parts, so the params are not copied and an
// import's rows are encoded as they are sent; net/http then flushes the
// headers first. It returns the request, the body to trace, and a function
// that releases the streamed body's gate.
func (b *soapBackend) newRequest(ctx context.Context, op *soapOperation, body *soapwire.EncodedParams, sig *[soapwire.SignatureSize]byte) (*http.Request, []byte, func(), error) {
	var reqBody io.Reader
	var head, small []byte
	var gate *requestBodyGate
	closeBody := func() {}
	if body.Size() <= maxCopiedBody {
		small = b.appendSignedHead(make([]byte, 0, b.headSize+body.Size()+len(soapwire.EnvelopeEnd)), sig)
		small = append(body.AppendTo(small), soapwire.EnvelopeEnd...)
		reqBody = bytes.NewReader(small)
	} else {
		head = b.appendSignedHead(make([]byte, 0, b.headSize), sig)
		gate = &requestBodyGate{}
		closeBody = gate.close
		reqBody = &gatedReader{gate: gate, chunks: body.Chunks(head)}
	}
	o := outRequest{method: http.MethodPost, url: b.endpoint, body: reqBody,
		contentType: "text/xml; charset=utf-8", soapAction: op.action, accept: "text/xml"}
	if gate != nil {
		o.size = int64(len(head) + body.Size() + len(soapwire.EnvelopeEnd))
		if b.e.trace != nil {
			small = body.AppendTrace(nil, head)
		}
	}
	req, err := b.e.newRequest(ctx, o)
	if err != nil {
		closeBody()
		return nil, nil, nil, err
	}
	return req, small, closeBody, nil
}

// endpointURL is the endpoint a Client prints (see Client.Format).
func (b *soapBackend) endpointURL() string { return b.endpoint }
