package marketo

import (
	"context"
	"fmt"
)

// listCampaigns refuses before sending: SOAP's only listing,
// getCampaignsForSource, answers requestable trigger campaigns, so a list
// from it would pass for every campaign while it leaves out the batch ones.
func (b *soapBackend) listCampaigns(context.Context, *ListCampaignsParams) (*ListCampaignsResult, error) {
	return nil, invalid(opListCampaigns, fmt.Errorf("%w: Marketo's SOAP API has no call that lists batch campaigns "+
		"(GetCampaignsForSource lists the requestable trigger campaigns)", ErrRESTOnly))
}
