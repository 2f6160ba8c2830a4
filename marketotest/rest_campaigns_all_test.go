package marketotest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// campaigns.json without isTriggerable lists batch campaigns and campaigns
// in folders in the shapes real tenants give them: a batch campaign reads
// active false; a folder campaign has no programName nor programId.
func TestRESTCampaignsListsBatchAndFolderRecords(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	r := restGet(t, srv, getToken(t, srv), "/rest/v1/campaigns.json?id=1001,1005")
	requireRESTSuccess(t, r)
	assert.JSONEq(t, `[{"id":1001,"name":"Batch Campaign Example","description":"","type":"batch",
		"programName":"Trav-Demo-Program","programId":1001,"workspaceName":"Default",
		"createdAt":"2026-03-10T16:00:00Z","updatedAt":"2026-03-10T16:00:00Z","active":false},
		{"id":1005,"name":"Monthly Newsletter Send","description":"","type":"batch","workspaceName":"Default",
		"createdAt":"2026-03-10T16:00:00Z","updatedAt":"2026-03-10T16:00:00Z","active":false}]`, string(r.Result))
}
