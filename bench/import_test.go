package bench

import (
	"context"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mktows/marketo"
)

const importSuccessXML = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successImportToList>
      <result>
        <importStatus>PROCESSING</importStatus>
      </result>
    </ns1:successImportToList>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`

// importParams is an import of n leads with four columns.
func importParams(n int) (marketo.ImportToListParams, int) {
	p := marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program",
		ListName:    "Imported Leads",
		Mode:        marketo.ImportModeUpsertLeads,
		Header:      []string{"Email Address", "First Name", "Last Name", "Company Name"},
		Rows:        make([][]string, n),
	}
	csvBytes := 0
	for i := range p.Rows {
		s := strconv.Itoa(i)
		p.Rows[i] = []string{"lead" + s + "@example.com", "First" + s, "Last" + s, "Company " + s + ", Inc."}
		for _, f := range p.Rows[i] {
			csvBytes += len(f) + 1
		}
	}
	return p, csvBytes
}

// heapObjects reads the bytes of heap objects, live or not yet collected,
// without stopping the world.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// BenchmarkImportToList sends ImportToList with 10,000 and 90,000 rows
// (about 0.6 and 5.5 MB of CSV; 90,000 rows of this shape are about as many
// as fit the SOAP endpoint's 8 MiB request, which the SDK checks before
// sending). Besides bytes/op it reports the peak of the
// heap during the call beyond what was in use before it (the caller's rows
// included there), sampled every 200 µs, as MB and as a multiple of the CSV
// size.
func BenchmarkImportToList(b *testing.B) {
	for _, rows := range []int{10_000, 90_000} {
		b.Run("rows="+strconv.Itoa(rows), func(b *testing.B) { benchmarkImportToList(b, rows) })
	}
}

func benchmarkImportToList(b *testing.B, rows int) {
	srv := newBenchServer(b, []byte(importSuccessXML))
	c, err := marketo.NewClient(marketo.Config{Endpoint: srv.endpoint(), UserID: userID, EncryptionKey: encryptionKey})
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseIdleConnections()
	measureImport(b, c, rows, marketo.ImportProcessing)
}

// measureImport runs ImportToList of rows leads on c b.N times and reports
// the peak heap beyond the caller's rows.
func measureImport(b *testing.B, c *marketo.Client, rows int, want marketo.ImportStatus) {
	runtime.GC()
	before := heapObjects()
	p, csvBytes := importParams(rows)
	runtime.GC()
	rowsHeap := heapObjects() - before

	var peakBeyond uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		runtime.GC()
		base := heapObjects()
		var peak atomic.Uint64
		done := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			t := time.NewTicker(200 * time.Microsecond)
			defer t.Stop()
			for {
				if h := heapObjects(); h > peak.Load() {
					peak.Store(h)
				}
				select {
				case <-done:
					return
				case <-t.C:
				}
			}
		}()
		b.StartTimer()
		res, err := c.ImportToList(context.Background(), p)
		b.StopTimer()
		close(done)
		<-sampled
		if err != nil {
			b.Fatal(err)
		}
		if res.Status != want {
			b.Fatalf("status %q", res.Status)
		}
		if h := peak.Load(); h > base && h-base > peakBeyond {
			peakBeyond = h - base
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(peakBeyond)/1e6, "peak-MB")
	b.ReportMetric(float64(peakBeyond)/float64(csvBytes), "peak/csv")
	b.ReportMetric(float64(csvBytes)/1e6, "csv-MB")
	b.ReportMetric(float64(rowsHeap)/1e6, "rows-MB")
	runtime.KeepAlive(p)
}
