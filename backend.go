package marketo

import (
	"context"
	"errors"
	"net/url"
	"time"
)

// operation is one SDK operation as the call loop sees it, on either wire.
type operation struct {
	method   string // the SDK method, e.g. "ScheduleCampaign"
	mutating bool   // the call changes the tenant, so a lost answer leaves its outcome unknown
	soap     bool   // the SOAP API has the call, under the method's name (see soapOperations)
}

// The SDK's operations: the one list of them, the REST-only ones and the
// import-failure streams included. Each wire names them in its own terms
// from this list (soapOperations, the REST backend's endpoints).
var (
	opScheduleCampaign      = &operation{method: "ScheduleCampaign", mutating: true, soap: true}
	opRequestCampaign       = &operation{method: "RequestCampaign", mutating: true, soap: true}
	opGetCampaignsForSource = &operation{method: "GetCampaignsForSource", soap: true}
	opImportToList          = &operation{method: "ImportToList", mutating: true, soap: true}
	opGetImportToListStatus = &operation{method: "GetImportToListStatus", soap: true}
	opListCampaigns         = &operation{method: "ListCampaigns"}
	opImportFailures        = &operation{method: "ImportFailures"}
	opImportWarnings        = &operation{method: "ImportWarnings"}

	operations = []*operation{opScheduleCampaign, opRequestCampaign, opGetCampaignsForSource, opImportToList,
		opGetImportToListStatus, opListCampaigns, opImportFailures, opImportWarnings}
)

// backend is one wire's implementation of the operations. The public
// methods check the params with the rules both wires share (validate) and
// the backend's own (check), joined, before handing them over, so an
// operation method only translates, sends through its engine, and builds
// the result.
type backend interface {
	// check returns the problems of p, the params of op, under this
	// wire's own rules: what the shared rules let through and this wire
	// cannot carry, or an op the wire does not have (ErrRESTOnly).
	check(op *operation, p any) error
	// endpointURL is the endpoint the Client prints and reports.
	endpointURL() string
	// forCall returns the backend making one call with the options s:
	// the options travel with the call, not in its context.
	forCall(s callSettings) backend

	scheduleCampaign(ctx context.Context, p *ScheduleCampaignParams) (*ScheduleCampaignResult, error)
	requestCampaign(ctx context.Context, p *RequestCampaignParams) (*RequestCampaignResult, error)
	getCampaignsForSource(ctx context.Context, p *GetCampaignsForSourceParams) (*GetCampaignsForSourceResult, error)
	importToList(ctx context.Context, p *ImportToListParams) (*ImportToListResult, error)
	getImportToListStatus(ctx context.Context, p *GetImportToListStatusParams) (*ImportToListStatus, error)
	listCampaigns(ctx context.Context, p *ListCampaignsParams) (*ListCampaignsResult, error)
	// importRows opens the file of op (opImportFailures,
	// opImportWarnings) of the import job importID as a stream of rows.
	importRows(ctx context.Context, op *operation, importID string) (*ImportRows, error)
}

// observedBackend reports each SDK call of its backend to the client's
// Observer.
type observedBackend struct {
	backend
	e *engine
}

// forCall returns o's backend making one call with the options s,
// reported as o's.
func (o *observedBackend) forCall(s callSettings) backend {
	b := o.backend.forCall(s)
	if b == o.backend {
		return o
	}
	return &observedBackend{backend: b, e: o.e}
}

// observed returns b reporting to c's Observer, or b itself without one.
func (e *engine) observed(b backend) backend {
	if e.obs == nil {
		return b
	}
	if u, err := url.Parse(b.endpointURL()); err == nil {
		e.host = u.Hostname()
	}
	if e.obs.Call == nil {
		return b
	}
	return &observedBackend{backend: b, e: e}
}

func (o *observedBackend) scheduleCampaign(ctx context.Context, p *ScheduleCampaignParams) (*ScheduleCampaignResult, error) {
	return observeCall(ctx, o.e, opScheduleCampaign, p.CampaignID, func(ctx context.Context) (*ScheduleCampaignResult, error) {
		return o.backend.scheduleCampaign(ctx, p)
	}, func(r *ScheduleCampaignResult) (ResultMetadata, int) { return r.Metadata, r.CampaignID })
}

func (o *observedBackend) requestCampaign(ctx context.Context, p *RequestCampaignParams) (*RequestCampaignResult, error) {
	return observeCall(ctx, o.e, opRequestCampaign, p.CampaignID, func(ctx context.Context) (*RequestCampaignResult, error) {
		return o.backend.requestCampaign(ctx, p)
	}, func(r *RequestCampaignResult) (ResultMetadata, int) { return r.Metadata, r.CampaignID })
}

func (o *observedBackend) getCampaignsForSource(ctx context.Context, p *GetCampaignsForSourceParams) (*GetCampaignsForSourceResult, error) {
	return observeCall(ctx, o.e, opGetCampaignsForSource, 0, func(ctx context.Context) (*GetCampaignsForSourceResult, error) {
		return o.backend.getCampaignsForSource(ctx, p)
	}, func(r *GetCampaignsForSourceResult) (ResultMetadata, int) { return r.Metadata, 0 })
}

func (o *observedBackend) importToList(ctx context.Context, p *ImportToListParams) (*ImportToListResult, error) {
	return observeCall(ctx, o.e, opImportToList, 0, func(ctx context.Context) (*ImportToListResult, error) {
		return o.backend.importToList(ctx, p)
	}, func(r *ImportToListResult) (ResultMetadata, int) { return r.Metadata, 0 })
}

func (o *observedBackend) getImportToListStatus(ctx context.Context, p *GetImportToListStatusParams) (*ImportToListStatus, error) {
	return observeCall(ctx, o.e, opGetImportToListStatus, 0, func(ctx context.Context) (*ImportToListStatus, error) {
		return o.backend.getImportToListStatus(ctx, p)
	}, func(r *ImportToListStatus) (ResultMetadata, int) { return r.Metadata, 0 })
}

func (o *observedBackend) listCampaigns(ctx context.Context, p *ListCampaignsParams) (*ListCampaignsResult, error) {
	return observeCall(ctx, o.e, opListCampaigns, 0, func(ctx context.Context) (*ListCampaignsResult, error) {
		return o.backend.listCampaigns(ctx, p)
	}, func(r *ListCampaignsResult) (ResultMetadata, int) { return r.Metadata, 0 })
}

func (o *observedBackend) importRows(ctx context.Context, op *operation, importID string) (*ImportRows, error) {
	return observeCall(ctx, o.e, op, 0, func(ctx context.Context) (*ImportRows, error) {
		return o.backend.importRows(ctx, op, importID)
	}, func(*ImportRows) (ResultMetadata, int) { return ResultMetadata{}, 0 })
}

// refused returns the error of a call of op refused before sending: the
// problems of its params under the shared rules (shared) and under the
// Client's wire (check), and those of its options. It returns nil when
// there are none, and reports a refusal to the Observer as a call.
func (c *Client) refused(ctx context.Context, op *operation, shared error, p any, optErr error) error {
	if err := errors.Join(c.checked(op, shared, p), optErr); err != nil {
		return c.refuse(ctx, op, err)
	}
	return nil
}

// refuse returns the error of a call of op that cause refused before
// anything was sent, and reports the call to the Observer.
func (c *Client) refuse(ctx context.Context, op *operation, cause error) error {
	err := invalid(op, cause)
	c.reportRefused(ctx, op, err)
	return err
}

// checked joins the problems of p, the params of op, under the Client's
// wire and under the shared rules (shared).
func (c *Client) checked(op *operation, shared error, p any) error {
	return checkedOn(c.backend, op, shared, p)
}

// checkedOn is checked for the wire of b: its own rules first, which name
// what the wire requires before the shared rules' finer problems.
func checkedOn(b backend, op *operation, shared error, p any) error {
	return errors.Join(b.check(op, p), shared)
}

// attemptResult is the outcome of one HTTP attempt.
type attemptResult struct {
	sent       bool          // the request may have reached the server
	status     int           // the HTTP status of the answer, 0 without one
	retryAfter time.Duration // from a Retry-After header, if any
	err        error
	// method is the request's HTTP method, once it was sent, and
	// requestID Marketo's requestId of the answer (REST), for the
	// Observer.
	method    string
	requestID string
	// stream, when set, is the answer's body, still open after the
	// attempt returned for the caller to read (a streamed file): the
	// attempt's limiter slot is freed when it ends.
	stream *attemptBody
}
