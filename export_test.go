package marketo

import "time"

// WithSplitImportPoll sets how often a REST split import reads the status
// of its previous job before it submits the next, DefaultRESTPollInterval
// otherwise: the scenario tests run on a fake whose imports end at once.
func WithSplitImportPoll(d time.Duration) Option {
	return func(c *Client) error {
		c.splitImportPoll = d
		return nil
	}
}

// ValidateSOAP checks p as a SOAP client does before it sends: stricter
// than Validate, which accepts what either API takes (a SOAP call needs
// ProgramName, a REST call does not).
func (p ScheduleCampaignParams) ValidateSOAP() error {
	return validateOn(apiSOAP, opScheduleCampaign, &p)
}
