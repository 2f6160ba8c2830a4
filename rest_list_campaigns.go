package marketo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/mktows/marketo/internal/restwire"
)

// maxListCampaignPages bounds the pages of campaigns.json one ListCampaigns
// reads (60,000 campaigns, 200 calls): a tenant, or an answer, that never
// stops paging ends the list as Truncated instead of spending the day's
// quota.
const maxListCampaignPages = 200

// errListFull stops the paging of ListCampaigns once its list is full.
var errListFull = errors.New("list full")

func (b *restBackend) listCampaigns(ctx context.Context, p *ListCampaignsParams) (*ListCampaignsResult, error) {
	op := opListCampaigns
	res := &ListCampaignsResult{}
	get, calls := b.getter(op)
	var next string // the last page's nextPageToken
	pages := func(ctx context.Context, path string, q url.Values, result any) (*restwire.Envelope, error) {
		env, err := get(ctx, path, q, result)
		res.Metadata.add(env)
		if env != nil {
			next = env.NextPageToken
		}
		return env, err
	}
	seen := map[int]bool{}
	err := getAllPages(ctx, pages, "/rest/v1/campaigns.json", p.filters(), func(page []restCampaign) error {
		for i, r := range page {
			c, err := r.listed(i)
			if err != nil {
				return err
			}
			if seen[c.ID] || !p.matches(c) {
				continue
			}
			if len(res.Campaigns) == p.limit() {
				res.Truncated = true
				return errListFull
			}
			seen[c.ID] = true
			res.Campaigns = append(res.Campaigns, c)
		}
		if *calls >= maxListCampaignPages && next != "" && len(page) > 0 {
			res.Truncated = true
			return errListFull
		}
		return nil
	})
	if err != nil && !errors.Is(err, errListFull) {
		return nil, lookupFailed(op, *calls, err)
	}
	return res, nil
}

// filters are the query filters of p that Marketo takes: name and
// programName as a lookup sends them, and workspaceName likewise. No
// isTriggerable: it would leave out batch and inactive campaigns.
func (p *ListCampaignsParams) filters() url.Values {
	q := nameFilters(p.Name, p.ProgramName)
	if w := p.WorkspaceName; w != "" && !strings.Contains(w, ",") && len(url.QueryEscape(w)) <= maxFilterBytes {
		q.Set("workspaceName", w)
	}
	return q
}

// matches applies every filter of p on the client, exactly.
func (p *ListCampaignsParams) matches(c ListedCampaign) bool {
	return (p.Type == "" || c.Type == p.Type) &&
		(p.Name == "" || c.Name == p.Name) &&
		(p.ProgramName == "" || c.ProgramName == p.ProgramName) &&
		(p.WorkspaceName == "" || c.WorkspaceName == p.WorkspaceName)
}

// listed returns r, record i of its page, as a ListedCampaign, or a
// *ResponseError for a record that cannot be told apart from others or
// has a type Marketo does not document.
func (r restCampaign) listed(i int) (ListedCampaign, error) {
	bad := func(what string) error {
		return &ResponseError{HTTPStatus: 200, ContentType: "application/json", Reason: fmt.Sprintf("campaign record %d %s", i, what)}
	}
	switch t := CampaignType(r.Type); {
	case r.ID <= 0 || r.Name == "":
		return ListedCampaign{}, bad("has no id or name")
	case t != CampaignTypeBatch && t != CampaignTypeTrigger:
		return ListedCampaign{}, bad(fmt.Sprintf("has type %q, not batch or trigger", r.Type))
	}
	return ListedCampaign{Campaign: r.campaign(), Type: CampaignType(r.Type), Active: r.Active}, nil
}
