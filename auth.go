package marketo

import (
	"crypto/sha1"
	"encoding/hex"
	"hash"
	"time"
)

// timestampLayout is the W3C date-time Marketo expects in requestTimestamp:
// seconds and a numeric offset. The layout's "-07:00" writes "+00:00" for UTC,
// never "Z".
const timestampLayout = "2006-01-02T15:04:05-07:00"

// appendTimestamp appends t as requestTimestamp carries it, in a zone
// whose offset can be written (see writableOffset).
func appendTimestamp(b []byte, t time.Time) []byte {
	return writableOffset(t).AppendFormat(b, timestampLayout)
}

// signer signs requests with an HMAC keyed once. A Client keeps signers in a
// pool, so a request costs one HMAC and no allocations.
type signer struct {
	mac hash.Hash
	ts  []byte // the timestamp, then the signed message
	sum [sha1.Size]byte
}

// sign writes the signature of a request made at now to sig and returns the
// timestamp it signed, valid until the signer's next use.
func (s *signer) sign(sig *[2 * sha1.Size]byte, now time.Time, userID string) []byte {
	s.ts = appendTimestamp(s.ts[:0], now)
	n := len(s.ts)
	s.ts = append(s.ts, userID...)
	s.mac.Reset()
	s.mac.Write(s.ts)
	hex.Encode(sig[:], s.mac.Sum(s.sum[:0]))
	s.ts = s.ts[:n]
	return s.ts
}
