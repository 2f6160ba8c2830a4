package restwire

import (
	"bytes"
	"encoding/json"
	"sync"
	"time"

	"github.com/mktows/marketo/internal/wiretime"
)

// REST request bodies. They are the wire's own, so the wire can change
// without touching the SDK's public types.

// ScheduleRequest is the body of POST /rest/v1/campaigns/{id}/schedule.json:
// {"input":{"runAt":"2026-12-01T18:05:00+0000","cloneToProgramName":"…","tokens":[…]}}.
type ScheduleRequest struct {
	Input ScheduleInput `json:"input"`
}

type ScheduleInput struct {
	RunAt              string  `json:"runAt,omitempty"` // see FormatRunAt
	CloneToProgramName string  `json:"cloneToProgramName,omitempty"`
	Tokens             []Token `json:"tokens,omitempty"`
}

// TriggerRequest is the body of POST /rest/v1/campaigns/{id}/trigger.json:
// {"input":{"leads":[{"id":318592}],"tokens":[…]}}.
type TriggerRequest struct {
	Input TriggerInput `json:"input"`
}

type TriggerInput struct {
	Leads  []ID    `json:"leads"`
	Tokens []Token `json:"tokens,omitempty"`
}

// ListLeadsRequest is the body of POST /rest/v1/lists/{id}/leads.json,
// which adds leads to a static list: {"input":[{"id":318592}]}.
type ListLeadsRequest struct {
	Input []ID `json:"input"`
}

// IDs returns ids as records named by their ID.
func IDs(ids []int) []ID {
	out := make([]ID, len(ids))
	for i, id := range ids {
		out[i] = ID{ID: id}
	}
	return out
}

// ID is a record named by its ID, in requests and in the results of
// schedule.json and trigger.json.
type ID struct {
	ID int `json:"id"`
}

// Token is one My Token override: {"name":"{{my.message}}","value":"…"}.
type Token struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// runAtLayout is runAt as Adobe's example writes it,
// "2026-12-01T18:05:00+0000": whole seconds and a numeric offset.
const runAtLayout = "2006-01-02T15:04:05-0700"

// FormatRunAt writes t as runAt, to the second (REST's runAt carries no
// fractions), in an offset the wire can write (wiretime.WritableOffset).
func FormatRunAt(t time.Time) string {
	return wiretime.WritableOffset(t).Format(runAtLayout)
}

// Encode writes v as compact JSON with <, > and & as themselves, so that
// token values read in the wire trace as they were given.
func Encode(v any) ([]byte, error) {
	e, _ := jsonEncoders.Get().(*jsonEncoder)
	if e == nil {
		e = &jsonEncoder{}
		e.enc = json.NewEncoder(&e.buf)
		e.enc.SetEscapeHTML(false)
	}
	defer jsonEncoders.Put(e)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.Clone(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))), nil
}

// jsonEncoder is an Encoder with its buffer, reused across calls.
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonEncoders sync.Pool // *jsonEncoder
