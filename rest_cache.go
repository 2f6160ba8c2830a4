package marketo

import (
	"context"
	"sync"
	"time"
)

// lookupCache remembers what REST lookups found (campaign and list IDs, the
// lead fields) for CampaignCacheLifetime. Callers looking up the same key
// at once share one lookup: the others wait for it, each as long as its
// own context allows, holding nothing the lookup needs (no limiter slot,
// no lock), and then find its result cached; if it failed, the next of
// them makes its own.
type lookupCache[K comparable, V any] struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[K]cachedLookup[V]
	busy    map[K]chan struct{} // a lookup in progress; closed when it ends
}

type cachedLookup[V any] struct {
	value   V
	expires time.Time
}

func newLookupCache[K comparable, V any](now func() time.Time) *lookupCache[K, V] {
	return &lookupCache[K, V]{now: now, entries: map[K]cachedLookup[V]{}, busy: map[K]chan struct{}{}}
}

// get returns k's value if it is cached and has not expired.
func (c *lookupCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(k)
}

func (c *lookupCache[K, V]) getLocked(k K) (V, bool) {
	e, ok := c.entries[k]
	if !ok || !c.now().Before(e.expires) {
		delete(c.entries, k)
		var zero V
		return zero, false
	}
	return e.value, true
}

// resolve returns k's value from the cache, or from lookup, shared with
// the callers resolving k at the same time.
func (c *lookupCache[K, V]) resolve(ctx context.Context, k K, lookup func(context.Context) (V, error)) (V, error) {
	for {
		c.mu.Lock()
		if v, ok := c.getLocked(k); ok {
			c.mu.Unlock()
			return v, nil
		}
		wait, busy := c.busy[k]
		if !busy {
			done := make(chan struct{})
			c.busy[k] = done
			c.mu.Unlock()
			v, err := lookup(ctx)
			c.mu.Lock()
			delete(c.busy, k)
			if err == nil {
				c.entries[k] = cachedLookup[V]{value: v, expires: c.now().Add(CampaignCacheLifetime)}
			}
			c.mu.Unlock()
			close(done)
			return v, err
		}
		c.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
}

// dropIf forgets every entry whose value matches.
func (c *lookupCache[K, V]) dropIf(match func(V) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if match(e.value) {
			delete(c.entries, k)
		}
	}
}
