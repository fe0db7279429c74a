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

// Attempt records a try for each key unless one of them is blocked, all
// under one lock, so parallel requests cannot all pass a check made before
// the slow password comparison. A try that succeeds is given back with
// Forgive.
func (t *Throttle) Attempt(keys ...string) (ok bool, wait time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	for _, k := range keys {
		if f := t.recent(k, now); len(f) >= t.limit {
			wait = max(wait, f[0].Add(t.window).Sub(now))
		}
	}
	if wait > 0 {
		return false, wait
	}
	for _, k := range keys {
		t.fails[k] = append(t.recent(k, now), now)
	}
	if len(t.fails) > 100_000 {
		t.sweep(now) // bound memory under a spray of distinct keys
	}
	return true, 0
}

// Forgive takes back the latest try recorded for key.
func (t *Throttle) Forgive(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if f := t.fails[key]; len(f) > 0 {
		t.fails[key] = f[:len(f)-1]
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
