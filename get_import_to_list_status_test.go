package marketo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

var statusParams = marketo.GetImportToListStatusParams{ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List"}

func intp(n int) *int { return &n }

func TestGetImportToListStatusMatchesGoldenAndDecodesNils(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml; charset=utf-8", string(readGolden(t, "get_import_to_list_status_processing_response.xml"))))
	st, err := c.GetImportToListStatus(context.Background(), statusParams)
	require.NoError(t, err)

	req, body := rec.last(t)
	assert.Equal(t, "http://www.marketo.com/mktows/getImportToListStatus", req.Header.Get("SOAPAction"))
	assert.Equal(t, canonicalXML(t, readGolden(t, "get_import_to_list_status_request.xml")), canonicalXML(t, body))

	require.NotNil(t, st.StartedTime)
	assert.True(t, st.StartedTime.Equal(time.Date(2013, 8, 5, 22, 58, 10, 0, time.UTC)))
	_, off := st.StartedTime.Zone()
	assert.Equal(t, -5*3600, off, "the offset Marketo gave is kept")
	assert.Equal(t, &marketo.ImportToListStatus{
		Status:        marketo.ImportProcessing,
		StartedTime:   st.StartedTime,
		EstimatedRows: intp(2),
		RowsImported:  intp(0),
		RowsFailed:    intp(0),
		RowsIgnored:   intp(2),
	}, st)
	assert.Nil(t, st.EndedTime, "xsi:nil is not a zero time")
	assert.Nil(t, st.EstimatedTime, "xsi:nil is not a zero")
}

func TestGetImportToListStatusComplete(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, answer(200, statusXML("COMPLETE", `
		<startedTime>2026-11-28T10:00:00Z</startedTime>
		<endedTime>2026-11-28T10:01:30.5+01:00</endedTime>
		<estimatedTime>0</estimatedTime><estimatedRows>3</estimatedRows>
		<rowsImported>2</rowsImported><rowsFailed>1</rowsFailed><rowsIgnored>0</rowsIgnored>
		<importSummary>2 imported, 1 failed: row 3 has no email</importSummary>`)))
	st, err := c.GetImportToListStatus(context.Background(), statusParams)
	require.NoError(t, err)
	assert.Equal(t, marketo.ImportComplete, st.Status)
	require.NotNil(t, st.EndedTime)
	assert.True(t, st.EndedTime.Equal(time.Date(2026, 11, 28, 9, 1, 30, 5e8, time.UTC)))
	assert.Equal(t, intp(0), st.EstimatedTime, "a real zero is kept")
	assert.Equal(t, intp(1), st.RowsFailed)
	assert.Equal(t, "2 imported, 1 failed: row 3 has no email", st.ImportSummary)
}

func TestGetImportToListStatusAbsentElements(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, answer(200, statusXML("PROCESSING", "")))
	st, err := c.GetImportToListStatus(context.Background(), statusParams)
	require.NoError(t, err)
	assert.Equal(t, &marketo.ImportToListStatus{Status: marketo.ImportProcessing}, st)
}

func TestGetImportToListStatusRefusesBadAnswers(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"no status":    successEnvelope("GetImportToListStatus", "<rowsImported>1</rowsImported>"),
		"nil status":   successEnvelope("GetImportToListStatus", `<status xsi:nil="true"/>`),
		"bad int":      statusXML("PROCESSING", "<rowsImported>many</rowsImported>"),
		"bad dateTime": statusXML("PROCESSING", "<startedTime>yesterday</startedTime>"),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newMockClient(t, answer(200, body))
			st, err := c.GetImportToListStatus(context.Background(), statusParams)
			assert.Nil(t, st)
			var re *marketo.ResponseError
			require.True(t, errors.As(err, &re), "want *ResponseError, got %v", err)
			assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
		})
	}
}

func TestGetImportToListStatusValidation(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, neverCalled(t))
	_, err := c.GetImportToListStatus(context.Background(), marketo.GetImportToListStatusParams{ListName: "\x00"})
	requireInvalid(t, err, "GetImportToListStatus", map[string]string{"ProgramName": "required"}, "ProgramName", "ListName")
}

func TestGetImportToListStatusFault(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, answer(500, faultXML(20111, "List not found")))
	_, err := c.GetImportToListStatus(context.Background(), statusParams)
	require.ErrorIs(t, err, marketo.ErrListNotFound)
}
