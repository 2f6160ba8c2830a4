package marketo

// Wire structs: the SOAP shapes of requests and responses. They are
// unexported so the wire can change (or a REST backend arrive) without
// touching the public types.
//
// The xml tags are the schema: element names in schema order, ",omitempty"
// on optional elements, and a wire:"nillable" tag on required elements that
// are sent as xsi:nil when empty. A `param` tag names the caller's parameter a
// field comes from when the names differ (for errors). The request encoder (encode.go) writes a params
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
	CampaignRunAt      string         `xml:"campaignRunAt,omitempty" param:"RunAt"`
	CloneToProgramName string         `xml:"cloneToProgramName,omitempty"`
	ProgramTokenList   *arrayOfAttrib `xml:"programTokenList,omitempty" param:"Tokens"`
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

// paramsRequestCampaign is ns1:paramsRequestCampaign. A campaign is named
// either by campaignId or by programName and campaignName.
type paramsRequestCampaign struct {
	Source           string          `xml:"source"`
	CampaignID       int             `xml:"campaignId,omitempty"`
	LeadList         *arrayOfLeadKey `xml:"leadList,omitempty" param:"Leads"`
	ProgramName      string          `xml:"programName,omitempty"`
	CampaignName     string          `xml:"campaignName,omitempty"`
	ProgramTokenList *arrayOfAttrib  `xml:"programTokenList,omitempty" param:"Tokens"`
}

type arrayOfLeadKey struct {
	LeadKey []leadKey `xml:"leadKey,omitempty"`
}

// leadKey is one lead of a leadList.
type leadKey struct {
	KeyType  string `xml:"keyType"`
	KeyValue string `xml:"keyValue"`
}

// paramsGetCampaignsForSource is ns1:paramsGetCampaignsForSource; exactName
// is sent only when true.
type paramsGetCampaignsForSource struct {
	Source    string `xml:"source"`
	Name      string `xml:"name,omitempty"`
	ExactName bool   `xml:"exactName,omitempty"`
}

// resultGetCampaignsForSource is successGetCampaignsForSource.
type resultGetCampaignsForSource struct {
	ReturnCount xsInt                `xml:"result>returnCount"`
	Records     []wireCampaignRecord `xml:"result>campaignRecordList>campaignRecord"`
}

type wireCampaignRecord struct {
	ID          xsInt    `xml:"id"`
	Name        xsString `xml:"name"`
	Description xsString `xml:"description"`
}

// paramsImportToList is ns1:paramsImportToList. Every element is sent;
// campaignName is xsi:nil when no campaign uses token columns.
type paramsImportToList struct {
	ProgramName      string            `xml:"programName"`
	ImportFileHeader string            `xml:"importFileHeader" param:"Header"`
	ImportFileRows   arrayOfCSVRecords `xml:"importFileRows" param:"Rows"`
	ImportListMode   string            `xml:"importListMode" param:"Mode"`
	ListName         string            `xml:"listName"`
	ClearList        bool              `xml:"clearList"`
	CampaignName     string            `xml:"campaignName" wire:"nillable"`
}

// arrayOfCSVRecords is an ArrayOfString whose items are the CSV records of
// an import's rows.
type arrayOfCSVRecords struct {
	StringItem csvRecords `xml:"stringItem,omitempty"`
}

// csvRecords is a repeated string element: one element per row, holding the
// row's CSV record. The rows are the caller's, checked and never copied; the
// encoder writes their records as the request is read, one at a time (see
// envelopeReader). textSize is the size of all the records as XML text,
// computed when the rows were checked, so that the request's length is
// known before it is sent.
type csvRecords struct {
	rows     [][]string
	textSize int
}

// resultImportToList is successImportToList.
type resultImportToList struct {
	ImportStatus xsString `xml:"result>importStatus"`
}

// paramsGetImportToListStatus is ns1:paramsGetImportToListStatus.
type paramsGetImportToListStatus struct {
	ProgramName string `xml:"programName"`
	ListName    string `xml:"listName"`
}

// resultGetImportToListStatus is successGetImportToListStatus; every element
// but status may be absent or nil while the import runs.
type resultGetImportToListStatus struct {
	Status        xsString   `xml:"result>status"`
	StartedTime   xsDateTime `xml:"result>startedTime"`
	EndedTime     xsDateTime `xml:"result>endedTime"`
	EstimatedTime xsInt      `xml:"result>estimatedTime"`
	EstimatedRows xsInt      `xml:"result>estimatedRows"`
	RowsImported  xsInt      `xml:"result>rowsImported"`
	RowsFailed    xsInt      `xml:"result>rowsFailed"`
	RowsIgnored   xsInt      `xml:"result>rowsIgnored"`
	ImportSummary xsString   `xml:"result>importSummary"`
}
