package marketo

// Wire structs: the SOAP shapes of requests and responses. They are
// unexported so the wire can change (or a REST backend arrive) without
// touching the public types.
//
// The xml tags are the schema: element names in schema order, ",omitempty"
// on optional elements. The request encoder (encode.go) writes a params
// struct from these tags alone, and a test compares them with the types that
// gowsdl generates from the project's WSDL, so the encoder cannot drift from
// the schema unnoticed. Every child element is unqualified; only the
// top-level element (its name is in the operation table) is in the mktows
// namespace.

// authenticationHeader is ns1:AuthenticationHeader.
type authenticationHeader struct {
	MktowsUserID     string `xml:"mktowsUserId"`
	RequestSignature string `xml:"requestSignature"`
	RequestTimestamp string `xml:"requestTimestamp"`
}

// attrib is one name/value pair of an ArrayOfAttrib (programTokenList).
type attrib struct {
	Name  string `xml:"name"`
	Value string `xml:"value"`
}

type arrayOfAttrib struct {
	Attrib []attrib `xml:"attrib,omitempty"`
}

// paramsScheduleCampaign is ns1:paramsScheduleCampaign, in the order of
// Marketo's documented request.
type paramsScheduleCampaign struct {
	ProgramName        string         `xml:"programName"`
	CampaignName       string         `xml:"campaignName"`
	CampaignRunAt      string         `xml:"campaignRunAt,omitempty"`
	CloneToProgramName string         `xml:"cloneToProgramName,omitempty"`
	ProgramTokenList   *arrayOfAttrib `xml:"programTokenList,omitempty"`
}

// resultSuccess is the result of the operations that answer only a boolean
// (scheduleCampaign, requestCampaign).
type resultSuccess struct {
	Success xsBoolean `xml:"result>success"`
}

// tokensToAttribs converts normalised tokens to the wire list, nil when there
// are none so that programTokenList is left out.
func tokensToAttribs(tokens []Token) *arrayOfAttrib {
	if len(tokens) == 0 {
		return nil
	}
	a := &arrayOfAttrib{Attrib: make([]attrib, len(tokens))}
	for i, t := range tokens {
		a.Attrib[i] = attrib(t)
	}
	return a
}
