package middleware

import (
	"sync"
	"time"
)

// Throttle counts failed logins per key (a client address, an email) in a
// sliding window and says when a key has failed too often. It treats an
// email that has no account like one that has, so refusals reveal nothing
// about which emails exist. State is per instance, which is enough to turn
// an online guessing attack from thousands of tries a minute into a few.
type Throttle struct {
	limit  int
	window time.Duration
	mu     sync.Mutex
	fails  map[string][]time.Time
}

// NewThrottle allows limit failures per key within window.
func NewThrottle(limit int, window time.Duration) *Throttle {
	return &Throttle{limit: limit, window: window, fails: map[string][]time.Time{}}
}

// Blocked reports whether any of keys has reached the limit, and for how
// long it stays blocked.
func (t *Throttle) Blocked(keys ...string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	var wait time.Duration
	for _, k := range keys {
		f := t.recent(k, now)
		if len(f) >= t.limit {
			wait = max(wait, f[0].Add(t.window).Sub(now))
		}
	}
	return wait > 0, wait
}

// Fail records a failure for each key.
func (t *Throttle) Fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	for _, k := range keys {
		t.fails[k] = append(t.recent(k, now), now)
	}
	if len(t.fails) > 100_000 {
		t.sweep(now) // bound memory under a spray of distinct keys
	}
}

// Reset forgets key's failures (after a successful login).
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
}

func (t *Throttle) recent(k string, now time.Time) []time.Time {
	f := t.fails[k]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= t.window {
		i++
	}
	if i == len(f) {
		delete(t.fails, k)
		return nil
	}
	f = f[i:]
	t.fails[k] = f
	return f
}

func (t *Throttle) sweep(now time.Time) {
	for k := range t.fails {
		t.recent(k, now)
	}
}
