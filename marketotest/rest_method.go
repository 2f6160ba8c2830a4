package marketotest

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Marketo's method override: a POST carrying _method=GET is the GET of its
// path, the way around the 8 KB URI limit. Real clients put _method in
// three places, all accepted: the query (Adobe's documented form), an
// application/x-www-form-urlencoded body (marketo-rest-python's lead
// lookup), and a JSON body (node-marketo-rest's "_method":"POST" in
// trigger.json, which names the method the call already has).

// effectiveMethod is the method a request stands for: GET for a POST with
// _method=GET in its query or its form body, else its own.
func effectiveMethod(r *http.Request, body []byte) string {
	if r.Method != http.MethodPost {
		return r.Method
	}
	if m := r.URL.Query().Get("_method"); m != "" {
		return strings.ToUpper(m)
	}
	if isForm(r.Header.Get("Content-Type")) {
		if form, err := url.ParseQuery(string(body)); err == nil && form.Get("_method") != "" {
			return strings.ToUpper(form.Get("_method"))
		}
	}
	return r.Method
}

func isForm(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// stripJSONMethod removes a "_method" key from a JSON object body. Its
// value must be the route's method (605 otherwise): a JSON body cannot
// turn a POST into a GET, since a GET has no JSON body to read. A body
// without the key is returned as it is.
func stripJSONMethod(body []byte, method string) ([]byte, *Fault) {
	if !bytes.Contains(body, []byte(`"_method"`)) {
		return body, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return body, nil // not an object: the strict decode reports it
	}
	raw, ok := obj["_method"]
	if !ok {
		return body, nil
	}
	var m string
	if err := json.Unmarshal(raw, &m); err != nil || !strings.EqualFold(m, method) {
		return nil, faultf(restMethodNotAllowed, "Request method '%s' not supported", strings.Trim(string(raw), `"`))
	}
	delete(obj, "_method")
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, restStandard(restInvalidJSON)
	}
	return out, nil
}
