package marketotest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mktows/marketo"
)

// Bulk lead import on REST: POST /bulk/v1/leads.json with a multipart CSV,
// jobs queued and run on the fake's clock, their status, failures and
// warnings. A job applies its rows to the same tenant SOAP's importToList
// does: leads upserted by email, added to the list.

// BulkPath is where Marketo's bulk API lives: beside /rest, not under it.
const BulkPath = "/bulk"

// The bulk import limits.
const (
	// MaxBulkBody is the largest bulk import request body, 10 MB (decimal:
	// the stricter reading of Adobe's "10MB"); a bigger one is HTTP 413.
	MaxBulkBody = 10_000_000
	// MaxBulkImporting jobs run at once; the others wait in the queue.
	MaxBulkImporting = 2
	// MaxBulkQueued jobs, running ones included, may be queued (more: 1016).
	MaxBulkQueued = 10
	// BatchLifetime is how long a batch ID can be followed (later: 1013).
	BatchLifetime = 7 * 24 * time.Hour
	// MaxFieldLength is the length of a string lead field: a longer value is
	// truncated, with a warning.
	MaxFieldLength = 255
)

// The REST codes of bulk import.
const (
	restInvalidMultipart marketo.Code = 613
	restTooManyImports   marketo.Code = 1016
	restImportInProgress marketo.Code = 1019
)

// BulkImport is a snapshot of one bulk import job.
type BulkImport struct {
	BatchID  int
	Program  string // of the list; "" without listId or for a list in a folder
	Folder   string // of a list in a folder
	List     string
	Columns  []string // the file's header, REST field names
	Status   string   // Queued, Importing, Complete or Failed
	Queued   time.Time
	Started  time.Time // zero while Queued
	Ended    time.Time // zero until Complete or Failed
	Rows     int
	Imported int
	Failed   int
	Warned   int
}

type bulkJob struct {
	BulkImport
	list     *list
	file     []byte // the CSV as sent; its rows are read when the job is applied
	rowsAt   int    // where the rows start in file, after the header
	delim    rune
	failures [][]string // a row's values and the reason
	warnings [][]string
	message  string
}

// bulkDelimiters are the file formats and their delimiters.
var bulkDelimiters = map[string]rune{"csv": ',', "tsv": '\t', "ssv": ';'}

// restBulkImport answers POST /bulk/v1/leads.json: format (csv, tsv or
// ssv) and file are required, listId optional, lookupField must be email
// (the default). The header holds REST field names the tenant knows
// (1006), email among them (1003). The job is refused with 1016 when ten
// are queued and with 1019 while another job for the same list is queued
// or running.
func (s *Server) restBulkImport(c *restCall) restAnswer {
	delim, ok := bulkDelimiters[strings.ToLower(c.params.Get("format"))]
	if !ok {
		return failed(faultf(restInvalidData, "format must be csv, tsv or ssv"))
	}
	if lf := c.params.Get("lookupField"); lf != "" && lf != "email" {
		return failed(faultf(restInvalidData, "lookupField %s is not supported by the fake: use email", lf))
	}
	if c.file == nil {
		return failed(faultf(restBlank, "file cannot be blank"))
	}
	job := &bulkJob{BulkImport: BulkImport{Status: "Queued", Queued: c.now}}
	if v := c.params.Get("listId"); v != "" {
		id, err := strconv.Atoi(v)
		ref, found := s.listByID(id)
		if err != nil || !found {
			return failed((&domainErr{kind: errListIDNotFound, listID: v}).rest())
		}
		job.list, job.Program, job.List = ref.l, ref.prog.programName(), ref.l.name
		if ref.prog.folder {
			job.Folder = ref.prog.name
		}
	}
	header, shape, ok := readBulkHeader(c.file, delim)
	if !ok {
		return failed(faultf(restInvalidData, "The file is not %s with a header", c.params.Get("format")))
	}
	if f := s.checkBulkHeader(header); f != nil {
		return failed(f)
	}
	job.Columns, job.Rows = header, shape.records-1
	job.file, job.rowsAt, job.delim = c.file, shape.headerEnd, delim
	queued := 0
	for _, j := range s.rest.bulk {
		if j.Status != "Queued" && j.Status != "Importing" {
			continue
		}
		queued++
		if job.list != nil && j.list == job.list {
			return failed((&domainErr{kind: errImportInProgress, listID: strconv.Itoa(s.listID(job.list)), list: job.List, program: job.Program, batch: j.BatchID}).rest())
		}
	}
	if queued >= MaxBulkQueued {
		return failed((&domainErr{kind: errTooManyImports, n: queued}).rest())
	}
	job.BatchID = s.rest.nextBatch()
	s.rest.bulk = append(s.rest.bulk, job)
	s.settleBulk(c.now)
	return restAnswer{result: []batchRecord{job.record()}}
}

// readBulkHeader checks the whole file as CSV without keeping its rows
// (scanCSV) and reads its header.
func readBulkHeader(file []byte, delim rune) ([]string, csvShape, bool) {
	shape, ok := scanCSV(file, byte(delim))
	if !ok || shape.records == 0 {
		return nil, shape, false
	}
	r := csv.NewReader(bytes.NewReader(file[:shape.headerEnd]))
	r.Comma = delim
	header, err := r.Read()
	return header, shape, err == nil
}

// bulkRows reads the job's rows, one at a time, as encoding/csv reads them.
func (j *bulkJob) bulkRows(yield func([]string) bool) {
	r := csv.NewReader(bytes.NewReader(j.file[j.rowsAt:]))
	r.Comma, r.FieldsPerRecord = j.delim, -1
	for {
		row, err := r.Read()
		if err != nil || !yield(row) { // the file was checked when submitted: err is its end
			return
		}
	}
}

func (s *Server) checkBulkHeader(header []string) *Fault {
	known := map[string]bool{}
	for f := range s.t.fields {
		known[RESTFieldName(f)] = true
	}
	for i, col := range header {
		if !known[col] {
			return faultf(restFieldNotFound, "Field '%s' not found", col)
		}
		if slices.Contains(header[:i], col) {
			return faultf(restInvalidData, "Field '%s' appears twice in the header", col)
		}
	}
	if !slices.Contains(header, "email") {
		return faultf(restInvalidData, "The header has no lookup field email")
	}
	return nil
}

func (a *restAPI) nextBatch() int {
	a.batches++
	return 3403 + a.batches
}

// settleBulk runs the queue up to now: in order, a queued job starts when
// one of MaxBulkImporting slots is free, and completes the import duration
// later, when its rows are applied.
func (s *Server) settleBulk(now time.Time) {
	for _, j := range s.rest.bulk {
		if j.Status == "Queued" {
			slot := 0
			for i, free := range s.rest.slots {
				if free.Before(s.rest.slots[slot]) {
					slot = i
				}
			}
			start := j.Queued
			if free := s.rest.slots[slot]; free.After(start) {
				start = free
			}
			if start.After(now) {
				break // the queue is first in, first out
			}
			j.Status, j.Started = "Importing", start
			s.rest.slots[slot] = start.Add(s.importDuration)
		}
	}
	for _, j := range s.rest.bulk {
		if end := j.Started.Add(s.importDuration); j.Status == "Importing" && !now.Before(end) {
			s.applyBulk(j)
			j.Ended = end
		}
	}
}

// applyBulk upserts each row's lead by email and adds it to the job's list.
// A row without an email fails; a value longer than MaxFieldLength is
// truncated with a warning. A file without rows fails the job.
func (s *Server) applyBulk(j *bulkJob) {
	if j.Rows == 0 {
		j.Status, j.message = "Failed", "Import failed: the file has no rows"
		return
	}
	display := map[string]string{}
	for f := range s.t.fields {
		display[RESTFieldName(f)] = f
	}
	emailCol := slices.Index(j.Columns, "email")
	defer func() { j.file = nil }() // applied: the rows are no longer needed
	for row := range j.bulkRows {
		if len(row) != len(j.Columns) {
			j.fail(row, fmt.Sprintf("Row has %d fields, the header %d", len(row), len(j.Columns)))
			continue
		}
		email := strings.TrimSpace(row[emailCol])
		if email == "" {
			j.fail(row, "Value for lookup field 'email' not found")
			continue
		}
		lead := s.t.leadByEmail(email)
		if lead == nil {
			added, err := s.t.addLead(Lead{Email: email})
			if err != nil {
				j.fail(row, err.Error())
				continue
			}
			lead = s.t.leadByID(added.ID)
		}
		var truncated []string
		for i, col := range j.Columns {
			v := row[i]
			if len(v) > MaxFieldLength {
				v = v[:MaxFieldLength]
				truncated = append(truncated, col)
			}
			if col != "email" {
				lead.Fields[display[col]] = v
			}
		}
		if len(truncated) > 0 {
			j.warnings = append(j.warnings, append(slices.Clone(row), fmt.Sprintf("Value for field '%s' truncated to %d characters", strings.Join(truncated, "', '"), MaxFieldLength)))
			j.Warned++
		}
		if j.list != nil && !slices.Contains(j.list.members, lead.ID) {
			j.list.members = append(j.list.members, lead.ID)
		}
		j.Imported++
	}
	j.Status = "Complete"
	switch {
	case j.Failed > 0:
		j.message = fmt.Sprintf("Import completed with errors, %d records imported (%d members), %d failed records", j.Imported, j.Imported, j.Failed)
	case j.Warned > 0:
		j.message = fmt.Sprintf("Import completed with warnings, %d records imported (%d members), %d records with warnings", j.Imported, j.Imported, j.Warned)
	default:
		j.message = fmt.Sprintf("Import succeeded, %d records imported (%d members)", j.Imported, j.Imported)
	}
}

func (j *bulkJob) fail(row []string, reason string) {
	j.failures = append(j.failures, append(slices.Clone(row), reason))
	j.Failed++
}

// batchRecord is the record of a bulk import and of its status.
type batchRecord struct {
	BatchID              int    `json:"batchId"`
	ImportID             string `json:"importId"`
	Status               string `json:"status"`
	NumOfLeadsProcessed  *int   `json:"numOfLeadsProcessed,omitempty"`
	NumOfRowsFailed      *int   `json:"numOfRowsFailed,omitempty"`
	NumOfRowsWithWarning *int   `json:"numOfRowsWithWarning,omitempty"`
	Message              string `json:"message,omitempty"`
}

// record is the job as the import call answers it.
func (j *bulkJob) record() batchRecord {
	return batchRecord{BatchID: j.BatchID, ImportID: strconv.Itoa(j.BatchID), Status: j.Status}
}

// statusRecord is the job as the status call answers it: counts so far
// (rows are applied at the end) and a message.
func (j *bulkJob) statusRecord() batchRecord {
	r := j.record()
	imported, failedRows, warned := j.Imported, j.Failed, j.Warned
	r.NumOfLeadsProcessed, r.NumOfRowsFailed, r.NumOfRowsWithWarning = &imported, &failedRows, &warned
	switch j.Status {
	case "Queued":
		r.Message = "Queued for processing"
	case "Importing":
		r.Message = "Import in progress"
	default:
		r.Message = j.message
	}
	return r
}

// bulkJobByID finds a job by the batch ID in the path: 1013 when unknown
// or older than BatchLifetime.
func (s *Server) bulkJobByID(c *restCall) (*bulkJob, *Fault) {
	for _, j := range s.rest.bulk {
		if j.BatchID == c.id && c.now.Before(j.Queued.Add(BatchLifetime)) {
			return j, nil
		}
	}
	return nil, (&domainErr{kind: errBatchNotFound, batch: c.id}).rest()
}

// restBulkStatus answers GET /bulk/v1/leads/batch/{id}.json.
func (s *Server) restBulkStatus(c *restCall) restAnswer {
	j, f := s.bulkJobByID(c)
	if f != nil {
		return failed(f)
	}
	return restAnswer{result: []batchRecord{j.statusRecord()}}
}

// restBulkFailures answers GET /bulk/v1/leads/batch/{id}/failures.json: the
// failed rows as CSV, after the header and an "Import Failure Reason"
// column; no rows until the job has ended.
func (s *Server) restBulkFailures(c *restCall) restAnswer {
	return s.bulkFile(c, "Import Failure Reason", func(j *bulkJob) [][]string { return j.failures })
}

// restBulkWarnings answers .../warnings.json like failures.json.
func (s *Server) restBulkWarnings(c *restCall) restAnswer {
	return s.bulkFile(c, "Import Warning Reason", func(j *bulkJob) [][]string { return j.warnings })
}

func (s *Server) bulkFile(c *restCall, reason string, rows func(*bulkJob) [][]string) restAnswer {
	j, f := s.bulkJobByID(c)
	if f != nil {
		return failed(f)
	}
	return restAnswer{file: newCSVAnswer(append(slices.Clone(j.Columns), reason), rows(j))}
}

// BulkImports returns the bulk import jobs submitted so far, settled to now.
func (s *Server) BulkImports() []BulkImport {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(s.clock())
	out := make([]BulkImport, 0, len(s.rest.bulk))
	for _, j := range s.rest.bulk {
		c := j.BulkImport
		c.Columns = slices.Clone(j.Columns)
		out = append(out, c)
	}
	return out
}
