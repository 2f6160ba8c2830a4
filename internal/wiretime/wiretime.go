// Package wiretime holds the rule both wires follow when they write a time:
// the offset must be one a numeric zone of hours and minutes can carry.
package wiretime

import "time"

// WritableOffset returns t in a zone whose offset the wire can write. Both
// APIs write times with a numeric offset of hours and minutes; an offset
// with seconds (a local mean time before time zones, such as
// Europe/Amsterdam's +00:19:32) cannot be written, so such a time is
// returned in UTC, which names the same instant.
func WritableOffset(t time.Time) time.Time {
	if _, off := t.Zone(); off%60 != 0 {
		return t.UTC()
	}
	return t
}
