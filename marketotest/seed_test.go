package marketotest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

const seedJSON = `{
  "leadFields": ["Shoe Size"],
  "leads": [{"email": "a@example.com", "fields": {"Shoe Size": "42"}}],
  "programs": [{
    "name": "Webinar",
    "tokens": {"{{my.title}}": "Go"},
    "campaigns": [
      {"name": "Invite", "type": "batch"},
      {"id": 7, "name": "Register", "type": "trigger", "requestable": true, "description": "Sign-up"}
    ],
    "lists": [{"name": "Attendees", "members": ["a@example.com"]}]
  }]
}`

func TestSeedFile(t *testing.T) {
	t.Parallel()
	seed, err := LoadSeed(strings.NewReader(seedJSON))
	require.NoError(t, err)
	srv, _ := newTestServer(t, WithEmptyTenant(), WithSeed(seed))
	progs := srv.Programs()
	require.Len(t, progs, 1)
	assert.Equal(t, "Webinar", progs[0].Name)
	assert.Equal(t, []Campaign{
		{ID: 1001, Program: "Webinar", Name: "Invite", Kind: Batch},
		{ID: 7, Program: "Webinar", Name: "Register", Kind: Trigger, Requestable: true, Description: "Sign-up"},
	}, progs[0].Campaigns)
	assert.Equal(t, []List{{Program: "Webinar", Name: "Attendees", Members: []int{1}}}, progs[0].Lists)
	assert.Equal(t, "42", srv.Leads()[0].Fields["Shoe Size"])
	requireSuccess(t, call(t, srv, schedule("Webinar", "Invite", "")))
	requireFault(t, call(t, srv, seedSchedule), marketo.CodeCampaignNotFound)

	_, err = LoadSeed(strings.NewReader(`{"programs": [{"nom": "x"}]}`))
	assert.Error(t, err)
	assert.Error(t, srv.ApplySeed(seed), "duplicates are refused")
}

func TestSeedingAPIRefusesDuplicates(t *testing.T) {
	t.Parallel()
	srv := NewUnstartedServer()
	assert.Error(t, srv.AddProgram("Trav-Demo-Program", nil))
	assert.Error(t, srv.AddProgram("New", map[string]string{"message": "x"}))
	require.NoError(t, srv.AddProgram("New", map[string]string{"{{my.message}}": "x"}))
	c, err := srv.AddCampaign(Campaign{Program: "New", Name: "Go", Kind: Trigger, Requestable: true})
	require.NoError(t, err)
	assert.Equal(t, 1007, c.ID) // after the default tenant's 1001–1006
	_, err = srv.AddCampaign(Campaign{Program: "New", Name: "Go", Kind: Batch})
	assert.Error(t, err)
	_, err = srv.AddCampaign(Campaign{Program: "New", Name: "Other", ID: 1001, Kind: Batch})
	assert.Error(t, err)
	_, err = srv.AddCampaign(Campaign{Program: "New", Name: "Other", Kind: Batch, Requestable: true})
	assert.Error(t, err)
	_, err = srv.AddCampaign(Campaign{Program: "Missing", Name: "X", Kind: Batch})
	assert.Error(t, err)
	require.NoError(t, srv.AddList("New", "L"))
	assert.Error(t, srv.AddList("New", "L"))
	l, err := srv.AddLead(Lead{Email: "x@example.com", Fields: map[string]string{"First Name": "X"}})
	require.NoError(t, err)
	assert.Equal(t, 4, l.ID)
	_, err = srv.AddLead(Lead{Email: "X@example.com"})
	assert.Error(t, err)
	_, err = srv.AddLead(Lead{Email: "y@example.com", Fields: map[string]string{"Shoe Size": "1"}})
	assert.Error(t, err)
	require.NoError(t, srv.AddListMember("New", "L", l.ID))
	assert.Error(t, srv.AddListMember("New", "L", 99))
	require.NoError(t, srv.SetProgramToken("New", "{{my.other}}", "o"))
	p, _ := srv.Program("New")
	assert.Equal(t, map[string]string{"{{my.message}}": "x", "{{my.other}}": "o"}, p.Tokens)
}

func TestHandlerInProcess(t *testing.T) {
	t.Parallel()
	srv := NewUnstartedServer(WithCredentials("u1", "k1"))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "http://marketo.test"+EndpointPath, strings.NewReader(signed(srv, seedSchedule)))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	srv.Handler().ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Len(t, srv.Runs(), 1)
}
