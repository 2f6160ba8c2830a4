package marketo

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
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
	if _, off := t.Zone(); off%60 != 0 {
		t = t.UTC()
	}
	return t.Format(timestampLayout)
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
