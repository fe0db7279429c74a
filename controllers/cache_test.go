package controllers

import (
	"compress/gzip"
	"testing"
	"time"

	"github.com/cse-motors/cse-motors/middleware"
)

// A page built from data read before a Clear is not stored after it: the
// change it missed would otherwise stay hidden for the cache's lifetime.
func TestPageBuiltBeforeAClearIsNotCached(t *testing.T) {
	pc := newPageCache(time.Minute, middleware.NewGzipper(gzip.BestSpeed))
	gen := pc.generation() // a request starts, reads the vehicle...
	pc.Clear()             // ...a change is saved meanwhile...
	pc.put("/inv/detail/5", []byte("old page"), gen)
	if _, ok, _ := pc.get("/inv/detail/5"); ok {
		t.Error("a page built before the Clear was cached")
	}
	pc.put("/inv/detail/5", []byte("new page"), pc.generation())
	if page, _, fresh := pc.get("/inv/detail/5"); !fresh || string(page.body) != "new page" {
		t.Errorf("a page built after the Clear: %q, fresh %v; want it cached", page.body, fresh)
	}
}
