package marketotest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/internal/wsdl"
)

// TestOperationTableMatchesTheWSDL checks every row of the table against
// the WSDL: the operation exists, its params element is the one the WSDL
// sends, and the schema lists the WSDL's elements in its first order.
func TestOperationTableMatchesTheWSDL(t *testing.T) {
	t.Parallel()
	byName := map[string]wsdl.Operation{}
	for _, op := range wsdl.Operations() {
		byName[op.Name] = op
	}
	require.Len(t, operations, 5)
	for _, op := range operations {
		w, ok := byName[op.name]
		require.True(t, ok, "%s is not a WSDL operation", op.name)
		assert.Equal(t, op.name, operationName(w.Request))
		require.NotNil(t, op.run, op.name)
		seq, ok := wsdl.Sequence(wsdl.TopLevelElements()[w.Request])
		require.True(t, ok, op.name)
		var names []string
		for _, e := range seq {
			names = append(names, e.Name)
			f, ok := op.schema.field(e.Name)
			if assert.True(t, ok, "%s.%s", op.name, e.Name) {
				assert.Equal(t, !e.Optional(), f.required, "%s.%s required", op.name, e.Name)
			}
		}
		assert.Equal(t, names, op.schema.orders[0], op.name)
		assert.Len(t, op.schema.fields, len(seq), op.name)
	}
}

// TestOperationsNotImplementedAre20019 checks the fault for an operation
// of Marketo's API the fake does not implement, and for one Marketo does
// not have: both are refused after authentication and not run.
func TestOperationsNotImplementedAre20019(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	f := requireFault(t, call(t, srv, `<ns1:paramsGetLead><leadKey><keyType>IDNUM</keyType><keyValue>1</keyValue></leadKey></ns1:paramsGetLead>`), marketo.CodeUnsupportedOperation)
	assert.Equal(t, "Operation getLead is not supported by this server (20019)", f.Message)
	f = requireFault(t, call(t, srv, `<ns1:paramsDoMagic/>`), marketo.CodeUnsupportedOperation)
	assert.Equal(t, "Operation doMagic is not supported by this server (20019)", f.Message)
	f = requireFault(t, post(t, srv, envelopeAt("x", "y", srv.Now(), `<ns1:paramsDoMagic/>`)), marketo.CodeAuthenticationFailed)
	assert.True(t, strings.HasPrefix(f.FaultString, "20014"), "authentication comes first")
	for _, r := range srv.Requests() {
		assert.NotEqual(t, 0, r.FaultCode)
	}
	assert.Empty(t, srv.Runs())
}
