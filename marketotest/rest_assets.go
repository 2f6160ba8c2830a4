package marketotest

import (
	"fmt"
	"slices"
	"time"
)

// The asset API (/rest/asset/v1) beside the lead database API: the lookups
// real clients use for the same jobs as the SDK. Its envelope always holds
// "errors" and "warnings", and its warnings are plain strings.

// noAssetsWarning is the asset API's answer to a lookup that finds nothing:
// success, no result, this warning.
const noAssetsWarning = "No assets found for the given search criteria."

// assetTime writes a time as the asset API does: "2016-09-10T23:16:19Z+0000".
func assetTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z+0000") }

// assetFolder is an asset's parent: a program or a folder.
type assetFolder struct {
	ID   int    `json:"id"`
	Type string `json:"type"` // "Program" or "Folder"
}

func folderOf(p *program) assetFolder {
	if p.folder {
		return assetFolder{ID: p.id, Type: "Folder"}
	}
	return assetFolder{ID: p.id, Type: "Program"}
}

// assetSmartCampaign is a record of GET /rest/asset/v1/smartCampaign/{id}.json.
type assetSmartCampaign struct {
	ID                          int             `json:"id"`
	Name                        string          `json:"name"`
	Description                 string          `json:"description"`
	CreatedAt                   string          `json:"createdAt"`
	UpdatedAt                   string          `json:"updatedAt"`
	Folder                      assetFolder     `json:"folder"`
	Status                      string          `json:"status"`
	Type                        string          `json:"type"`
	IsSystem                    bool            `json:"isSystem"`
	IsActive                    bool            `json:"isActive"`
	IsRequestable               bool            `json:"isRequestable"`
	IsCommunicationLimitEnabled bool            `json:"isCommunicationLimitEnabled"`
	Recurrence                  assetRecurrence `json:"recurrence"`
	QualificationRuleType       string          `json:"qualificationRuleType"`
	Workspace                   string          `json:"workspace"`
	SmartListID                 int             `json:"smartListId"`
	FlowID                      int             `json:"flowId"`
	ComputedURL                 string          `json:"computedUrl"`
}

type assetRecurrence struct {
	WeekdayOnly bool `json:"weekdayOnly"`
}

// assetStaticList is a record of GET /rest/asset/v1/staticList/byName.json.
type assetStaticList struct {
	ID          int         `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	CreatedAt   string      `json:"createdAt"`
	UpdatedAt   string      `json:"updatedAt"`
	Folder      assetFolder `json:"folder"`
	ComputedURL string      `json:"computedUrl"`
}

// campaignStatus is the asset API's status: a trigger campaign is Active
// or Inactive; a batch campaign Never Run until a run was started, then
// Single Run.
func (s *Server) campaignStatus(c *campaign) string {
	switch {
	case c.Kind == Trigger && c.Inactive:
		return "Inactive"
	case c.Kind == Trigger:
		return "Active"
	case slices.ContainsFunc(s.runs, func(r Run) bool { return r.CampaignID == c.ID }):
		return "Single Run"
	}
	return "Never Run"
}

// restSmartCampaign answers GET /rest/asset/v1/smartCampaign/{id}.json.
func (s *Server) restSmartCampaign(c *restCall) restAnswer {
	p, cp := s.t.campaignByID(c.id)
	if cp == nil {
		return assetNotFound()
	}
	created := assetTime(cp.created)
	rec := assetSmartCampaign{
		ID: cp.ID, Name: cp.Name, Description: cp.Description, CreatedAt: created, UpdatedAt: created,
		Folder: folderOf(p), Status: s.campaignStatus(cp), Type: string(cp.Kind),
		IsActive: active(cp), IsRequestable: cp.Requestable, QualificationRuleType: "once",
		Workspace: Workspace, SmartListID: cp.ID, FlowID: cp.ID, ComputedURL: fmt.Sprintf("%s/#SC%dA1", s.URL, cp.ID),
	}
	return restAnswer{result: []assetSmartCampaign{rec}, asset: true}
}

// restStaticListByName answers GET /rest/asset/v1/staticList/byName.json:
// name required (701), matched exactly; when lists in several programs or
// folders share the name (Marketo keeps list names unique), the lowest ID.
func (s *Server) restStaticListByName(c *restCall) restAnswer {
	name := c.params.Get("name")
	if name == "" {
		ans := failed(faultf(restBlank, "name cannot be blank"))
		ans.asset = true
		return ans
	}
	for _, r := range s.allLists() {
		if r.l.name == name {
			created := assetTime(r.l.created)
			rec := assetStaticList{ID: r.id, Name: r.l.name, CreatedAt: created, UpdatedAt: created,
				Folder: folderOf(r.prog), ComputedURL: fmt.Sprintf("%s/#ST%dA1", s.URL, r.id)}
			return restAnswer{result: []assetStaticList{rec}, asset: true}
		}
	}
	return assetNotFound()
}

func assetNotFound() restAnswer {
	return restAnswer{asset: true, warnings: []string{noAssetsWarning}}
}
