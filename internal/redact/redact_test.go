package redact

import (
	"sync"
	"testing"
)

// TestFormsOfAlternatingSecrets: the forms kept from one secret are never
// used for another, even when goroutines alternate between them.
func TestFormsOfAlternatingSecrets(t *testing.T) {
	t.Parallel()
	secrets := []string{"tok-1:int", "tok 2:int", "0123abcd", "tok/3?x"}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				sec := secrets[(g+i)%len(secrets)]
				text := "a " + sec + " b"
				if got, want := String(text, sec), "a "+Text+" b"; got != want {
					t.Errorf("String(%q, %q) = %q, want %q", text, sec, got, want)
					return
				}
				for _, other := range secrets {
					if other != sec && Holds(text, other) {
						t.Errorf("%q said to hold %q", text, other)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestHoldsTakesNoAllocation: checking an answer for an access token,
// which has a colon to escape, allocates only the first time. It is not
// parallel: AllocsPerRun counts the allocations of the whole process, and
// the parallel tests start only after the sequential ones.
func TestHoldsTakesNoAllocation(t *testing.T) {
	const token = "cdf01657-110d-4155-99a7-f986b2ff13a0:int"
	body := []byte(`{"requestId":"e42b#1","result":[{"id":1001}],"success":true}`)
	allocs := testing.AllocsPerRun(100, func() {
		if Holds(body, token) {
			t.Fatal("the answer holds no token")
		}
	})
	if allocs != 0 {
		t.Errorf("Holds took %.1f allocations a call, want 0", allocs)
	}
}
