package soapwire

import (
	"fmt"
	"strings"
)

// The wire structs: the SOAP shapes of requests and answers (see the
// package doc for what their tags mean).

// AuthenticationHeader is ns1:AuthenticationHeader, which AppendHead writes.
type AuthenticationHeader struct {
	MktowsUserID     string `xml:"mktowsUserId"`
	RequestSignature string `xml:"requestSignature"`
	RequestTimestamp string `xml:"requestTimestamp"`
}

// Attrib is one name/value pair of an ArrayOfAttrib (programTokenList).
type Attrib struct {
	Name  string `xml:"name"`
	Value string `xml:"value"`
}

type ArrayOfAttrib struct {
	Attrib []Attrib `xml:"attrib,omitempty"`
}

// ParamsScheduleCampaign is ns1:paramsScheduleCampaign, in the order of
// Marketo's documented request.
type ParamsScheduleCampaign struct {
	ProgramName        string         `xml:"programName"`
	CampaignName       string         `xml:"campaignName"`
	CampaignRunAt      string         `xml:"campaignRunAt,omitempty" param:"RunAt"`
	CloneToProgramName string         `xml:"cloneToProgramName,omitempty"`
	ProgramTokenList   *ArrayOfAttrib `xml:"programTokenList,omitempty" param:"Tokens"`
}

// ResultSuccess is the result of the operations that answer only a boolean
// (scheduleCampaign, requestCampaign).
type ResultSuccess struct {
	Success Bool `xml:"result>success"`
}

// ParamsRequestCampaign is ns1:paramsRequestCampaign. A campaign is named
// either by campaignId or by programName and campaignName.
type ParamsRequestCampaign struct {
	Source           string          `xml:"source"`
	CampaignID       int             `xml:"campaignId,omitempty"`
	LeadList         *ArrayOfLeadKey `xml:"leadList,omitempty" param:"Leads"`
	ProgramName      string          `xml:"programName,omitempty"`
	CampaignName     string          `xml:"campaignName,omitempty"`
	ProgramTokenList *ArrayOfAttrib  `xml:"programTokenList,omitempty" param:"Tokens"`
}

type ArrayOfLeadKey struct {
	LeadKey []LeadKey `xml:"leadKey,omitempty"`
}

// LeadKey is one lead of a leadList.
type LeadKey struct {
	KeyType  string `xml:"keyType"`
	KeyValue string `xml:"keyValue"`
}

// ParamsGetCampaignsForSource is ns1:paramsGetCampaignsForSource; exactName
// is sent only when true.
type ParamsGetCampaignsForSource struct {
	Source    string `xml:"source"`
	Name      string `xml:"name,omitempty"`
	ExactName bool   `xml:"exactName,omitempty"`
}

// ResultGetCampaignsForSource is successGetCampaignsForSource.
type ResultGetCampaignsForSource struct {
	ReturnCount Int              `xml:"result>returnCount"`
	Records     []CampaignRecord `xml:"result>campaignRecordList>campaignRecord"`
}

type CampaignRecord struct {
	ID          Int    `xml:"id"`
	Name        String `xml:"name"`
	Description String `xml:"description"`
}

// ParamsImportToList is ns1:paramsImportToList. Every element is sent;
// campaignName is xsi:nil when no campaign uses token columns.
type ParamsImportToList struct {
	ProgramName      string        `xml:"programName"`
	ImportFileHeader string        `xml:"importFileHeader" param:"Header"`
	ImportFileRows   ArrayOfString `xml:"importFileRows" param:"Rows"`
	ImportListMode   string        `xml:"importListMode" param:"Mode"`
	ListName         string        `xml:"listName"`
	ClearList        bool          `xml:"clearList"`
	CampaignName     string        `xml:"campaignName" wire:"nillable"`
}

// ArrayOfString is an ArrayOfString whose items are the records of an
// import's rows (their CSV text).
type ArrayOfString struct {
	StringItem Records `xml:"stringItem,omitempty"`
}

// ResultImportToList is successImportToList.
type ResultImportToList struct {
	ImportStatus String `xml:"result>importStatus"`
}

// ParamsGetImportToListStatus is ns1:paramsGetImportToListStatus.
type ParamsGetImportToListStatus struct {
	ProgramName string `xml:"programName"`
	ListName    string `xml:"listName"`
}

// ResultGetImportToListStatus is successGetImportToListStatus; every element
// but status may be absent or nil while the import runs.
type ResultGetImportToListStatus struct {
	Status        String   `xml:"result>status"`
	StartedTime   DateTime `xml:"result>startedTime"`
	EndedTime     DateTime `xml:"result>endedTime"`
	EstimatedTime Int      `xml:"result>estimatedTime"`
	EstimatedRows Int      `xml:"result>estimatedRows"`
	RowsImported  Int      `xml:"result>rowsImported"`
	RowsFailed    Int      `xml:"result>rowsFailed"`
	RowsIgnored   Int      `xml:"result>rowsIgnored"`
	ImportSummary String   `xml:"result>importSummary"`
}

// Result is a decoded success answer that checks itself against what the
// schema promises: Check returns nil, ErrNotSuccessful, or an *AnswerError.
type Result interface{ Check() error }

// Check turns a result/success that is false or missing into an error.
func (r *ResultSuccess) Check() error {
	if !r.Success.Valid {
		return badAnswer("result/success is missing")
	}
	if !r.Success.Value {
		return ErrNotSuccessful
	}
	return nil
}

func (r *ResultImportToList) Check() error {
	if strings.TrimSpace(r.ImportStatus.Value) == "" {
		return badAnswer("result/importStatus is missing")
	}
	return nil
}

func (r *ResultGetImportToListStatus) Check() error {
	if strings.TrimSpace(r.Status.Value) == "" {
		return badAnswer("result/status is missing")
	}
	return nil
}

// Check refuses a list that is not whole: a returnCount that differs from
// the records sent, or a record without an id or a name.
func (r *ResultGetCampaignsForSource) Check() error {
	if !r.ReturnCount.Valid {
		return badAnswer("result/returnCount is missing")
	}
	if r.ReturnCount.Value != int64(len(r.Records)) {
		return badAnswer(fmt.Sprintf("result/returnCount is %d but %d campaignRecord elements were sent", r.ReturnCount.Value, len(r.Records)))
	}
	for i, rec := range r.Records {
		if !rec.ID.Valid {
			return badAnswer(fmt.Sprintf("campaignRecord %d has no id", i))
		}
		if !rec.Name.Valid {
			return badAnswer(fmt.Sprintf("campaignRecord %d has no name", i))
		}
	}
	return nil
}
