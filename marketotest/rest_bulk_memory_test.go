package marketotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// bulkMemoryBody is the size of the import the memory benchmark sends:
// 9.5 MB, just under MaxBulkBody.
const bulkMemoryBody = 9_500_000

// bulkImportBody writes a multipart bulk import of about size bytes: a
// header and rows of four fields, as a CRM export looks.
func bulkImportBody(tb testing.TB, size int) ([]byte, string) {
	tb.Helper()
	var csv bytes.Buffer
	csv.WriteString("email,firstName,lastName,company\n")
	for i := 0; csv.Len() < size-200; i++ {
		fmt.Fprintf(&csv, "lead%07d@example.com,First%07d,Last%07d,Company %07d\n", i, i, i, i)
	}
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if err := w.WriteField("format", "csv"); err != nil {
		tb.Fatal(err)
	}
	fw, err := w.CreateFormFile("file", "leads.csv")
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = fw.Write(csv.Bytes())
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

// bulkBench posts bulk imports to a fake's handler, in-process: what is
// allocated is the fake's work, not a connection's.
type bulkBench struct {
	body        []byte
	contentType string
	h           http.Handler
	token       string
	posted      int
}

// fresh starts a new fake, so that the queue never holds MaxBulkQueued jobs
// (1016) and no earlier job is applied during a measured call.
func (bb *bulkBench) fresh(tb testing.TB) {
	srv := NewUnstartedServer(WithRESTCredentials(testClientID, testClientSecret), WithClock(NewManualClock(t0).Now))
	bb.h, bb.posted = srv.Handler(), 0
	q := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testClientSecret}}
	rec := httptest.NewRecorder()
	bb.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/identity/oauth/token?"+q.Encode(), nil))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		tb.Fatalf("no token: %v %s", err, rec.Body)
	}
	bb.token = tok.AccessToken
}

// run posts b.N imports and fails on any answer but a batch.
func (bb *bulkBench) run(b *testing.B) {
	b.SetBytes(int64(len(bb.body)))
	b.ReportAllocs()
	b.ResetTimer() // the body written by the caller is not the fake's
	for range b.N {
		if bb.h == nil || bb.posted == MaxBulkQueued-1 {
			b.StopTimer()
			bb.fresh(b)
			b.StartTimer()
		}
		req := httptest.NewRequest(http.MethodPost, "/bulk/v1/leads.json", bytes.NewReader(bb.body))
		req.Header.Set("Content-Type", bb.contentType)
		req.Header.Set("Authorization", "Bearer "+bb.token)
		rec := httptest.NewRecorder()
		bb.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"success":true`) {
			b.Fatalf("import refused: %d %s", rec.Code, rec.Body)
		}
		bb.posted++
	}
}

// BenchmarkRESTBulkImportMemory measures what one 9.5 MB bulk import
// allocates in the fake (B/op); body-multiple is that over the body's size.
func BenchmarkRESTBulkImportMemory(b *testing.B) {
	body, ct := bulkImportBody(b, bulkMemoryBody)
	bb := &bulkBench{body: body, contentType: ct}
	bb.run(b)
}

// A bulk import costs at most twice its body in allocations: the body is
// parsed as it arrives and the file kept once. Not parallel: allocation
// counts are the process's, and other tests would add theirs.
func TestRESTBulkImportMemoryIsBounded(t *testing.T) { //nolint:paralleltest // measures the process's allocations
	body, ct := bulkImportBody(t, bulkMemoryBody)
	bb := &bulkBench{body: body, contentType: ct}
	res := testing.Benchmark(bb.run)
	if res.N == 0 {
		t.Fatal("the benchmark did not run")
	}
	perOp := res.AllocedBytesPerOp()
	t.Logf("%d bytes allocated per %d-byte import (%.2f×)", perOp, len(body), float64(perOp)/float64(len(body)))
	if limit := 2 * int64(len(body)); perOp > limit {
		t.Fatalf("a %d-byte import allocated %d bytes, more than %d", len(body), perOp, limit)
	}
}
