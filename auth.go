package marketo

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"hash"
	"time"
)

// timestampLayout is the W3C date-time Marketo expects in requestTimestamp:
// seconds and a numeric offset. The layout's "-07:00" writes "+00:00" for UTC,
// never "Z".
const timestampLayout = "2006-01-02T15:04:05-07:00"

// formatTimestamp formats t for requestTimestamp. An offset that is not a
// whole number of minutes cannot be written in this form, so such a time is
// written in UTC instead (the same instant).
func formatTimestamp(t time.Time) string {
	return string(appendTimestamp(nil, t))
}

// appendTimestamp appends t as formatTimestamp writes it.
func appendTimestamp(b []byte, t time.Time) []byte {
	if _, off := t.Zone(); off%60 != 0 {
		t = t.UTC()
	}
	return t.AppendFormat(b, timestampLayout)
}

// signature returns the requestSignature for a request: the lowercase hex
// HMAC-SHA1 of timestamp followed by userID, keyed with the encryption key.
func signature(key []byte, timestamp, userID string) string {
	var buf [sha1.Size * 2]byte
	return string(appendSignature(buf[:0], key, timestamp, userID))
}

// appendSignature appends the signature to dst without intermediate strings.
func appendSignature(dst, key []byte, timestamp, userID string) []byte {
	m := hmac.New(sha1.New, key)
	m.Write([]byte(timestamp))
	m.Write([]byte(userID))
	var sum [sha1.Size]byte
	return hex.AppendEncode(dst, m.Sum(sum[:0]))
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
