package marketo_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// successEnvelope wraps the children of result in ns1:success<Op>.
func successEnvelope(op, result string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body><ns1:success` + op + `><result>` + result + `</result></ns1:success` + op + `></SOAP-ENV:Body>
</SOAP-ENV:Envelope>`
}

// statusXML is a getImportToListStatus answer with the given status; the
// other elements are given as raw XML.
func statusXML(status, rest string) string {
	return successEnvelope("GetImportToListStatus", "<status>"+status+"</status>"+rest)
}

// requireInvalid checks that err is a validation error of op, sent nothing,
// and names exactly the given fields (in any order); rules maps some of them
// to a substring their rule must contain.
func requireInvalid(t *testing.T, err error, op string, rules map[string]string, fields ...string) {
	t.Helper()
	require.Error(t, err)
	var oe *marketo.OperationError
	require.True(t, errors.As(err, &oe), "want *OperationError, got %T: %v", err, err)
	assert.Equal(t, op, oe.Operation)
	assert.False(t, oe.Sent)
	var got []string
	for _, ve := range validationErrors(err) {
		got = append(got, ve.Field)
		if want, ok := rules[ve.Field]; ok {
			assert.Contains(t, ve.Rule, want, "rule of %s", ve.Field)
		}
	}
	sort.Strings(got)
	want := append([]string(nil), fields...)
	sort.Strings(want)
	assert.Equal(t, want, got, "fields of %v", err)
}

// neverCalled fails the test if a request is sent.
func neverCalled(t *testing.T) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		t.Error("a request was sent")
		return nil, fmt.Errorf("unexpected request")
	}
}

// sentImport reads the CSV header and rows of an importToList request with
// encoding/xml, as a server would.
func sentImport(t *testing.T, body []byte) (header string, rows []string) {
	t.Helper()
	var env struct {
		Body struct {
			P struct {
				Header string   `xml:"importFileHeader"`
				Rows   []string `xml:"importFileRows>stringItem"`
			} `xml:"paramsImportToList"`
		} `xml:"Body"`
	}
	require.NoError(t, xml.Unmarshal(body, &env))
	return env.Body.P.Header, env.Body.P.Rows
}
