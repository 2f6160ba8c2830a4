package marketo

import (
	"errors"
	"testing"

	"github.com/mktows/marketo/internal/restwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeRESTAnswerSuccess(t *testing.T) {
	t.Parallel()
	body := `{"requestId":"52b#161d90e1743","result":[{"id":3713}],"success":true,"nextPageToken":"ABC","moreResult":true,
		"warnings":[{"code":"1003","message":"lead ignored"},"No assets found for the given search criteria."]}`
	var out []struct {
		ID int `json:"id"`
	}
	env, err := decodeRESTAnswer(200, "application/json;charset=UTF-8", []byte(body), &out)
	require.NoError(t, err)
	assert.Equal(t, "52b#161d90e1743", env.RequestID)
	assert.Equal(t, "ABC", env.NextPageToken)
	assert.True(t, env.MoreResult)
	require.Len(t, out, 1)
	assert.Equal(t, 3713, out[0].ID)
	assert.Equal(t, []restwire.Reason{
		{Code: 1003, Message: "lead ignored"},
		{Message: "No assets found for the given search criteria."},
	}, env.Warnings)
}

func TestDecodeRESTAnswerErrorCodes(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"quoted code": `{"requestId":"1","success":false,"errors":[{"code":"601","message":"Access token invalid"}]}`,
		"number code": `{"requestId":"1","success":false,"errors":[{"code":601,"message":"Access token invalid"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeRESTAnswer(200, "application/json", []byte(body), nil)
			var f *Fault
			require.ErrorAs(t, err, &f)
			assert.Equal(t, Code(601), f.Code)
			assert.Equal(t, "Access token invalid", f.Message)
			assert.Equal(t, 200, f.HTTPStatus)
		})
	}
}

func TestDecodeRESTAnswerKeepsEveryError(t *testing.T) {
	t.Parallel()
	body := `{"success":false,"errors":[{"code":"1003","message":"Trigger campaign expected"},{"code":"1004","message":"Lead not found"}]}`
	_, err := decodeRESTAnswer(200, "application/json", []byte(body), nil)
	var f *Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, Code(1003), f.Code)
	assert.Contains(t, f.Message, "Trigger campaign expected")
	assert.Contains(t, f.Message, "1004: Lead not found")
}

func TestDecodeRESTAnswerRefusesWhatIsNotAnEnvelope(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ct, body, reason string
		status                 int
	}{
		{"HTML 502", "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", "not a JSON object", 502},
		{"empty", "application/json", "", "empty", 200},
		{"truncated", "application/json", `{"requestId":"1","success":true,"result":[{"id":37`, "truncated", 200},
		{"malformed", "application/json", `{"requestId":"1","success":tru}`, "malformed", 200},
		{"trailing data", "application/json", `{"success":true}{"success":true}`, "after the JSON object", 200},
		{"no success", "application/json", `{"requestId":"1","result":[]}`, `no "success"`, 200},
		{"failure without errors", "application/json", `{"success":false}`, "no errors", 200},
		{"bad code", "application/json", `{"success":false,"errors":[{"code":"six","message":"x"}]}`, "malformed", 200},
		{"result of another shape", "application/json", `{"success":true,"result":{"id":1}}`, "expected shape", 200},
		{"success with 500", "application/json", `{"success":true,"result":[]}`, "non-2xx", 500},
		{"success false then true", "application/json", `{"success":false,"errors":[{"code":"1013","message":"x"}],"success":true}`, `gives "success" more than once`, 200},
		{"two results", "application/json", `{"success":true,"result":[{"id":1}],"result":[{"id":2}]}`, `gives "result" more than once`, 200},
		{"two error lists", "application/json", `{"errors":[],"success":false,"errors":[{"code":"606","message":"x"}]}`, `gives "errors" more than once`, 200},
		{"two page tokens", "application/json", `{"success":true,"result":[],"nextPageToken":"a","nextPageToken":"b"}`, `gives "nextPageToken" more than once`, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out []struct {
				ID int `json:"id"`
			}
			_, err := decodeRESTAnswer(tc.status, tc.ct, []byte(tc.body), &out)
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, re.Reason, tc.reason)
			assert.Equal(t, tc.status, re.HTTPStatus)
			var f *Fault
			assert.False(t, errors.As(err, &f), "not a fault")
		})
	}
}
