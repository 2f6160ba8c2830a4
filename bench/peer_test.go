package bench

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/hooklift/gowsdl/soap"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/internal/wsdlref"
)

// newPeer returns a ScheduleCampaign call written with gowsdl's runtime and
// the types it generates from the SDK's WSDL, as a Go user without the SDK
// would write it: sign, set the header, call, check result/success.
//
// gowsdl's runtime marks every request "Connection: close", so each call
// opens a new TCP connection even over a keep-alive *http.Client; and it
// writes the children of the params element in the mktows namespace, which
// Marketo's schema refuses. The benchmark server answers success regardless.
func newPeer(url string, hc *http.Client, p marketo.ScheduleCampaignParams) func(ctx context.Context) error {
	var tokens []*wsdlref.Attrib
	for _, t := range p.Tokens {
		tokens = append(tokens, &wsdlref.Attrib{Name: t.Name, Value: t.Value})
	}
	return func(ctx context.Context) error {
		ts := time.Now().Format("2006-01-02T15:04:05-07:00")
		m := hmac.New(sha1.New, []byte(encryptionKey))
		m.Write([]byte(ts + userID))
		// A soap.Client holds its headers, so a signed header per call needs
		// a client per call (it is a small struct; the *http.Client is shared).
		sc := soap.NewClient(url, soap.WithHTTPClient(hc))
		sc.AddHeader(&wsdlref.AuthenticationHeader{
			MktowsUserId:     userID,
			RequestSignature: hex.EncodeToString(m.Sum(nil)),
			RequestTimestamp: ts,
		})
		port := wsdlref.NewMktowsPort(sc)
		res, err := port.ScheduleCampaignContext(ctx, &wsdlref.ParamsScheduleCampaign{
			ProgramName:      p.ProgramName,
			CampaignName:     p.CampaignName,
			ProgramTokenList: &wsdlref.ArrayOfAttrib{Attrib: tokens},
		})
		if err != nil {
			return err
		}
		if res.Result == nil || !res.Result.Success {
			return errUnexpectedAnswer
		}
		return nil
	}
}

// keepConnsOpen clears the "Connection: close" that gowsdl's runtime puts on
// every request, so its calls reuse connections like the SDK's. It shows the
// cost of gowsdl's encoding and decoding alone; gowsdl users do not get it.
type keepConnsOpen struct{ rt http.RoundTripper }

func (k keepConnsOpen) RoundTrip(req *http.Request) (*http.Response, error) {
	req.Close = false
	return k.rt.RoundTrip(req)
}
