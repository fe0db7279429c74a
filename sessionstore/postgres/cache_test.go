package postgres_test

import (
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
