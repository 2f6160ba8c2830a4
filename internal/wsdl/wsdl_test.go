package wsdl_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo/internal/wsdl"
)

const (
	nsWSDL = "http://schemas.xmlsoap.org/wsdl/"
	nsSOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
	nsXSD  = "http://www.w3.org/2001/XMLSchema"
)

// startElements decodes doc completely and returns its start elements.
func startElements(t *testing.T, doc []byte) []xml.StartElement {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	var starts []xml.StartElement
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return starts
		}
		require.NoError(t, err)
		if se, ok := tok.(xml.StartElement); ok {
			starts = append(starts, se.Copy())
		}
	}
}

func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func TestDocumentIsWellFormed(t *testing.T) {
	t.Parallel()
	starts := startElements(t, wsdl.Raw())
	require.NotEmpty(t, starts)

	root := starts[0]
	assert.Equal(t, xml.Name{Space: nsWSDL, Local: "definitions"}, root.Name)
	tns, _ := attr(root, "targetNamespace")
	assert.Equal(t, wsdl.Namespace, tns)

	var schemas, services, ports int
	for _, se := range starts {
		switch se.Name {
		case xml.Name{Space: nsXSD, Local: "schema"}:
			schemas++
			tns, _ := attr(se, "targetNamespace")
			assert.Equal(t, wsdl.Namespace, tns)
		case xml.Name{Space: nsWSDL, Local: "service"}:
			services++
			name, _ := attr(se, "name")
			assert.Equal(t, "MktMktowsApiService", name)
		case xml.Name{Space: nsWSDL, Local: "port"}:
			ports++
			name, _ := attr(se, "name")
			assert.Equal(t, "MktowsApiSoapPort", name)
			binding, _ := attr(se, "binding")
			assert.Equal(t, "tns:MktowsApiSoapBinding", binding)
		case xml.Name{Space: nsWSDL, Local: "portType"}:
			name, _ := attr(se, "name")
			assert.Equal(t, "MktowsPort", name)
		case xml.Name{Space: nsSOAP, Local: "binding"}:
			style, _ := attr(se, "style")
			assert.Equal(t, "document", style)
			transport, _ := attr(se, "transport")
			assert.Equal(t, "http://schemas.xmlsoap.org/soap/http", transport)
		case xml.Name{Space: nsSOAP, Local: "body"}, xml.Name{Space: nsSOAP, Local: "header"}:
			use, _ := attr(se, "use")
			assert.Equal(t, "literal", use, "%s", se.Name.Local)
		}
	}
	assert.Equal(t, 1, schemas)
	assert.Equal(t, 1, services)
	assert.Equal(t, 1, ports)
}

// Only the top-level elements are namespace-qualified on the wire, as in
// Marketo's schema.
func TestSchemaLeavesLocalElementsUnqualified(t *testing.T) {
	t.Parallel()
	for _, se := range startElements(t, wsdl.Raw()) {
		if se.Name != (xml.Name{Space: nsXSD, Local: "schema"}) {
			continue
		}
		_, ok := attr(se, "elementFormDefault")
		assert.False(t, ok, "schema must not set elementFormDefault")
		_, ok = attr(se, "attributeFormDefault")
		assert.False(t, ok, "schema must not set attributeFormDefault")
	}
	assert.NotContains(t, string(wsdl.Raw()), `elementFormDefault="qualified"`)
	assert.NotContains(t, string(wsdl.Raw()), `form="qualified"`)
}

func TestOperations(t *testing.T) {
	t.Parallel()
	want := []wsdl.Operation{
		{"scheduleCampaign", wsdl.Namespace + "scheduleCampaign", "paramsScheduleCampaign", "successScheduleCampaign", "AuthenticationHeader"},
		{"requestCampaign", wsdl.Namespace + "requestCampaign", "paramsRequestCampaign", "successRequestCampaign", "AuthenticationHeader"},
		{"getCampaignsForSource", wsdl.Namespace + "getCampaignsForSource", "paramsGetCampaignsForSource", "successGetCampaignsForSource", "AuthenticationHeader"},
		{"importToList", wsdl.Namespace + "importToList", "paramsImportToList", "successImportToList", "AuthenticationHeader"},
		{"getImportToListStatus", wsdl.Namespace + "getImportToListStatus", "paramsGetImportToListStatus", "successGetImportToListStatus", "AuthenticationHeader"},
	}
	assert.Equal(t, want, wsdl.Operations())

	// The port type declares the same five operations.
	var portTypeOps []string
	inPortType := false
	dec := xml.NewDecoder(bytes.NewReader(wsdl.Raw()))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name == (xml.Name{Space: nsWSDL, Local: "portType"}) {
				inPortType = true
			}
			if inPortType && tok.Name == (xml.Name{Space: nsWSDL, Local: "operation"}) {
				name, _ := attr(tok, "name")
				portTypeOps = append(portTypeOps, name)
			}
		case xml.EndElement:
			if tok.Name == (xml.Name{Space: nsWSDL, Local: "portType"}) {
				inPortType = false
			}
		}
	}
	assert.Equal(t, []string{"scheduleCampaign", "requestCampaign", "getCampaignsForSource", "importToList", "getImportToListStatus"}, portTypeOps)

	// Every request, response and header element is declared at top level.
	top := wsdl.TopLevelElements()
	for _, op := range want {
		for _, el := range []string{op.Request, op.Response, op.Header} {
			typ, ok := top[el]
			if assert.True(t, ok, "top-level element %s", el) {
				_, ok := wsdl.Sequence(typ)
				assert.True(t, ok, "complex type %s of %s", typ, el)
			}
		}
	}
	assert.Len(t, top, 11)
}

type el = wsdl.Element

// Element constructors: required, optional, optional and nillable, and a
// repeated optional element (minOccurs="0" maxOccurs="unbounded").
func req(name, typ string) el    { return el{Name: name, Type: typ, MinOccurs: 1} }
func opt(name, typ string) el    { return el{Name: name, Type: typ} }
func optNil(name, typ string) el { return el{Name: name, Type: typ, Nillable: true} }
func list(name, typ string) el   { return el{Name: name, Type: typ, Repeated: true} }
func reqNil(name, typ string) el { return el{Name: name, Type: typ, MinOccurs: 1, Nillable: true} }

func TestSequences(t *testing.T) {
	t.Parallel()
	want := map[string][]el{
		"AuthenticationHeaderInfo": {
			req("mktowsUserId", "xs:string"),
			req("requestSignature", "xs:string"),
			req("requestTimestamp", "xs:string"),
			opt("audit", "xs:string"),
			opt("mode", "xs:int"),
		},
		"Attrib":                {req("name", "xs:string"), req("value", "xs:string")},
		"ArrayOfAttrib":         {list("attrib", "tns:Attrib")},
		"ArrayOfString":         {list("stringItem", "xs:string")},
		"LeadKey":               {req("keyType", "tns:LeadKeyRef"), req("keyValue", "xs:string")},
		"ArrayOfLeadKey":        {list("leadKey", "tns:LeadKey")},
		"CampaignRecord":        {req("id", "xs:int"), req("name", "xs:string"), optNil("description", "xs:string")},
		"ArrayOfCampaignRecord": {list("campaignRecord", "tns:CampaignRecord")},

		"ParamsScheduleCampaign": {
			req("programName", "xs:string"),
			req("campaignName", "xs:string"),
			optNil("campaignRunAt", "xs:dateTime"),
			opt("cloneToProgramName", "xs:string"),
			optNil("programTokenList", "tns:ArrayOfAttrib"),
		},
		"ResultScheduleCampaign":  {req("success", "xs:boolean")},
		"SuccessScheduleCampaign": {req("result", "tns:ResultScheduleCampaign")},

		"ParamsRequestCampaign": {
			req("source", "tns:ReqCampSourceType"),
			optNil("campaignId", "xs:int"),
			optNil("leadList", "tns:ArrayOfLeadKey"),
			optNil("programName", "xs:string"),
			optNil("campaignName", "xs:string"),
			optNil("programTokenList", "tns:ArrayOfAttrib"),
		},
		"ResultRequestCampaign":  {req("success", "xs:boolean")},
		"SuccessRequestCampaign": {req("result", "tns:ResultRequestCampaign")},

		"ParamsGetCampaignsForSource": {
			req("source", "tns:ReqCampSourceType"),
			optNil("name", "xs:string"),
			optNil("exactName", "xs:boolean"),
		},
		"ResultGetCampaignsForSource": {
			req("returnCount", "xs:int"),
			optNil("campaignRecordList", "tns:ArrayOfCampaignRecord"),
		},
		"SuccessGetCampaignsForSource": {req("result", "tns:ResultGetCampaignsForSource")},

		"ParamsImportToList": {
			req("programName", "xs:string"),
			req("importFileHeader", "xs:string"),
			req("importFileRows", "tns:ArrayOfString"),
			req("importListMode", "tns:ImportToListModeEnum"),
			req("listName", "xs:string"),
			req("clearList", "xs:boolean"),
			reqNil("campaignName", "xs:string"),
		},
		"ResultImportToList":  {req("importStatus", "tns:ImportToListStatusEnum")},
		"SuccessImportToList": {req("result", "tns:ResultImportToList")},

		"ParamsGetImportToListStatus": {req("programName", "xs:string"), req("listName", "xs:string")},
		"ResultGetImportToListStatus": {
			req("status", "tns:ImportToListStatusEnum"),
			optNil("startedTime", "xs:dateTime"),
			optNil("endedTime", "xs:dateTime"),
			optNil("estimatedTime", "xs:int"),
			optNil("estimatedRows", "xs:int"),
			optNil("rowsImported", "xs:int"),
			optNil("rowsFailed", "xs:int"),
			optNil("rowsIgnored", "xs:int"),
			optNil("importSummary", "xs:string"),
		},
		"SuccessGetImportToListStatus": {req("result", "tns:ResultGetImportToListStatus")},
	}
	for typ, els := range want {
		got, ok := wsdl.Sequence(typ)
		if assert.True(t, ok, typ) {
			assert.Equal(t, els, got, typ)
		}
	}
	_, ok := wsdl.Sequence("NoSuchType")
	assert.False(t, ok)
}

// soapAddress returns the location of the only soap:address in doc.
func soapAddress(t *testing.T, doc []byte) string {
	t.Helper()
	var locs []string
	for _, se := range startElements(t, doc) {
		if se.Name == (xml.Name{Space: nsSOAP, Local: "address"}) {
			loc, _ := attr(se, "location")
			locs = append(locs, loc)
		}
	}
	require.Len(t, locs, 1)
	return locs[0]
}

func TestRawHasPlaceholderAddress(t *testing.T) {
	t.Parallel()
	assert.Equal(t, wsdl.PlaceholderEndpoint, soapAddress(t, wsdl.Raw()))

	a := wsdl.Raw()
	a[0] = 'X'
	assert.Equal(t, byte('<'), wsdl.Raw()[0], "Raw must return a copy")
}

func TestWSDLSetsAddress(t *testing.T) {
	t.Parallel()
	for _, endpoint := range []string{
		"https://987-XYZ-321.mktoapi.com/soap/mktows/2_9",
		"http://127.0.0.1:4321/soap/mktows/2_2",
		"http://127.0.0.1:4321/soap?a=1&b=2",
		`http://h/<"quoted">'&amp;`,
		"http://h/tab\tnewline\n",
		"",
	} {
		t.Run(endpoint, func(t *testing.T) {
			t.Parallel()
			doc := wsdl.WSDL(endpoint)
			assert.Equal(t, endpoint, soapAddress(t, doc))

			// Only the address changed.
			before, after, ok := bytes.Cut(wsdl.Raw(), []byte(wsdl.PlaceholderEndpoint))
			require.True(t, ok)
			assert.True(t, bytes.HasPrefix(doc, before))
			assert.True(t, bytes.HasSuffix(doc, after))
		})
	}

	doc := string(wsdl.WSDL("http://h/x?a=1&b=2"))
	assert.Contains(t, doc, `location="http://h/x?a=1&amp;b=2"`)
	assert.NotContains(t, doc, wsdl.PlaceholderEndpoint)
}

func TestWSDLReturnsFreshCopies(t *testing.T) {
	t.Parallel()
	a := wsdl.WSDL("http://a/")
	b := wsdl.WSDL("http://a/")
	require.Equal(t, a, b)
	for i := range a {
		a[i] = 0
	}
	assert.Equal(t, b, wsdl.WSDL("http://a/"))
	assert.Equal(t, wsdl.PlaceholderEndpoint, soapAddress(t, wsdl.Raw()))
}

// TestGeneratedCodeInSync runs the pinned gowsdl on the document and
// compares its output with the committed internal/wsdlref/mktows_gen.go. It
// builds the tool at the version go.mod pins (-mod=readonly), downloading it
// through the caller's GOPROXY when the module cache lacks it. -short skips
// it.
func TestGeneratedCodeInSync(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds gowsdl; skipped in -short mode")
	}
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "the go command builds gowsdl")

	dir := t.TempDir()
	tool := filepath.Join(dir, "gowsdl")
	build := exec.Command(goBin, "build", "-mod=readonly", "-o", tool, "github.com/hooklift/gowsdl/cmd/gowsdl")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("cannot build the pinned gowsdl: %v\n%s", err, out)
	}

	// Same flags as the go:generate directive in wsdl.go, with -d pointing
	// into the temporary directory.
	gen := exec.Command(tool, "-d", dir, "-p", "wsdlref", "-o", "mktows_gen.go", "mktows.wsdl")
	out, err := gen.CombinedOutput()
	require.NoError(t, err, "%s", out)

	got, err := os.ReadFile(filepath.Join(dir, "wsdlref", "mktows_gen.go"))
	require.NoError(t, err)
	committed, err := os.ReadFile(filepath.Join("..", "wsdlref", "mktows_gen.go"))
	require.NoError(t, err)
	assert.Equal(t, string(got), string(committed),
		"internal/wsdlref is out of date: run go generate ./internal/wsdl/")
}
