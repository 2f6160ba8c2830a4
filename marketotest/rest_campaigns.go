package marketotest

import (
	"slices"
	"strings"
	"time"
)

// Workspace is the one workspace of the fake's tenant.
const Workspace = "Default"

// restCampaign is a record of GET /rest/v1/campaigns.json.
type restCampaign struct {
	ID            int    `json:"id"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	Type          string `json:"type"`
	ProgramName   string `json:"programName,omitempty"` // absent in a folder, as Marketo answers
	ProgramID     int    `json:"programId,omitempty"`
	WorkspaceName string `json:"workspaceName"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
	Active        bool   `json:"active"`
}

// restTime writes a time as Marketo's REST API does, in UTC.
func restTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// campaignFilter is the query of campaigns.json; nil fields filter nothing.
type campaignFilter struct {
	ids                         []int
	names, programs, workspaces []string
	triggerable                 *bool
}

func parseCampaignFilter(c *restCall) (campaignFilter, *Fault) {
	f := campaignFilter{names: listParam(c.params, "name"), programs: listParam(c.params, "programName"), workspaces: listParam(c.params, "workspaceName")}
	if ids := listParam(c.params, "id"); ids != nil {
		var bad *Fault
		if f.ids, bad = parseInts(ids); bad != nil {
			return f, bad
		}
	}
	if v := c.params.Get("isTriggerable"); v != "" {
		b, ok := map[string]bool{"true": true, "false": false}[strings.ToLower(v)]
		if !ok {
			return f, faultf(restInvalidValue, "Invalid value '%s'. Required of type 'boolean'", v)
		}
		f.triggerable = &b
	}
	return f, nil
}

// matches applies every filter; a list filter matches any of its values.
// name matches as a case-insensitive substring (see the package doc).
func (f campaignFilter) matches(p *program, c *campaign) bool {
	if f.ids != nil && !slices.Contains(f.ids, c.ID) {
		return false
	}
	if f.programs != nil && (p.folder || !slices.Contains(f.programs, p.name)) {
		return false
	}
	if f.workspaces != nil && !slices.Contains(f.workspaces, Workspace) {
		return false
	}
	if f.triggerable != nil && *f.triggerable != triggerable(c) {
		return false
	}
	if f.names == nil {
		return true
	}
	return slices.ContainsFunc(f.names, func(n string) bool {
		return strings.Contains(strings.ToLower(c.Name), strings.ToLower(n))
	})
}

// triggerable is REST's isTriggerable: an active trigger campaign with a
// "Campaign is Requested" trigger.
func triggerable(c *campaign) bool { return active(c) && c.Requestable }

// active is REST's active: a trigger campaign that was not deactivated.
// Batch campaigns read false (see the package doc).
func active(c *campaign) bool { return c.Kind == Trigger && !c.Inactive }

// restCampaigns answers GET /rest/v1/campaigns.json, sorted by ID.
func (s *Server) restCampaigns(c *restCall) restAnswer {
	f, bad := parseCampaignFilter(c)
	if bad != nil {
		return failed(bad)
	}
	size, offset, bad := pageParams(c.params, "campaigns")
	if bad != nil {
		return failed(bad)
	}
	var all []restCampaign
	for _, p := range s.t.containers() {
		for _, cp := range p.campaigns {
			if f.matches(p, cp) {
				all = append(all, campaignRecord(p, cp))
			}
		}
	}
	slices.SortFunc(all, func(a, b restCampaign) int { return a.ID - b.ID })
	return page(all, "campaigns", size, offset)
}

// restCampaign answers GET /rest/v1/campaigns/{id}.json: the one record,
// or 1013 for an unknown ID.
func (s *Server) restCampaign(c *restCall) restAnswer {
	p, cp, derr := s.t.findCampaignID(c.id)
	if derr != nil {
		return failed(derr.rest())
	}
	return restAnswer{result: []restCampaign{campaignRecord(p, cp)}}
}

// campaignRecord is a campaign as campaigns.json and campaigns/{id}.json
// give it: programName and programId only for a campaign of a program.
func campaignRecord(p *program, cp *campaign) restCampaign {
	rec := restCampaign{
		ID: cp.ID, Name: cp.Name, Description: cp.Description, Type: string(cp.Kind),
		ProgramName: p.programName(), WorkspaceName: Workspace,
		CreatedAt: restTime(cp.created), UpdatedAt: restTime(cp.created), Active: active(cp),
	}
	if !p.folder {
		rec.ProgramID = p.id
	}
	return rec
}
