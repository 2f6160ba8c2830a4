package marketo

import "time"

// timeQueue is a first-in first-out queue of times in a ring that grows
// with use: the Limiter's window holds one time per done call still
// counting, so its memory follows the calls made, not CallsPerWindow.
type timeQueue struct {
	ring []time.Time
	head int // index of the oldest time
	n    int // times queued
}

func (q *timeQueue) len() int { return q.n }

// push queues t, growing the ring when it is full.
func (q *timeQueue) push(t time.Time) {
	if q.n == len(q.ring) {
		grown := make([]time.Time, max(8, 2*len(q.ring)))
		for i := range q.n {
			grown[i] = q.ring[(q.head+i)%len(q.ring)]
		}
		q.ring, q.head = grown, 0
	}
	q.ring[(q.head+q.n)%len(q.ring)] = t
	q.n++
}

// first returns the oldest time queued.
func (q *timeQueue) first() (time.Time, bool) {
	if q.n == 0 {
		return time.Time{}, false
	}
	return q.ring[q.head], true
}

// dropUntil drops the times at the head that are not after now. Times are
// queued in the order of the clock, so those behind the head are later; a
// clock that went back queues an earlier one behind a later one, which
// then leaves with it: a call counts too long, never too short.
func (q *timeQueue) dropUntil(now time.Time) {
	for q.n > 0 && !q.ring[q.head].After(now) {
		q.ring[q.head] = time.Time{}
		q.head = (q.head + 1) % len(q.ring)
		q.n--
	}
}
