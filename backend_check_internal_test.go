package marketo

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiEither stands for "either API" in tests of validation without a
// Client: the shared rules alone.
const apiEither api = 255

// validateOn checks p, the params of op, as a client of api a does before
// it sends: the shared rules and the wire's own.
func validateOn(a api, op *operation, p interface{ validate() error }) error {
	switch a {
	case apiSOAP:
		return checkedOn(&soapBackend{}, op, p.validate(), p)
	case apiREST:
		return checkedOn(&restBackend{}, op, p.validate(), p)
	}
	return p.validate()
}

// TestOperationTableDrivesEveryWire pins the one table: SOAP names every
// operation it has and refuses the others with ErrRESTOnly before sending,
// REST has them all.
func TestOperationTableDrivesEveryWire(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, op := range operations {
		require.False(t, seen[op.method], "%s is in the table twice", op.method)
		seen[op.method] = true
		_, named := soapOperations[op]
		assert.Equal(t, op.soap, named, "%s: SOAP names exactly the operations it has", op.method)
		soapErr := (&soapBackend{}).check(op, nil)
		assert.Equal(t, !op.soap, errors.Is(soapErr, ErrRESTOnly), "%s on SOAP: %v", op.method, soapErr)
		assert.NoError(t, (&restBackend{}).check(op, nil), "%s on REST", op.method)
	}
	for _, m := range []string{"ScheduleCampaign", "RequestCampaign", "GetCampaignsForSource", "ImportToList",
		"GetImportToListStatus", "ListCampaigns", "ImportFailures", "ImportWarnings"} {
		assert.True(t, seen[m], "%s is missing from the table", m)
	}
}

// TestObservedClientStillRefusesRESTOnlyStreamsOnSOAP: the streams reach
// the backend through the interface, the Observer's wrapper included.
func TestObservedClientStillRefusesRESTOnlyStreamsOnSOAP(t *testing.T) {
	t.Parallel()
	c, err := NewClient(Config{Endpoint: "https://123-ABC-456.mktoapi.com/soap/mktows/2_9", UserID: "u", EncryptionKey: "k"},
		WithObserver(&Observer{Call: func(ctx context.Context, _ CallStart) (context.Context, func(CallEnd)) { return ctx, nil }}))
	require.NoError(t, err)
	for _, open := range []func(context.Context, string, ...CallOption) (*ImportRows, error){c.ImportFailures, c.ImportWarnings} {
		rows, err := open(context.Background(), "3404")
		require.Nil(t, rows)
		require.ErrorIs(t, err, ErrRESTOnly)
		var oe *OperationError
		require.ErrorAs(t, err, &oe)
		assert.False(t, oe.Sent)
	}
	assert.Contains(t, fmt.Sprint(c), "https://123-ABC-456.mktoapi.com/soap/mktows/2_9")
}

// TestCallOptionsTravelWithTheCall: a call's options bind to a view of the
// backend for that call alone, sharing the client's state, observed as the
// client's backend is; a call without options uses the backend itself.
func TestCallOptionsTravelWithTheCall(t *testing.T) {
	t.Parallel()
	retry := callSettings{retryUnknown: true}
	soap, err := NewClient(Config{Endpoint: "https://123-ABC-456.mktoapi.com/soap/mktows/2_9", UserID: "u", EncryptionKey: "k"})
	require.NoError(t, err)
	rest, err := NewRESTClient(RESTConfig{Endpoint: "https://123-ABC-456.mktorest.com/rest", ClientID: "id", ClientSecret: "secret"},
		WithObserver(&Observer{Call: func(ctx context.Context, _ CallStart) (context.Context, func(CallEnd)) { return ctx, nil }}))
	require.NoError(t, err)
	for _, c := range []*Client{soap, rest} {
		assert.Equal(t, c.backend, c.backend.forCall(callSettings{}), "%v: no options, no view", c)
		view := c.backend.forCall(retry)
		assert.NotEqual(t, c.backend, view, "%v", c)
		assert.Equal(t, view, view.forCall(retry), "%v", c)
		assert.Equal(t, c.backend.endpointURL(), view.endpointURL())
	}
	view := rest.backend.forCall(retry).(*observedBackend)
	assert.Equal(t, retry, view.backend.(*restBackend).opts)
	assert.Same(t, rest.backend.(*observedBackend).backend.(*restBackend).restState, view.backend.(*restBackend).restState)
	assert.Equal(t, callSettings{}, rest.backend.(*observedBackend).backend.(*restBackend).opts, "the client's backend keeps no call's options")
	s, err := callOptions([]CallOption{WithRetryUnknownOutcome(), nil})
	assert.Equal(t, retry, s)
	assert.Equal(t, []string{"opts[1]"}, func() (f []string) {
		for _, e := range ValidationErrors(err) {
			f = append(f, e.Field)
		}
		return f
	}())
}
