package marketo

import (
	"context"
	"time"
)

// operation is one SDK operation as the call loop sees it, on either wire.
type operation struct {
	method   string // the SDK method, e.g. "ScheduleCampaign"
	mutating bool   // the call changes the tenant, so a lost answer leaves its outcome unknown
}

// The SDK's operations: the one list of them. Each wire names them in its
// own terms from this list (soapOperations, the REST backend's endpoints).
var (
	opScheduleCampaign      = &operation{method: "ScheduleCampaign", mutating: true}
	opRequestCampaign       = &operation{method: "RequestCampaign", mutating: true}
	opGetCampaignsForSource = &operation{method: "GetCampaignsForSource"}
	opImportToList          = &operation{method: "ImportToList", mutating: true}
	opGetImportToListStatus = &operation{method: "GetImportToListStatus"}

	operations = []*operation{opScheduleCampaign, opRequestCampaign, opGetCampaignsForSource, opImportToList, opGetImportToListStatus}

	// REST only, so outside operations, which every wire names: SOAP has
	// no call listing batch campaigns.
	opListCampaigns = &operation{method: "ListCampaigns"}
)

// backend is one wire's implementation of the operations. The public
// methods validate the params (for the Client's wire) before handing them
// over, so a backend only translates, sends through Client.call, and builds
// the result.
type backend interface {
	scheduleCampaign(ctx context.Context, p *ScheduleCampaignParams) (*ScheduleCampaignResult, error)
	requestCampaign(ctx context.Context, p *RequestCampaignParams) (*RequestCampaignResult, error)
	getCampaignsForSource(ctx context.Context, p *GetCampaignsForSourceParams) (*GetCampaignsForSourceResult, error)
	importToList(ctx context.Context, p *ImportToListParams) (*ImportToListResult, error)
	getImportToListStatus(ctx context.Context, p *GetImportToListStatusParams) (*ImportToListStatus, error)
	listCampaigns(ctx context.Context, p *ListCampaignsParams) (*ListCampaignsResult, error)
}

// attemptResult is the outcome of one HTTP attempt.
type attemptResult struct {
	sent       bool          // the request may have reached the server
	status     int           // the HTTP status of the answer, 0 without one
	retryAfter time.Duration // from a Retry-After header, if any
	err        error
	// stream, when set, is the answer's body, still open after the
	// attempt returned for the caller to read (a streamed file): the
	// attempt's limiter slot is freed when it ends.
	stream *attemptBody
}
