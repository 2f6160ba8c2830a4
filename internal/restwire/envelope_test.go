package restwire

import (
	"errors"
	"testing"

	"github.com/mktows/marketo/internal/strictjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exact returns s as bytes whose capacity is their length, so that a read
// past the end of the answer fails instead of finding spare capacity.
func exact(s string) []byte {
	b := []byte(s)
	return b[:len(b):len(b)]
}

func TestDecodeAnswerSuccess(t *testing.T) {
	t.Parallel()
	var ids []ID
	env, err := DecodeAnswer(200, exact(` {"requestId":"e42b#1","success":true,"result":[{"id":1},{"id":2}],"warnings":["plain",{"code":"1003","message":"m"}],"nextPageToken":"P","moreResult":true} `), &ids)
	require.NoError(t, err)
	assert.Equal(t, []ID{{1}, {2}}, ids)
	assert.Equal(t, "e42b#1", env.RequestID)
	assert.Equal(t, Bool{Set: true, Value: true}, env.Success)
	assert.Equal(t, []Reason{{Message: "plain"}, {Code: 1003, Message: "m"}}, env.Warnings)
	assert.Equal(t, "P", env.NextPageToken)
	assert.True(t, env.MoreResult)
	assert.Same(t, &ids, env.Result)

	// Without a place for it, the result is checked and dropped.
	env, err = DecodeAnswer(200, exact(`{"success":true,"result":[{"id":1,"x":{"y":[1,2]}}]}`), nil)
	require.NoError(t, err)
	assert.NotNil(t, env.Result)
	_, err = DecodeAnswer(200, exact(`{"success":true,"result":[{"id":1,"id":2}]}`), nil)
	assert.Error(t, err, "a result nobody reads is still held to the rules")
}

// A success is a success only with a 2xx status: 199, 200, 201, 298, 299
// and 300 at the range's edges.
func TestDecodeAnswerStatusRange(t *testing.T) {
	t.Parallel()
	for status, ok := range map[int]bool{100: false, 199: false, 200: true, 201: true, 298: true, 299: true, 300: false, 500: false} {
		_, err := DecodeAnswer(status, exact(`{"success":true}`), nil)
		if ok {
			assert.NoError(t, err, "%d", status)
			continue
		}
		var ae *AnswerError
		require.ErrorAs(t, err, &ae, "%d", status)
		assert.Equal(t, "success answer with a non-2xx status", ae.Reason, "%d", status)
		assert.Nil(t, ae.Err)
		assert.EqualError(t, err, "success answer with a non-2xx status")
	}
	// A refusal is a refusal whatever the status.
	for _, status := range []int{200, 400, 500} {
		_, err := DecodeAnswer(status, exact(`{"success":false,"errors":[{"code":"606","message":"Max rate limit"}]}`), nil)
		var r *Refusal
		require.ErrorAs(t, err, &r, "%d", status)
	}
}

func TestDecodeAnswerRefusal(t *testing.T) {
	t.Parallel()
	_, err := DecodeAnswer(200, exact(`{"requestId":"r1","success":false,"errors":[{"code":"606","message":"Max rate limit '100' exceeded"},{"code":607,"message":"Daily quota"}]}`), nil)
	var r *Refusal
	require.ErrorAs(t, err, &r)
	assert.Equal(t, "r1", r.RequestID)
	assert.Equal(t, []Reason{{Code: 606, Message: "Max rate limit '100' exceeded"}, {Code: 607, Message: "Daily quota"}}, r.Errors)
	assert.EqualError(t, err, "606: Max rate limit '100' exceeded")
}

func TestDecodeAnswerRefusesWhatIsNotAnEnvelope(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		``:                                  "body is empty",
		" \r\n\t":                           "body is empty",
		`<html>502</html>`:                  "body is not a JSON object",
		`[{"success":true}]`:                "body is not a JSON object",
		`"success"`:                         "body is not a JSON object",
		`{}`:                                `answer has no "success"`,
		`{"requestId":"r"}`:                 `answer has no "success"`,
		`{"success":false}`:                 `answer has "success":false but no errors`,
		`{"success":false,"errors":[]}`:     `answer has "success":false but no errors`,
		`{"success":false,"errors":null}`:   `answer has "success":false but no errors`,
		`{"success":true`:                   "body is truncated JSON",
		`{"success":tr`:                     "body is truncated JSON",
		`{"success":true} {}`:               "body has data after the JSON object",
		`{"success":true,}`:                 "body is malformed JSON",
		`{"success":"true"}`:                "body is malformed JSON",
		`{"success":null}`:                  "body is malformed JSON",
		`{"success":1}`:                     "body is malformed JSON",
		`{"success":true,"requestId":1}`:    "body is malformed JSON",
		`{"success":true,"moreResult":"x"}`: "body is malformed JSON",
		`{"success":false,"errors":[{"code":"x"}]}`:            "body is malformed JSON",
		`{"success":false,"errors":[{"code":"1.5"}]}`:          "body is malformed JSON",
		`{"success":false,"errors":[{"code":true}]}`:           "body is malformed JSON",
		`{"success":true,"result":{}}`:                         `"result" does not have the expected shape`,
		`{"success":true,"result":[{"id":"1"}]}`:               `"result" does not have the expected shape`,
		`{"success":true,"result":[1]}`:                        `"result" does not have the expected shape`,
		`{"success":true,"success":false}`:                     `answer gives "success" more than once: the answer is ambiguous`,
		`{"success":false,"errors":[{"code":"1","code":"2"}]}`: `answer gives "errors[0].code" more than once: the answer is ambiguous`,
		`{"success":true,"SUCCESS":false}`:                     `answer gives "SUCCESS", a known name in another case: the answer is ambiguous`,
		`{"success":true,"result":[{"ID":6666}]}`:              `answer gives "result[0].ID", a known name in another case: the answer is ambiguous`,
	}
	for body, want := range cases {
		var ids []ID
		env, err := DecodeAnswer(200, exact(body), &ids)
		assert.Nil(t, env, body)
		var ae *AnswerError
		require.ErrorAs(t, err, &ae, "%q", body)
		assert.Equal(t, want, ae.Reason, "%q: %v", body, err)
		var je *strictjson.Error
		if errors.As(err, &je) {
			assert.Equal(t, want+": "+je.Error(), err.Error(), body)
		} else {
			assert.Equal(t, want, err.Error(), body)
		}
	}
}

// A result's shape is judged at any depth below "result", and only there.
func TestDecodeAnswerResultShapeAtDepth(t *testing.T) {
	t.Parallel()
	type rec struct {
		Seq  int `json:"seq"`
		Tags []struct {
			N int `json:"n"`
		} `json:"tags"`
	}
	var one rec
	_, err := DecodeAnswer(200, exact(`{"success":true,"result":{"seq":"x"}}`), &one)
	var ae *AnswerError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, `"result" does not have the expected shape`, ae.Reason)
	var je *strictjson.Error
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "result.seq", je.Path)

	var many []rec
	_, err = DecodeAnswer(200, exact(`{"success":true,"result":[{"tags":[{"n":1},{"n":"2"}]}]}`), &many)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, `"result" does not have the expected shape`, ae.Reason)
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "result[0].tags[1].n", je.Path)

	// A name that merely starts like "result" is not the result.
	var m map[string]int
	_, err = DecodeAnswer(200, exact(`{"success":true,"result":{"a":"x"}}`), &m)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, `"result" does not have the expected shape`, ae.Reason)
	var named struct {
		ResultX int `json:"resultX"`
	}
	_, err = DecodeAnswer(200, exact(`{"success":true,"result":{"resultX":"x"}}`), &named)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, `"result" does not have the expected shape`, ae.Reason)
}

func TestDecodeAnswerNameInTwoCases(t *testing.T) {
	t.Parallel()
	var leads []map[string]any
	_, err := DecodeAnswer(200, exact(`{"success":true,"result":[{"id":1,"ID":2}]}`), &leads)
	var ae *AnswerError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, `answer gives "result[0].ID" and the same name in another case: the answer is ambiguous`, ae.Reason)
}

// Codes come as quoted integers, or plain ones; nothing else.
func TestCodeDecodes(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]Code{
		`"606"`: 606, `606`: 606, `" 606 "`: 606, `"6\u0030\u0036"`: 606, `"0"`: 0, `"-1"`: -1, `"1"`: 1, `null`: 42,
	} {
		c := Code(42)
		require.NoError(t, c.UnmarshalJSON(exact(text)), text)
		assert.Equal(t, want, c, text)
	}
	for _, text := range []string{`""`, `"x"`, `"6 06"`, `"1.5"`, `1.5`, `true`, `"`, `"\x"`, `" "`, `"606`} {
		c := Code(42)
		err := c.UnmarshalJSON(exact(text))
		require.Error(t, err, text)
		assert.Equal(t, Code(42), c, text)
	}
	c := Code(0)
	assert.EqualError(t, c.UnmarshalJSON(exact(`"x"`)), `error code "x" is not an integer`)
}

func TestReasonDecodes(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]Reason{
		`"plain"`:                       {Message: "plain"},
		`"a \"b\""`:                     {Message: `a "b"`},
		`{"code":"1003","message":"m"}`: {Code: 1003, Message: "m"},
		`{"message":"m","other":1}`:     {Message: "m"},
		`{}`:                            {},
	} {
		var r Reason
		require.NoError(t, r.UnmarshalJSON(exact(text)), text)
		assert.Equal(t, want, r, text)
	}
	for _, text := range []string{`{"Code":"1"}`, `{"code":"1","code":"2"}`, `"x`, `[]`, `1`, ``} {
		var r Reason
		assert.Error(t, r.UnmarshalJSON(exact(text)), text)
	}
}

func TestBoolDecodes(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]Bool{`true`: {true, true}, `false`: {true, false}} {
		b := Bool{}
		require.NoError(t, b.UnmarshalJSON(exact(text)), text)
		assert.Equal(t, want, b, text)
	}
	for _, text := range []string{`null`, `"true"`, `1`, `True`, `truex`, ``} {
		b := Bool{}
		err := b.UnmarshalJSON(exact(text))
		require.Error(t, err, text)
		assert.Equal(t, Bool{}, b, text)
	}
	b := Bool{}
	assert.EqualError(t, b.UnmarshalJSON(exact(`1`)), "1 is not a JSON boolean")
}

func TestParamErrorSaysFieldAndRule(t *testing.T) {
	t.Parallel()
	assert.EqualError(t, &ParamError{Field: "Rows[3]", Rule: "is too large"}, "Rows[3] is too large")
	inner := errors.New("inner")
	e := &AnswerError{Reason: "r", Err: inner}
	assert.EqualError(t, e, "r: inner")
	assert.Same(t, inner, errors.Unwrap(e))
}
