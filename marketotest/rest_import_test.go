package marketotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// multipartImport writes a bulk import body with mime/multipart: the form
// fields (name, value pairs) and the file.
func multipartImport(t *testing.T, file string, fields ...string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		require.NoError(t, w.WriteField(fields[i], fields[i+1]))
	}
	if file != "" {
		fw, err := w.CreateFormFile("file", "leads.csv")
		require.NoError(t, err)
		_, err = fw.Write([]byte(file))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return b.String(), w.FormDataContentType()
}

func bulkPost(t *testing.T, srv *Server, token, file string, fields ...string) restResp {
	t.Helper()
	body, ct := multipartImport(t, file, fields...)
	return restDo(t, srv, http.MethodPost, "/bulk/v1/leads.json", body, "Authorization", "Bearer "+token, "Content-Type", ct)
}

type batchResult struct {
	BatchID              int    `json:"batchId"`
	ImportID             string `json:"importId"`
	Status               string `json:"status"`
	NumOfLeadsProcessed  *int   `json:"numOfLeadsProcessed"`
	NumOfRowsFailed      *int   `json:"numOfRowsFailed"`
	NumOfRowsWithWarning *int   `json:"numOfRowsWithWarning"`
	Message              string `json:"message"`
}

func batchOf(t *testing.T, r restResp) batchResult {
	t.Helper()
	requireRESTSuccess(t, r)
	var recs []batchResult
	require.NoError(t, json.Unmarshal(r.Result, &recs), r.Raw)
	require.Len(t, recs, 1)
	return recs[0]
}

// seedListID finds Trav-Test-List's REST ID.
func seedListID(t *testing.T, srv *Server, token string) int {
	t.Helper()
	r := restGet(t, srv, token, "/rest/v1/lists.json?name=Trav-Test-List&programName=Trav-Demo-Program")
	requireRESTSuccess(t, r)
	ids := resultIDs(t, r)
	require.Len(t, ids, 1)
	return ids[0]
}

func TestRESTListsAndDescribe(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	require.NoError(t, srv.AddList("Trav-Demo-Program", "Trav-Test-List 2"))
	tok := getToken(t, srv)
	r := restGet(t, srv, tok, "/rest/v1/lists.json?name=trav-test&programName=Trav-Demo-Program")
	requireRESTSuccess(t, r)
	var lists []restList
	require.NoError(t, json.Unmarshal(r.Result, &lists))
	require.Len(t, lists, 2, "name matches as a substring, ignoring case")
	assert.Equal(t, "Trav-Test-List", lists[0].Name)
	assert.Equal(t, "Trav-Demo-Program", lists[0].ProgramName)
	assert.Equal(t, lists[0].ID+1, lists[1].ID)
	r = restGet(t, srv, tok, "/rest/v1/lists.json?id="+strconv.Itoa(lists[1].ID))
	assert.Equal(t, []int{lists[1].ID}, resultIDs(t, r))

	r = restGet(t, srv, tok, "/rest/v1/leads/describe.json")
	requireRESTSuccess(t, r)
	var fields []restField
	require.NoError(t, json.Unmarshal(r.Result, &fields))
	byDisplay := map[string]string{}
	for _, f := range fields {
		byDisplay[f.DisplayName] = f.REST.Name
	}
	assert.Equal(t, "email", byDisplay["Email Address"])
	assert.Equal(t, "firstName", byDisplay["First Name"])
	assert.Equal(t, "id", byDisplay["Id"])
}

func TestRESTBulkImportRunsOnTheClock(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t, WithImportDuration(time.Minute))
	tok := getToken(t, srv)
	listID := seedListID(t, srv, tok)
	file := "email,firstName,lastName\nnew@example.com,New,\"Lead, Jr\"\njdoe@janeconsulting.com,Jane,Doe\n,No,Email\n"
	b := batchOf(t, bulkPost(t, srv, tok, file, "format", "csv", "listId", strconv.Itoa(listID)))
	assert.Equal(t, "Importing", b.Status, "a free slot starts the job at once")
	assert.Equal(t, strconv.Itoa(b.BatchID), b.ImportID)

	status := func() batchResult {
		return batchOf(t, restGet(t, srv, tok, fmt.Sprintf("/bulk/v1/leads/batch/%d.json", b.BatchID)))
	}
	st := status()
	assert.Equal(t, "Importing", st.Status)
	assert.Equal(t, 0, *st.NumOfLeadsProcessed)
	members, _ := srv.ListMembers("Trav-Demo-Program", "Trav-Test-List")
	assert.Len(t, members, 1, "nothing applied while importing")

	clock.Advance(time.Minute)
	st = status()
	assert.Equal(t, "Complete", st.Status)
	assert.Equal(t, 2, *st.NumOfLeadsProcessed)
	assert.Equal(t, 1, *st.NumOfRowsFailed)
	assert.Equal(t, 0, *st.NumOfRowsWithWarning)
	assert.Contains(t, st.Message, "1 failed records")
	members, _ = srv.ListMembers("Trav-Demo-Program", "Trav-Test-List")
	assert.Len(t, members, 2)
	var found bool
	for _, l := range srv.Leads() {
		if l.Email == "new@example.com" {
			found = true
			assert.Equal(t, "Lead, Jr", l.Fields["Last Name"])
		}
	}
	assert.True(t, found, "the new lead is in the tenant SOAP sees")

	r := restGet(t, srv, tok, fmt.Sprintf("/bulk/v1/leads/batch/%d/failures.json", b.BatchID))
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, "text/csv;charset=UTF-8", r.ContentType)
	assert.Equal(t, "email,firstName,lastName,Import Failure Reason\n,No,Email,Value for lookup field 'email' not found\n", r.Raw)
	r = restGet(t, srv, tok, fmt.Sprintf("/bulk/v1/leads/batch/%d/warnings.json", b.BatchID))
	assert.Equal(t, "email,firstName,lastName,Import Warning Reason\n", r.Raw)

	clock.Advance(BatchLifetime - 2*time.Minute)
	tok = getToken(t, srv)
	assert.Equal(t, "Complete", status().Status, "a batch ID is followed for 7 days")
	clock.Advance(time.Minute)
	requireRESTError(t, restGet(t, srv, tok, fmt.Sprintf("/bulk/v1/leads/batch/%d.json", b.BatchID)), "1013")
}

func TestRESTBulkImportWarnsOnLongValues(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t)
	tok := getToken(t, srv)
	long := strings.Repeat("x", MaxFieldLength+1)
	b := batchOf(t, bulkPost(t, srv, tok, "email,lastName\nlong@example.com,"+long+"\n", "format", "csv"))
	clock.Advance(time.Minute)
	st := batchOf(t, restGet(t, srv, tok, fmt.Sprintf("/bulk/v1/leads/batch/%d.json", b.BatchID)))
	assert.Equal(t, 1, *st.NumOfRowsWithWarning)
	r := restGet(t, srv, tok, fmt.Sprintf("/bulk/v1/leads/batch/%d/warnings.json", b.BatchID))
	assert.Contains(t, r.Raw, "truncated to 255 characters")
}

func TestRESTBulkImportQueueLimits(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t)
	tok := getToken(t, srv)
	listID := seedListID(t, srv, tok)
	first := batchOf(t, bulkPost(t, srv, tok, "email\na@example.com\n", "format", "csv", "listId", strconv.Itoa(listID)))
	requireRESTError(t, bulkPost(t, srv, tok, "email\nb@example.com\n", "format", "csv", "listId", strconv.Itoa(listID)), "1019")

	statuses := []string{first.Status}
	for i := range MaxBulkQueued - 1 {
		b := batchOf(t, bulkPost(t, srv, tok, fmt.Sprintf("email\nq%d@example.com\n", i), "format", "csv"))
		statuses = append(statuses, b.Status)
	}
	assert.Equal(t, []string{"Importing", "Importing", "Queued", "Queued"}, statuses[:4], "two run at once")
	requireRESTError(t, bulkPost(t, srv, tok, "email\nz@example.com\n", "format", "csv"), "1016")

	clock.Advance(time.Minute)
	b := batchOf(t, bulkPost(t, srv, tok, "email\nb@example.com\n", "format", "csv", "listId", strconv.Itoa(listID)))
	assert.Equal(t, "Queued", b.Status, "the list is free once its job is done; the queue has room again")
	jobs := srv.BulkImports()
	assert.Equal(t, "Complete", jobs[0].Status)
	assert.Equal(t, "Importing", jobs[2].Status)
}

func TestRESTBulkImportRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	requireRESTError(t, bulkPost(t, srv, tok, "email\na@example.com\n", "format", "xls"), "1003")
	requireRESTError(t, bulkPost(t, srv, tok, "", "format", "csv"), "701")
	requireRESTError(t, bulkPost(t, srv, tok, "email,shoeSize\na@example.com,9\n", "format", "csv"), "1006")
	requireRESTError(t, bulkPost(t, srv, tok, "firstName\nAnn\n", "format", "csv"), "1003")
	requireRESTError(t, bulkPost(t, srv, tok, "email\na@example.com\n", "format", "csv", "listId", "999999"), "1013")
	r := restDo(t, srv, http.MethodPost, "/bulk/v1/leads.json", `{"a":1}`, "Authorization", "Bearer "+tok, "Content-Type", "application/json")
	requireRESTError(t, r, "612")
	r = restDo(t, srv, http.MethodPost, "/bulk/v1/leads.json", "--x\r\nbroken", "Authorization", "Bearer "+tok, "Content-Type", "multipart/form-data; boundary=x")
	requireRESTError(t, r, "613")

	big := "email\n" + strings.Repeat("someone@example.com\n", MaxBulkBody/20)
	r = bulkPost(t, srv, tok, big, "format", "csv")
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.Status)
	assert.Empty(t, srv.BulkImports())
}

func TestRESTAddToList(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	listID := seedListID(t, srv, tok)
	lead, err := srv.AddLead(Lead{Email: "add@example.com"})
	require.NoError(t, err)
	r := restPost(t, srv, tok, fmt.Sprintf("/rest/v1/lists/%d/leads.json", listID), fmt.Sprintf(`{"input":[{"id":%d},{"id":99999}]}`, lead.ID))
	requireRESTSuccess(t, r)
	assert.JSONEq(t, fmt.Sprintf(`[{"id":%d,"status":"added"},{"id":99999,"status":"skipped","reasons":[{"code":"1004","message":"Lead not found"}]}]`, lead.ID), string(r.Result))
	members, _ := srv.ListMembers("Trav-Demo-Program", "Trav-Test-List")
	assert.Contains(t, members, lead.ID)
	requireRESTError(t, restPost(t, srv, tok, "/rest/v1/lists/999999/leads.json", `{"input":[{"id":1}]}`), "1013")
}
