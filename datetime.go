package marketo

import "time"

// writableOffset returns t in a zone whose offset the wire can write. Both
// APIs write times with a numeric offset of hours and minutes; an offset
// with seconds (a local mean time before time zones, such as
// Europe/Amsterdam's +00:19:32) cannot be written, so such a time is
// returned in UTC, which names the same instant.
func writableOffset(t time.Time) time.Time {
	if _, off := t.Zone(); off%60 != 0 {
		return t.UTC()
	}
	return t
}

// formatDateTime writes t as an xs:dateTime with a numeric offset in t's own
// location, with fractional seconds only when t has them, so the instant is
// exact.
func formatDateTime(t time.Time) string {
	return writableOffset(t).Format("2006-01-02T15:04:05.999999999-07:00")
}
