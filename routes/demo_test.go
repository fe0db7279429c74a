package routes_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSessionDemoPage(t *testing.T) {
	a := newApp(t, "development")
	b := a.browser()
	page := b.get("/demo/session").Body.String()
	if !strings.Contains(page, "holds no <code>sessionId</code> cookie yet") || !strings.Contains(page, "race-bib.svg") {
		t.Fatalf("first visit to the demo lacks the explanation:\n%s", page)
	}
	if a.sessionRows() != 0 {
		t.Fatal("viewing the demo created a session")
	}

	b.follow(b.post("/demo/session/flash", url.Values{}))
	page = b.last
	id := sid(b.cookie)
	for _, want := range []string{b.cookie, "<code>" + id + "</code>", `&#34;flash&#34;: {`,
		"This is a flash message.", "<dt>Flash messages waiting</dt><dd>1</dd>", "WHERE sid = '" + id + "'"} {
		if !strings.Contains(page, want) {
			t.Errorf("demo page lacks %q", want)
		}
	}
	if strings.Contains(page, `<div id="messages"`) {
		t.Error("the demo page consumed the waiting flash")
	}

	b.follow(b.post("/demo/session/rotate", url.Values{}))
	if sid(b.cookie) == id || !strings.Contains(b.last, "<code>"+sid(b.cookie)+"</code>") {
		t.Error("rotate did not show a new ID")
	}
	if a.count(`SELECT count(*) FROM session WHERE sid = $1`, id) != 0 {
		t.Error("the old row survived the rotation")
	}
	if !strings.Contains(b.last, "This is a flash message.") {
		t.Error("rotation lost the data")
	}

	rec := b.post("/demo/session/destroy", url.Values{})
	if b.cookie != "" || a.sessionRows() != 0 {
		t.Errorf("destroy left cookie %q and %d rows", b.cookie, a.sessionRows())
	}
	if page := b.follow(rec).Body.String(); !strings.Contains(page, "holds no <code>sessionId</code> cookie yet") {
		t.Error("after destroy the demo still shows a session")
	}

	prod := newApp(t, "production")
	for _, p := range []string{"/demo/session", "/demo/flash"} {
		if rec := prod.get(p, ""); rec.Code != http.StatusNotFound {
			t.Errorf("production GET %s = %d; want 404", p, rec.Code)
		}
	}
}
