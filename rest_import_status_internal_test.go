package marketo

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRESTImportStatusMapping(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		json string
		want ImportToListStatus
	}{
		{`{"batchId":3404,"importId":"3404","status":"Queued"}`,
			ImportToListStatus{Status: ImportProcessing, RawStatus: "Queued", ImportID: "3404"}},
		{`{"batchId":3404,"status":"Importing","numOfLeadsProcessed":120,"numOfRowsFailed":1,"numOfRowsWithWarning":0,"message":"Import in progress"}`,
			ImportToListStatus{Status: ImportProcessing, RawStatus: "Importing", ImportID: "3404", RowsImported: intPtr(120), RowsFailed: intPtr(1), RowsWithWarning: intPtr(0), ImportSummary: "Import in progress"}},
		{`{"batchId":3404,"status":"Complete","numOfLeadsProcessed":3,"numOfRowsFailed":0,"numOfRowsWithWarning":2,"message":"Import completed with warnings"}`,
			ImportToListStatus{Status: ImportComplete, RawStatus: "Complete", ImportID: "3404", RowsImported: intPtr(3), RowsFailed: intPtr(0), RowsWithWarning: intPtr(2), ImportSummary: "Import completed with warnings"}},
		{`{"batchId":3405,"status":"Failed","numOfLeadsProcessed":0,"numOfRowsFailed":0,"numOfRowsWithWarning":0,"message":"Empty file"}`,
			ImportToListStatus{Status: ImportFailed, RawStatus: "Failed", ImportID: "3405", RowsImported: intPtr(0), RowsFailed: intPtr(0), RowsWithWarning: intPtr(0), ImportSummary: "Empty file"}},
		{`{"batchId":3406,"status":"Paused"}`,
			ImportToListStatus{Status: "Paused", RawStatus: "Paused", ImportID: "3406"}},
	} {
		var b restImportBatch
		require.NoError(t, json.Unmarshal([]byte(tc.json), &b))
		require.NoError(t, b.check())
		assert.Equal(t, &tc.want, b.status(), tc.json)
	}
}

func TestRESTImportStatusRefusesBadRecords(t *testing.T) {
	t.Parallel()
	for _, s := range []string{`{"status":"Queued"}`, `{"batchId":0,"status":"Queued"}`, `{"batchId":-3,"status":"Queued"}`, `{"batchId":3.5,"status":"Queued"}`, `{"batchId":3404}`} {
		var b restImportBatch
		require.NoError(t, json.Unmarshal([]byte(s), &b))
		var re *ResponseError
		assert.ErrorAs(t, b.check(), &re, s)
	}
}

func intPtr(n int) *int { return &n }
