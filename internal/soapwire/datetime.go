package soapwire

import (
	"time"

	"github.com/mktows/marketo/internal/wiretime"
)

// FormatDateTime writes t as an xs:dateTime with a numeric offset in t's own
// location, with fractional seconds only when t has them, so the instant is
// exact.
func FormatDateTime(t time.Time) string {
	return wiretime.WritableOffset(t).Format("2006-01-02T15:04:05.999999999-07:00")
}

// parseDateTime parses an xs:dateTime with an offset or Z, with or without
// fractional seconds. A time without a zone is read as UTC.
func parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05.999999999", s)
}
