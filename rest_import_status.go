package marketo

import (
	"encoding/json"
	"strconv"
)

// restImportBatch is the record Marketo answers a bulk import with, and
// GET /bulk/v1/leads/batch/{batchId}.json's:
// {"batchId":3404,"importId":"3404","status":"Importing","numOfLeadsProcessed":120,
// "numOfRowsFailed":1,"numOfRowsWithWarning":0,"message":"Import in progress"}.
type restImportBatch struct {
	BatchID              json.Number `json:"batchId"`
	ImportID             string      `json:"importId"`
	Status               string      `json:"status"`
	NumOfLeadsProcessed  *int        `json:"numOfLeadsProcessed"`
	NumOfRowsFailed      *int        `json:"numOfRowsFailed"`
	NumOfRowsWithWarning *int        `json:"numOfRowsWithWarning"`
	Message              string      `json:"message"`

	meta ResultMetadata // what the answer that carried the record said
}

// REST's bulk import states.
const (
	restImportQueued    = "Queued"
	restImportImporting = "Importing"
	restImportComplete  = "Complete"
	restImportFailed    = "Failed"
)

// restImportStatus maps a REST import state to the SDK's: Queued and
// Importing are both still running. Any other state is passed on as
// received, so that WaitForImport refuses to guess whether it has ended.
func restImportStatus(s string) ImportStatus {
	switch s {
	case restImportQueued, restImportImporting:
		return ImportProcessing
	case restImportComplete:
		return ImportComplete
	case restImportFailed:
		return ImportFailed
	}
	return ImportStatus(s)
}

// id returns the batch ID as the SDK's import ID (decimal digits), or ""
// when it is missing or not a positive integer.
func (b *restImportBatch) id() string {
	n, err := strconv.ParseInt(b.BatchID.String(), 10, 64)
	if err != nil || n <= 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// check returns an error for a record that breaks the shape the status
// needs: a batch ID and a status.
func (b *restImportBatch) check() error {
	if b.id() == "" {
		return badRESTAnswer("result[0].batchId is missing or not a positive integer")
	}
	if b.Status == "" {
		return badRESTAnswer("result[0].status is missing")
	}
	return nil
}

// status returns the batch's state as an ImportToListStatus.
func (b *restImportBatch) status() *ImportToListStatus {
	return &ImportToListStatus{
		Status:          restImportStatus(b.Status),
		RawStatus:       b.Status,
		ImportID:        b.id(),
		RowsImported:    b.NumOfLeadsProcessed,
		RowsFailed:      b.NumOfRowsFailed,
		RowsWithWarning: b.NumOfRowsWithWarning,
		ImportSummary:   b.Message,
		Metadata:        b.meta,
	}
}

// badRESTAnswer is the error for a well-formed REST success answer whose
// content is not what the API promises.
func badRESTAnswer(reason string) error {
	return &ResponseError{HTTPStatus: 200, ContentType: "application/json", Reason: reason}
}
