package marketo

import (
	"context"
	"errors"
	"fmt"
)

// CampaignType is a smart campaign's type: batch campaigns run on a
// schedule (ScheduleCampaign), trigger campaigns when a lead does
// something, e.g. is requested (RequestCampaign).
type CampaignType string

// The two types of smart campaign.
const (
	CampaignTypeBatch   CampaignType = "batch"
	CampaignTypeTrigger CampaignType = "trigger"
)

// DefaultListCampaignsLimit is the most campaigns ListCampaigns returns
// when ListCampaignsParams.Limit is zero.
const DefaultListCampaignsLimit = 1000

// maxListCampaignsLimit bounds ListCampaignsParams.Limit: a list of that
// many takes 334 calls, a third of an hour's rate limit.
const maxListCampaignsLimit = 100_000

// ListCampaignsParams are the parameters of ListCampaigns. Every filter is
// optional; the filters given must all match.
type ListCampaignsParams struct {
	// Type keeps only campaigns of this type. Empty lists both.
	Type CampaignType
	// Name keeps only campaigns named exactly Name (compared on the
	// client, since whether Marketo's name filter matches substrings is
	// not documented).
	Name string
	// ProgramName keeps only the campaigns of this program (exactly);
	// campaigns in folders, outside any program, are then left out.
	ProgramName string
	// WorkspaceName keeps only the campaigns of this workspace (exactly),
	// e.g. "Default".
	WorkspaceName string
	// Limit is the most campaigns returned; zero means
	// DefaultListCampaignsLimit, and it may be at most 100,000. When more
	// match, the result says Truncated.
	Limit int
}

// ListedCampaign is one campaign ListCampaigns found. Campaign says where
// it lives: ProgramName and ProgramID are empty for a campaign in a
// folder, outside any program, and ID tells apart campaigns of the same
// name (a program's clones carry its campaigns' names).
type ListedCampaign struct {
	Campaign
	Type CampaignType // batch or trigger
	// Active is Marketo's active flag: a trigger campaign that is
	// listening for its triggers. Marketo reports batch campaigns, which
	// are scheduled rather than activated, as not active.
	Active bool
}

// InFolder reports whether the campaign sits in a folder, outside any
// program: it is then named by its name alone or by its ID, and a schedule
// cannot clone its program.
func (c ListedCampaign) InFolder() bool { return c.ProgramName == "" }

// ListCampaignsResult lists the campaigns that matched, in Marketo's order
// (by campaign ID), each once.
type ListCampaignsResult struct {
	Campaigns []ListedCampaign // empty when none matched
	// Truncated is true when more campaigns matched than Limit, or the
	// tenant holds more campaigns than ListCampaigns reads in one call
	// (200 pages of 300): narrow the filters to see the rest.
	Truncated bool
	// Metadata is what Marketo said about the call: the requestId and
	// warnings of every page.
	Metadata ResultMetadata
}

// Validate checks p as ListCampaigns does before sending anything. It
// returns nil, or an error joining a *ValidationError for every problem.
func (p ListCampaignsParams) Validate() error {
	var errs []error
	switch p.Type {
	case "", CampaignTypeBatch, CampaignTypeTrigger:
	default:
		errs = append(errs, &ValidationError{Field: "Type", Rule: fmt.Sprintf("%q is not a campaign type; want batch, trigger, or empty for both", string(p.Type))})
	}
	for _, f := range [...]struct{ name, value string }{{"Name", p.Name}, {"ProgramName", p.ProgramName}, {"WorkspaceName", p.WorkspaceName}} {
		if f.value != "" {
			errs = requireText(errs, f.name, f.value)
		}
	}
	if p.Limit < 0 || p.Limit > maxListCampaignsLimit {
		errs = append(errs, &ValidationError{Field: "Limit", Rule: fmt.Sprintf("%d is out of range: want 0 (for %d) to %d", p.Limit, DefaultListCampaignsLimit, maxListCampaignsLimit)})
	}
	return errors.Join(errs...)
}

// limit is the most campaigns p asks for.
func (p ListCampaignsParams) limit() int {
	if p.Limit == 0 {
		return DefaultListCampaignsLimit
	}
	return p.Limit
}

// ListCampaigns lists the tenant's smart campaigns, batch and trigger,
// with what tells them apart: ID, type, whether active, and the program
// (or, by its absence, the folder) and workspace each lives in. It reads
// GET /rest/v1/campaigns.json page by page, sending the filters Marketo
// takes and applying all of them on the client; it changes nothing.
// Folders are not read (campaign records do not carry them; Folder is set
// only when a record does).
//
// ListCampaigns is REST only: SOAP has no call that lists batch campaigns,
// so on a SOAP client the error matches ErrRESTOnly and nothing is sent.
func (c *Client) ListCampaigns(ctx context.Context, p ListCampaignsParams, opts ...CallOption) (*ListCampaignsResult, error) {
	s, optErr := callOptions(opts)
	if err := c.refused(ctx, opListCampaigns, p.Validate(), &p, optErr); err != nil {
		return nil, err
	}
	return c.backend.forCall(s).listCampaigns(ctx, &p)
}
