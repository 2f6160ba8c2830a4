package marketo

import "github.com/mktows/marketo/internal/soapwire"

// appendSignedHead appends the envelope start and the AuthenticationHeader
// signed now with the client's user ID and encryption key, and writes the
// signature to sig. Signers are pooled, keyed once: a request costs one
// HMAC and no allocations.
func (b *soapBackend) appendSignedHead(dst []byte, sig *[soapwire.SignatureSize]byte) []byte {
	s, _ := b.signers.Get().(*soapwire.Signer)
	if s == nil {
		s = soapwire.NewSigner(b.key)
	}
	ts := s.Sign(sig, b.e.now(), b.userID)
	dst = soapwire.AppendHead(dst, b.userID, sig[:], ts)
	b.signers.Put(s)
	return dst
}
