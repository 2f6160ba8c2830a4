package marketo

import (
	"context"
	"errors"
)

// GetCampaignsForSourceParams are the parameters of GetCampaignsForSource.
type GetCampaignsForSourceParams struct {
	// Source is the source whose requestable campaigns are listed. The
	// empty value means SourceMKTOWS.
	Source CampaignSource
	// Name, when set, keeps only campaigns whose name contains it (or,
	// with ExactName, equals it). Empty lists every campaign.
	Name string
	// ExactName makes Name match whole campaign names only. It requires
	// Name.
	ExactName bool
}

// Campaign is a campaign that a source may request.
type Campaign struct {
	ID          int    // the campaign ID, for RequestCampaignParams.CampaignID
	Name        string // the campaign name
	Description string // empty when the campaign has none

	// Where the campaign lives, REST only (SOAP does not say). ProgramName
	// is its program's name, for RequestCampaignParams.ProgramName, and
	// ProgramID that program's ID; both are empty for a campaign in a
	// folder, outside any program, which is named by its name alone or by
	// its ID.
	ProgramName   string
	ProgramID     int
	WorkspaceName string  // the campaign's workspace, e.g. "Default"
	Folder        *Folder // the campaign's folder when Marketo gives it; nil otherwise
}

// Folder is a folder of Marketo's asset tree, as the asset API describes
// it. Marketo's campaign and list records (GET /rest/v1/campaigns.json,
// lists.json) do not carry one as Adobe documents them: the SDK fills it
// only from a record that does.
type Folder struct {
	ID   int
	Type string // "Folder", or "Program" for a program's own folder
	Name string // empty when Marketo did not give it
}

// GetCampaignsForSourceResult lists the campaigns Marketo returned, in its
// order (on REST, by campaign ID).
type GetCampaignsForSourceResult struct {
	Campaigns []Campaign // empty when no campaign matched
	// Metadata is what Marketo said about the call (see ResultMetadata):
	// on REST the requestId and warnings of every page.
	Metadata ResultMetadata
}

// Validate checks p as GetCampaignsForSource does before sending anything.
// It returns nil, or an error joining a *ValidationError for every problem.
func (p GetCampaignsForSourceParams) Validate() error { return p.validate() }

// validate checks p with the rules both APIs share; each wire adds its
// own (backend.check).
func (p GetCampaignsForSourceParams) validate() error {
	var errs []error
	_, errs = p.Source.wire("Source", errs)
	switch {
	case p.Name != "":
		errs = requireText(errs, "Name", p.Name)
	case p.ExactName:
		errs = append(errs, &ValidationError{Field: "ExactName", Rule: "requires Name"})
	}
	return errors.Join(errs...)
}

// GetCampaignsForSource lists the campaigns that the source may request with
// RequestCampaign: trigger campaigns with a "Campaign is Requested" trigger
// (Marketo's getCampaignsForSource; on REST, the triggerable campaigns).
//
// The answer is checked: a campaign without an ID or name, or a returnCount
// that differs from the number of campaigns listed, is a *ResponseError
// rather than a partial list. On failure the error is an *OperationError.
func (c *Client) GetCampaignsForSource(ctx context.Context, p GetCampaignsForSourceParams, opts ...CallOption) (*GetCampaignsForSourceResult, error) {
	s, optErr := callOptions(opts)
	if err := c.refused(ctx, opGetCampaignsForSource, p.validate(), &p, optErr); err != nil {
		return nil, err
	}
	return c.backend.forCall(s).getCampaignsForSource(ctx, &p)
}
