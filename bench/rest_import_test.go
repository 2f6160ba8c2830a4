package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/mktows/marketo"
)

// restImportServer answers what a REST ImportToList asks: a token, the
// list, the lead fields, and each bulk import job, whose body it reads and
// discards, as the SOAP bench server does.
func restImportServer(b *testing.B) *httptest.Server {
	var batch atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/identity/oauth/token":
			_, _ = io.WriteString(w, `{"access_token":"bench-token:int","token_type":"bearer","expires_in":3599,"scope":"bench"}`)
		case "/rest/v1/lists.json":
			_, _ = io.WriteString(w, `{"requestId":"1","success":true,"result":[{"id":1045,"name":"Imported Leads","programName":"Trav-Demo-Program"}]}`)
		case "/rest/v1/leads/describe.json":
			_, _ = io.WriteString(w, `{"requestId":"2","success":true,"result":[`+
				`{"id":2,"displayName":"Email Address","rest":{"name":"email"}},{"id":3,"displayName":"First Name","rest":{"name":"firstName"}},`+
				`{"id":4,"displayName":"Last Name","rest":{"name":"lastName"}},{"id":5,"displayName":"Company Name","rest":{"name":"company"}}]}`)
		case "/bulk/v1/leads.json":
			id := strconv.FormatInt(3404+batch.Add(1), 10)
			_, _ = io.WriteString(w, `{"requestId":"3","success":true,"result":[{"batchId":`+id+`,"importId":"`+id+`","status":"Queued"}]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkImportToListREST is BenchmarkImportToList on the REST API: the
// rows are streamed into a multipart body (100,000 rows are one job of
// about 6 MB), after the list and the lead fields are looked up once and
// cached.
func BenchmarkImportToListREST(b *testing.B) {
	for _, rows := range []int{10_000, 100_000} {
		b.Run("rows="+strconv.Itoa(rows), func(b *testing.B) {
			srv := restImportServer(b)
			c, err := marketo.NewRESTClient(marketo.RESTConfig{Endpoint: srv.URL + "/rest", ClientID: "bench", ClientSecret: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			defer c.CloseIdleConnections()
			measureImport(b, c, rows, marketo.ImportProcessing)
		})
	}
}
