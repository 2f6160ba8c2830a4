package marketotest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRESTMethodOverrideInAFormBody(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	// marketo-rest-python's lead lookup: no query at all, _method in the form.
	r := restDo(t, srv, http.MethodPost, "/rest/v1/leads.json",
		"_method=GET&filterValues=JDOE%40janeconsulting.com&filterType=email",
		"Authorization", "Bearer "+tok, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	requireRESTSuccess(t, r)
	assert.Equal(t, []int{1}, resultIDs(t, r))

	r = restDo(t, srv, http.MethodPost, "/rest/v1/leads.json", "_method=get&filterType=id&filterValues=2",
		"Authorization", "Bearer "+tok, "Content-Type", "application/x-www-form-urlencoded")
	assert.Equal(t, []int{2}, resultIDs(t, r), "the method's case does not matter")

	r = restDo(t, srv, http.MethodPost, "/rest/v1/leads.json", "filterType=id&filterValues=2",
		"Authorization", "Bearer "+tok, "Content-Type", "application/x-www-form-urlencoded")
	requireRESTError(t, r, "605") // no _method: a POST, which leads.json is not
	r = restDo(t, srv, http.MethodPost, "/rest/v1/leads.json", `{"_method":"GET","filterType":"id","filterValues":"2"}`,
		"Authorization", "Bearer "+tok, "Content-Type", "application/json")
	requireRESTError(t, r, "605") // a JSON body cannot make a GET
}

func TestRESTMethodOverrideInTheQuery(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	// marketo-rest-python's campaign listing: filters in the query, the form
	// body empty.
	for _, ct := range []string{"application/x-www-form-urlencoded; charset=utf-8", ""} {
		header := []string{"Authorization", "Bearer " + tok}
		if ct != "" {
			header = append(header, "Content-Type", ct)
		}
		r := restDo(t, srv, http.MethodPost, "/rest/v1/campaigns.json?_method=GET&name=Monthly+Newsletter+Send", "", header...)
		requireRESTSuccess(t, r)
		assert.Equal(t, []int{1005}, resultIDs(t, r), "Content-Type %q", ct)
	}
	r := restDo(t, srv, http.MethodPost, "/rest/v1/campaigns.json?_method=GET", "id=1001&id=1003",
		"Authorization", "Bearer "+tok, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	assert.Equal(t, []int{1001, 1003}, resultIDs(t, r), "repeated form keys add up")
	requireRESTError(t, restDo(t, srv, http.MethodPost, "/rest/v1/campaigns.json?_method=DELETE", "",
		"Authorization", "Bearer "+tok), "605")
}

func TestRESTMethodKeyInAJSONBody(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	// node-marketo-rest's trigger: "_method":"POST" beside input.
	requireRESTSuccess(t, restPost(t, srv, tok, "/rest/v1/campaigns/1002/trigger.json",
		`{"input":{"leads":[{"id":1}],"tokens":[{"name":"{{my.message}}","value":"Hi"}]},"_method":"POST"}`))
	runs := srv.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, "Hi", runs[0].Tokens["{{my.message}}"])
	assert.Contains(t, string(srv.Requests()[len(srv.Requests())-1].Body), `"_method":"POST"`, "the log keeps the body as sent")

	for _, body := range []string{
		`{"input":{"leads":[{"id":1}]},"_method":"GET"}`,
		`{"input":{"leads":[{"id":1}]},"_method":1}`,
	} {
		requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/1002/trigger.json", body), "605")
	}
	requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/1002/trigger.json",
		`{"input":{"leads":[{"id":1}]},"method":"POST"}`), "609") // other unknown keys stay refused
	assert.Len(t, srv.Runs(), 1)
}

func TestRESTScheduleWithoutABody(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t)
	tok := getToken(t, srv)
	forms := []struct {
		name, body string
		header     []string
	}{
		{"no body, JSON type (marketo-rest-python)", "", []string{"Content-Type", "application/json; charset=utf-8"}},
		{"no body, no type", "", nil},
		{"white space", " \n", []string{"Content-Type", "application/json"}},
		{"empty object", "{}", []string{"Content-Type", "application/json"}},
		{"empty input", `{"input":{}}`, []string{"Content-Type", "application/json"}},
	}
	for _, f := range forms {
		header := append([]string{"Authorization", "Bearer " + tok}, f.header...)
		requireRESTSuccess(t, restDo(t, srv, http.MethodPost, "/rest/v1/campaigns/1001/schedule.json", f.body, header...))
		requireRESTError(t, restDo(t, srv, http.MethodPost, "/rest/v1/campaigns/4242/schedule.json", f.body, header...), "1013")
	}
	runs := srv.Runs()
	require.Len(t, runs, len(forms))
	for _, r := range runs {
		assert.Equal(t, clock.Now().Add(MinScheduleDelay), r.RunAt)
	}
	requireRESTError(t, restDo(t, srv, http.MethodPost, "/rest/v1/campaigns/1001/schedule.json", "{}",
		"Authorization", "Bearer "+tok, "Content-Type", "text/plain"), "612") // a body must still be JSON
	requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/1002/trigger.json", ""), "609") // trigger's body is required
}

func TestRESTBulkImportParametersInTheQuery(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	id := folderListID(t, srv, tok)
	// marketo-rest-python's import: the parameters in the query, only the
	// file in the multipart body.
	body, ct := multipartImport(t, "email,firstName\nq@example.com,Q\n")
	r := restDo(t, srv, http.MethodPost, "/bulk/v1/leads.json?format=csv&lookupField=email&listId="+strconv.Itoa(id),
		body, "Authorization", "Bearer "+tok, "Content-Type", ct)
	b := batchOf(t, r)
	jobs := srv.BulkImports()
	require.Len(t, jobs, 1)
	assert.Equal(t, b.BatchID, jobs[0].BatchID)
	assert.Equal(t, "Newsletter Subscribers", jobs[0].List)

	body, ct = multipartImport(t, "email\nq@example.com\n")
	r = restDo(t, srv, http.MethodPost, "/bulk/v1/leads.json?format=xml", body, "Authorization", "Bearer "+tok, "Content-Type", ct)
	requireRESTError(t, r, "1003")
	var errs []restErr
	require.NoError(t, json.Unmarshal([]byte(r.Raw), &struct {
		Errors *[]restErr `json:"errors"`
	}{&errs}))
	assert.Contains(t, errs[0].Message, "format")
}
