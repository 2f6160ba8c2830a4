package soapwire

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"hash"
	"time"

	"github.com/mktows/marketo/internal/wiretime"
)

// TimestampLayout is the W3C date-time Marketo expects in requestTimestamp:
// seconds and a numeric offset. The layout's "-07:00" writes "+00:00" for UTC,
// never "Z".
const TimestampLayout = "2006-01-02T15:04:05-07:00"

// SignatureSize is the length of a request signature: a hex HMAC-SHA1.
const SignatureSize = 2 * sha1.Size

// AppendTimestamp appends t as requestTimestamp carries it, in a zone
// whose offset can be written (see wiretime.WritableOffset).
func AppendTimestamp(b []byte, t time.Time) []byte {
	return wiretime.WritableOffset(t).AppendFormat(b, TimestampLayout)
}

// Signer signs requests with an HMAC keyed once, so that a request costs
// one HMAC and no allocations. A Signer is not safe for concurrent use.
type Signer struct {
	mac hash.Hash
	ts  []byte // the timestamp, then the signed message
	sum [sha1.Size]byte
}

// NewSigner returns a Signer keyed with the encryption key.
func NewSigner(key []byte) *Signer { return &Signer{mac: hmac.New(sha1.New, key)} }

// Sign writes the signature of a request made at now to sig (the hex
// HMAC-SHA1 of the timestamp followed by the user ID) and returns the
// timestamp it signed, valid until the Signer's next use.
func (s *Signer) Sign(sig *[SignatureSize]byte, now time.Time, userID string) []byte {
	s.ts = AppendTimestamp(s.ts[:0], now)
	n := len(s.ts)
	s.ts = append(s.ts, userID...)
	s.mac.Reset()
	s.mac.Write(s.ts)
	hex.Encode(sig[:], s.mac.Sum(s.sum[:0]))
	s.ts = s.ts[:n]
	return s.ts
}
