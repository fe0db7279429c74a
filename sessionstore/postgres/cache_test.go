package postgres_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// The store keeps the rows it read or wrote (cache.go), but the table
// stays the truth: a change made by another app instance or by hand, and
// a session ended elsewhere, show at the next request.
func TestKeptRowsFollowTheTable(t *testing.T) {
	h := newHarness(t)
	cookie := h.newSession("name", "Ada")
	for range 2 { // the second read starts from the kept row
		if got := h.get("/get?k=name", cookie).body; got != "Ada" {
			t.Fatalf("/get = %q; want Ada", got)
		}
	}
	if _, err := h.db.Exec(`UPDATE session SET sess = jsonb_set(sess, '{name}', '"Grace"')`); err != nil {
		t.Fatal(err)
	}
	if got := h.get("/get?k=name", cookie).body; got != "Grace" {
		t.Errorf("after a change by hand, /get = %q; want Grace", got)
	}
	other := h.serve(postgres.NewStore(h.db, secret)) // a second app instance
	if r := h.do(other, "/set?k=name&v=Linus", cookie); r.status != 200 {
		t.Fatalf("/set on the other instance = %d", r.status)
	}
	if got := h.get("/get?k=name", cookie).body; got != "Linus" {
		t.Errorf("after a change by another instance, /get = %q; want Linus", got)
	}
	h.do(other, "/destroy", cookie)
	if r := h.get("/get?k=name", cookie); r.body != "" || h.rows("") != 0 {
		t.Errorf("after a logout on another instance, /get = %q with %d rows; want nothing", r.body, h.rows(""))
	}
}

// A flash queue from a kept row is the request's own: changing it in
// place, without saving, changes nothing for the next request.
func TestKeptQueueIsEachRequestsOwn(t *testing.T) {
	h := newHarness(t)
	cookie := h.newSession("name", "Ada")
	h.get("/flash?m=saved", cookie)
	h.get("/scribble", cookie)
	if got := h.get("/take", cookie).body; got != "saved" {
		t.Errorf("/take after an unsaved change in place = %q; want saved", got)
	}
}

// A request that slides an unchanged session's expiry does not keep its
// own values under the row's new version: another request may have
// changed the row between this one's read and its refresh.
func TestRefreshAfterAChangeElsewhereKeepsNothingStale(t *testing.T) {
	h := newHarness(t)
	cookie := h.newSession("name", "Ada")
	if _, err := h.db.Exec(`UPDATE session SET expire = now() + interval '30 minutes'`); err != nil {
		t.Fatal(err) // so that the next request slides the expiry
	}
	h.hook = func(path string) { // between this request's read and its save
		if _, err := h.db.Exec(`UPDATE session SET sess = jsonb_set(sess, '{name}', '"Grace"')`); err != nil {
			t.Error(err)
		}
	}
	if got := h.get("/get?k=name", cookie).body; got != "Ada" {
		t.Fatalf("/get during the change = %q; want Ada (read before it)", got)
	}
	h.hook = nil
	if got := h.get("/get?k=name", cookie).body; got != "Grace" {
		t.Errorf("/get after the change = %q; want Grace", got)
	}
}

// The page after the request that queued a message takes it as it loads:
// one statement where a read and a write would be two. The table stays the
// truth: a message added elsewhere shows too, and an expired session
// shows nothing.
func TestPageTakesKeptMessagesInOneStatement(t *testing.T) {
	h := newHarness(t)
	h.store.TakeQueues = isGet
	cookie := h.newSession("name", "Ada")
	h.post("/flash?m=saved", cookie)
	before := len(h.counter.Queries())
	if got := h.get("/take", cookie).body; got != "saved" {
		t.Fatalf("/take = %q; want saved", got)
	}
	if n := len(h.counter.Queries()) - before; n != 1 {
		t.Errorf("the page that showed the message ran %d statements; want 1: %q", n, h.counter.Queries()[before:])
	}
	if n := h.rows(`WHERE sess ? 'flash'`); n != 0 {
		t.Errorf("%d rows still hold the message after it was shown", n)
	}
	if got := h.get("/take", cookie).body; got != "" {
		t.Errorf("the message was shown twice: %q", got)
	}

	h.post("/flash?m=one", cookie)
	if _, err := h.db.Exec(`UPDATE session SET sess = jsonb_set(sess, '{flash,notice}', sess #> '{flash,notice}' || '"two"')`); err != nil {
		t.Fatal(err) // as another instance would, after this one kept the row
	}
	if got := h.get("/take", cookie).body; got != "one,two" {
		t.Errorf("/take after a message was added elsewhere = %q; want one,two", got)
	}

	h.post("/flash?m=late", cookie)
	if _, err := h.db.Exec(`UPDATE session SET expire = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if got := h.get("/take", cookie).body; got != "" || h.rows(`WHERE expire > now()`) != 0 {
		t.Errorf("/take on an expired session = %q with %d live rows; want nothing", got, h.rows(`WHERE expire > now()`))
	}
}

// A request that does not show the messages it took at its load (a
// redirect, say) writes them back at its Save, merged with those queued
// meanwhile; one that never saves (a JSON answer) at its Settle.
func TestMessagesAPageDidNotShowAreWrittenBack(t *testing.T) {
	h := newHarness(t)
	h.store.TakeQueues = isGet
	cookie := h.newSession("name", "Ada")
	for _, path := range []string{"/get?k=name", "/nosave"} {
		h.post("/flash?m=one", cookie)
		if got := h.get(path, cookie).body; got != "Ada" {
			t.Fatalf("%s = %q; want Ada", path, got)
		}
		if got := h.get("/take", cookie).body; got != "one" {
			t.Errorf("/take after %s, which did not show the message, = %q; want one", path, got)
		}
	}

	h.post("/flash?m=one", cookie)
	h.hook = func(path string) {
		if path == "/get" { // after this page took "one" at its load
			h.hook = nil
			h.post("/flash?m=two", cookie)
		}
	}
	h.get("/get?k=name", cookie)
	got := strings.Split(h.get("/take", cookie).body, ",")
	slices.Sort(got)
	if !slices.Equal(got, []string{"one", "two"}) {
		t.Errorf("/take = %q; want one and two, once each", got)
	}
}

func isGet(r *http.Request) bool { return r.Method == http.MethodGet }
