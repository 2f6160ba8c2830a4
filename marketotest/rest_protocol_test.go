package marketotest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestRESTPathsAndMethods(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	for _, p := range []string{"/rest/v1/nothing.json", "/rest/v1/campaigns/abc/schedule.json", "/rest/v1/campaigns/1001/run.json", "/rest", "/rest/v2/campaigns.json"} {
		requireRESTError(t, restGet(t, srv, tok, p), "610")
	}
	requireRESTError(t, restGet(t, srv, tok, scheduleBatch), "605")
	requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns.json", `{}`), "605")
	requireRESTError(t, restDo(t, srv, http.MethodDelete, "/rest/v1/leads.json", "", "Authorization", "Bearer "+tok), "605")
	assert.Equal(t, 0, srv.RESTUsage().CallsToday, "calls refused before authentication are not counted")
	requireRESTError(t, restGet(t, srv, "", "/rest/v1/nothing.json"), "610")
}

func TestRESTContentType(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=ISO-8859-1", "application/jsonp"} {
		r := restDo(t, srv, http.MethodPost, scheduleBatch, `{}`, "Authorization", "Bearer "+tok, "Content-Type", ct)
		requireRESTError(t, r, "612")
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8"} {
		r := restDo(t, srv, http.MethodPost, scheduleBatch, `{}`, "Authorization", "Bearer "+tok, "Content-Type", ct)
		requireRESTSuccess(t, r)
	}
	assert.Len(t, srv.Runs(), 3)
}

func TestRESTBodyOver1MBIs413(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	pad := strings.Repeat(" ", maxRESTBody-2)
	requireRESTSuccess(t, restPost(t, srv, tok, scheduleBatch, "{"+pad+"}"))
	r := restPost(t, srv, tok, scheduleBatch, "{"+pad+" }")
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.Status)
	assert.Len(t, srv.Runs(), 1)
	reqs := srv.Requests()
	assert.Equal(t, http.StatusRequestEntityTooLarge, reqs[len(reqs)-1].HTTPStatus)
}

func TestRESTRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/9999/schedule.json", `{}`), "1013")
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	rq := reqs[1]
	assert.Equal(t, APIREST, rq.API)
	assert.Equal(t, "scheduleCampaign", rq.Operation)
	assert.Equal(t, http.MethodPost, rq.Method)
	assert.Equal(t, "/rest/v1/campaigns/9999/schedule.json", rq.Path)
	assert.Equal(t, http.StatusOK, rq.HTTPStatus)
	assert.Equal(t, marketo.Code(1013), rq.FaultCode)
	assert.Equal(t, "Campaign 9999 not found", rq.FaultMessage)
	assert.Equal(t, t0, rq.Time)
	requireSuccess(t, call(t, srv, listSources))
	assert.Equal(t, APISOAP, srv.Requests()[2].API)
}
