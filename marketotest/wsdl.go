package marketotest

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/mktows/marketo/internal/wsdl"
)

// wantsWSDL reports whether the query has a "wsdl" key, in any case.
func wantsWSDL(r *http.Request) bool {
	for k := range r.URL.Query() {
		if strings.EqualFold(k, "wsdl") {
			return true
		}
	}
	return false
}

// serveWSDL answers the WSDL with its soap:address set to the requested
// endpoint.
func (s *Server) serveWSDL(w http.ResponseWriter, r *http.Request) {
	endpoint := "http://" + r.Host + r.URL.Path
	doc := wsdl.WSDL(endpoint)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(doc)
	}
}
