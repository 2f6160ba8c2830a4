package marketotest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRESTLeadsByEmail(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	r := restGet(t, srv, getToken(t, srv), "/rest/v1/leads.json?filterType=email&filterValues=SAM@example.com,jdoe@janeconsulting.com,nobody@example.com&fields=email,firstName,sfdcLeadId")
	requireRESTSuccess(t, r)
	assert.JSONEq(t, `[
		{"id":1,"email":"jdoe@janeconsulting.com","firstName":"Jane","sfdcLeadId":null},
		{"id":3,"email":"sam@example.com","firstName":"Sam","sfdcLeadId":"00Q000000000001"}]`, string(r.Result))
}

func TestRESTLeadsDefaultFieldsAndOtherFilters(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	require.NoError(t, srv.AddLeadField("Shoe Size"))
	_, err := srv.AddLead(Lead{ID: 40, Email: "big@example.com", Fields: map[string]string{"Shoe Size": "46"}})
	require.NoError(t, err)
	tok := getToken(t, srv)
	r := restGet(t, srv, tok, "/rest/v1/leads.json?filterType=id&filterValues=2")
	requireRESTSuccess(t, r)
	assert.JSONEq(t, `[{"id":2,"firstName":"Developer","lastName":"Awesomesauce","email":"dawesomesauce@marketo.com",
		"createdAt":"2026-03-10T16:00:00Z","updatedAt":"2026-03-10T16:00:00Z"}]`, string(r.Result))
	r = restGet(t, srv, tok, "/rest/v1/leads.json?filterType=shoeSize&filterValues=46&fields=id,shoeSize")
	assert.JSONEq(t, `[{"id":40,"shoeSize":"46"}]`, string(r.Result))
	r = restGet(t, srv, tok, "/rest/v1/leads.json?filterType=sfdcLeadId&filterValues=00Q000000000001")
	assert.Equal(t, []int{3}, resultIDs(t, r))
	r = restGet(t, srv, tok, "/rest/v1/leads.json?filterType=email&filterValues=nobody@example.com")
	requireRESTSuccess(t, r)
	assert.Equal(t, "[]", string(r.Result))
}

func TestRESTLeadsRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	values := make([]string, 301)
	for i := range values {
		values[i] = fmt.Sprint(i + 1)
	}
	cases := []struct{ query, code string }{
		{"filterValues=a@example.com", "701"},
		{"filterType=email", "701"},
		{"filterType=email&filterValues=,", "701"},
		{"filterType=Email&filterValues=a@example.com", "1003"},
		{"filterType=shoeSize&filterValues=1", "1003"},
		{"filterType=id&filterValues=" + strings.Join(values, ","), "1003"},
		{"filterType=id&filterValues=one", "1001"},
		{"filterType=id&filterValues=1&fields=id,nickname", "1006"},
	}
	for _, c := range cases {
		requireRESTError(t, restGet(t, srv, tok, "/rest/v1/leads.json?"+c.query), c.code)
	}
	requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/leads.json?filterType=id&filterValues="+strings.Join(values[:300], ",")))
}

func TestRESTLeadsPagingAndTooManyMatches(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	for i := range MaxLeadMatches {
		_, err := srv.AddLead(Lead{Email: fmt.Sprintf("l%d@acme.example", i), Fields: map[string]string{"Company Name": "Acme"}})
		require.NoError(t, err)
	}
	tok := getToken(t, srv)
	var sizes []int
	seen := map[int]bool{}
	next := ""
	for range 10 {
		r := restGet(t, srv, tok, "/rest/v1/leads.json?filterType=company&filterValues=Acme&fields=id&nextPageToken="+next)
		requireRESTSuccess(t, r)
		ids := resultIDs(t, r)
		sizes = append(sizes, len(ids))
		for _, id := range ids {
			seen[id] = true
		}
		if next = r.NextPage; next == "" {
			break
		}
	}
	assert.Equal(t, []int{300, 300, 300, 100}, sizes)
	assert.Len(t, seen, MaxLeadMatches)
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/leads.json?filterType=company&filterValues=Acme&nextPageToken="+pageToken("campaigns", 300)), "1003")

	_, err := srv.AddLead(Lead{Email: "one-more@acme.example", Fields: map[string]string{"Company Name": "Acme"}})
	require.NoError(t, err)
	errs := requireRESTError(t, restGet(t, srv, tok, "/rest/v1/leads.json?filterType=company&filterValues=Acme"), "1003")
	assert.Contains(t, errs[0].Message, "1001")
}

func TestRESTLeadsLongQueryGoesAsPOSTWithMethodGET(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	emails := []string{"jdoe@janeconsulting.com"}
	for i := range 299 {
		emails = append(emails, fmt.Sprintf("someone.with.a.long.address.%03d@example.com", i))
	}
	form := url.Values{"filterType": {"email"}, "filterValues": {strings.Join(emails, ",")}, "fields": {"id,email"}}
	r := restGet(t, srv, tok, "/rest/v1/leads.json?"+form.Encode())
	assert.Equal(t, http.StatusRequestURITooLong, r.Status, "a URI over 8 KB")
	r = restDo(t, srv, http.MethodPost, "/rest/v1/leads.json?_method=GET", form.Encode(),
		"Authorization", "Bearer "+tok, "Content-Type", "application/x-www-form-urlencoded")
	requireRESTSuccess(t, r)
	assert.Equal(t, []int{1}, resultIDs(t, r))
	r = restDo(t, srv, http.MethodPost, "/rest/v1/leads.json?_method=GET", form.Encode(),
		"Authorization", "Bearer "+tok, "Content-Type", "application/json")
	requireRESTError(t, r, "612")
	r = restDo(t, srv, http.MethodPost, "/rest/v1/leads.json", form.Encode(),
		"Authorization", "Bearer "+tok, "Content-Type", "application/x-www-form-urlencoded")
	requireRESTError(t, r, "605")
	reqs := srv.Requests()
	assert.Equal(t, http.StatusRequestURITooLong, reqs[1].HTTPStatus)
	assert.Equal(t, "getLeads", reqs[2].Operation)
}
