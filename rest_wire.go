package marketo

import (
	"bytes"
	"encoding/json"
	"sync"
	"time"

	"github.com/mktows/marketo/internal/wiretime"
)

// REST request bodies. Like the SOAP wire structs they are unexported, so
// the wire can change without touching the public types.

// restScheduleRequest is the body of POST /rest/v1/campaigns/{id}/schedule.json:
// {"input":{"runAt":"2026-12-01T18:05:00+0000","cloneToProgramName":"…","tokens":[…]}}.
type restScheduleRequest struct {
	Input restScheduleInput `json:"input"`
}

type restScheduleInput struct {
	RunAt              string      `json:"runAt,omitempty"`
	CloneToProgramName string      `json:"cloneToProgramName,omitempty"`
	Tokens             []restToken `json:"tokens,omitempty"`
}

// restTriggerRequest is the body of POST /rest/v1/campaigns/{id}/trigger.json:
// {"input":{"leads":[{"id":318592}],"tokens":[…]}}.
type restTriggerRequest struct {
	Input restTriggerInput `json:"input"`
}

type restTriggerInput struct {
	Leads  []restID    `json:"leads"`
	Tokens []restToken `json:"tokens,omitempty"`
}

// restID is a record named by its ID, in requests and in the results of
// schedule.json and trigger.json.
type restID struct {
	ID int `json:"id"`
}

// restToken is one My Token override: {"name":"{{my.message}}","value":"…"}.
type restToken struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func restTokens(tokens []Token) []restToken {
	if len(tokens) == 0 {
		return nil
	}
	out := make([]restToken, len(tokens))
	for i, t := range tokens {
		out[i] = restToken(t)
	}
	return out
}

// restRunAtLayout is runAt as Adobe's example writes it,
// "2026-12-01T18:05:00+0000": whole seconds and a numeric offset.
const restRunAtLayout = "2006-01-02T15:04:05-0700"

// formatRESTRunAt writes t in its own offset (see wiretime.WritableOffset), to the
// second (REST's runAt carries no fractions).
func formatRESTRunAt(t time.Time) string {
	return wiretime.WritableOffset(t).Format(restRunAtLayout)
}

// encodeJSON writes v as compact JSON with <, > and & as themselves, so
// that token values read in the wire trace as they were given.
func encodeJSON(v any) ([]byte, error) {
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
