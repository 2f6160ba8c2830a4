package marketotest

import "slices"

// requestLog keeps the most recent requests in a ring, each body cut to
// maxBody bytes, so that what the fake remembers stays bounded however long
// it runs and whatever it is sent.
type requestLog struct {
	max, maxBody int
	ring         []Request
	next         int // where the next request goes once the ring is full: the oldest
}

func (l *requestLog) add(r Request) {
	if len(r.Body) > l.maxBody {
		// Copy the kept bytes so that the whole body can be freed.
		r.Body = slices.Clone(r.Body[:l.maxBody])
	}
	switch {
	case l.max == 0:
	case len(l.ring) < l.max:
		l.ring = append(l.ring, r)
	default:
		l.ring[l.next] = r
		l.next = (l.next + 1) % l.max
	}
}

// snapshot returns the requests kept, oldest first, with their own bodies.
func (l *requestLog) snapshot() []Request {
	out := make([]Request, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	out = append(out, l.ring[:l.next]...)
	for i := range out {
		out[i].Body = slices.Clone(out[i].Body)
	}
	return out
}
