package marketo

import (
	"context"
	"testing"
)

// optionSpy records the options each listCampaigns call of its REST
// backend carries.
type optionSpy struct {
	backend
	seen *[]callSettings
}

func (s optionSpy) forCall(cs callSettings) backend {
	return optionSpy{backend: s.backend.forCall(cs), seen: s.seen}
}

func (s optionSpy) listCampaigns(ctx context.Context, p *ListCampaignsParams) (*ListCampaignsResult, error) {
	*s.seen = append(*s.seen, s.backend.(*restBackend).opts)
	return nil, nil
}

// ListCampaigns takes per-call options as every operation method does, and
// they travel with that call only.
func TestListCampaignsCarriesItsCallOptions(t *testing.T) {
	t.Parallel()
	var _ func(context.Context, ListCampaignsParams, ...CallOption) (*ListCampaignsResult, error) = (*Client)(nil).ListCampaigns
	c, err := NewRESTClient(RESTConfig{Endpoint: "https://123-ABC-456.mktorest.com/rest", ClientID: "id", ClientSecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	var seen []callSettings
	c.backend = optionSpy{backend: c.backend, seen: &seen}
	for _, opts := range [][]CallOption{{WithRetryUnknownOutcome()}, nil} {
		if _, err := c.ListCampaigns(context.Background(), ListCampaignsParams{}, opts...); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 2 || !seen[0].retryUnknown || seen[1].retryUnknown {
		t.Fatalf("the calls' options: %+v", seen)
	}
}
