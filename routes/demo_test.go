package routes_test

// The development demos (/demo/flash, /demo/session, pprof): what they show and store, and that production has none of them.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestFlashDemoShowsOnceUnderTheH1(t *testing.T) {
	a := newApp(t, "development")
	a.browser().get("/")

	n, rec := a.statements("/demo/flash", "")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
		t.Fatalf("/demo/flash = %d to %q; want 303 to /", rec.Code, rec.Header().Get("Location"))
	}
	if n != 1 {
		t.Errorf("/demo/flash sent %d statements; want 1 (the INSERT of the session and its message)", n)
	}
	c := sessionCookie(rec)
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Fatalf("session cookie = %+v; want HttpOnly, SameSite=Lax, Path=/ (not Secure in development)", c)
	}
	t.Logf("Set-Cookie: %s", rec.Header().Get("Set-Cookie"))

	var typ, msg string
	a.db.QueryRow(`SELECT type, message FROM flash WHERE sid = $1`, sid(c.Value)).Scan(&typ, &msg)
	if typ != "notice" || msg != "This is a flash message." {
		t.Errorf("flash row = %q, %q; want the notice waiting in the flash table", typ, msg)
	}

	n, rec = a.statements("/", c.Value)
	body := rec.Body.String()
	// The banner comes right after the h1: one notice list with the message.
	want := `<h1>Welcome to CSE Motors!</h1>
		<div id="messages" role="status" aria-live="polite">
			<ul class="notice"><li>This is a flash message.</li></ul>
		</div>`
	if !strings.Contains(flat(body), flat(want)) {
		t.Errorf("GET / after the redirect lacks the banner under the h1:\n%s", body)
	}
	if n != 1 {
		t.Errorf("GET / showing the flash sent %d statements; want 1 (the load that takes it)", n)
	}
	if sessionCookie(rec) != nil {
		t.Error("showing the flash re-sent the cookie; the ID did not change")
	}
	if n := a.count(`SELECT count(*) FROM flash WHERE taken_by IS NULL`); n != 0 {
		t.Errorf("after showing it %d flash rows still wait", n)
	}

	n, rec = a.statements("/", c.Value)
	if strings.Contains(rec.Body.String(), `id="messages"`) {
		t.Error("the flash showed again on reload")
	}
	if n := a.count(`SELECT count(*) FROM flash`); n != 0 {
		t.Errorf("after the next page %d flash rows are left; want 0 (that page deletes what the last one showed)", n)
	}
	if n != 1 {
		t.Errorf("GET / with a session sent %d statements; want 1 (the SELECT)", n)
	}
}

func TestSessionDemoPage(t *testing.T) {
	a := newApp(t, "development")
	b := a.browser()
	page := b.get("/demo/session").Body.String()
	if !strings.Contains(flat(page), flat("holds no <code>sessionId</code> cookie yet")) || !strings.Contains(page, `<span class="bib-number">no bib</span>`) {
		t.Fatalf("first visit to the demo lacks the explanation:\n%s", page)
	}
	if a.sessionRows() != 0 {
		t.Fatal("viewing the demo created a session")
	}

	b.follow(b.post("/demo/session/flash", url.Values{}))
	page = b.last
	id := sid(b.cookie)
	for _, want := range []string{b.cookie, `<code id="state-id">` + id + "</code>", "<td>notice</td><td>This is a flash message.</td>",
		"WHERE sid = '" + id + "'"} {
		if !strings.Contains(page, want) {
			t.Errorf("demo page lacks %q", want)
		}
	}
	if want := `<dt>Flash messages waiting</dt><dd id="state-waiting">1</dd>`; !strings.Contains(flat(page), flat(want)) {
		t.Errorf("demo page lacks %q", want)
	}
	if strings.Contains(page, `<div id="messages"`) {
		t.Error("the demo page consumed the waiting flash")
	}

	b.follow(b.post("/demo/session/rotate", url.Values{}))
	if sid(b.cookie) == id || !strings.Contains(b.last, `<code id="state-id">`+sid(b.cookie)+"</code>") {
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
	if page := b.follow(rec).Body.String(); !strings.Contains(flat(page), flat("holds no <code>sessionId</code> cookie yet")) {
		t.Error("after destroy the demo still shows a session")
	}

	prod := newApp(t, "production")
	for _, p := range []string{"/demo/session", "/demo/flash"} {
		if rec := prod.browser().get(p); rec.Code != http.StatusNotFound {
			t.Errorf("production GET %s = %d; want 404", p, rec.Code)
		}
	}
}

func TestDemoRoutesAre404InProduction(t *testing.T) {
	a := newApp(t, "production")
	for _, p := range []string{"/demo/flash", "/debug/pprof/", "/debug/pprof/heap"} {
		if rec := a.browser().get(p); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s in production = %d; want 404", p, rec.Code)
		}
	}
	if rec := newApp(t, "development").browser().get("/debug/pprof/heap"); rec.Code != http.StatusOK {
		t.Errorf("GET /debug/pprof/heap in development = %d; want 200", rec.Code)
	}
	if n := a.sessionRows(); n != 0 {
		t.Errorf("production /demo/flash wrote %d session rows", n)
	}
	if c := sessionCookie(a.browser().get("/")); c != nil {
		t.Errorf("cookie set in production on GET /: %v", c)
	}
	if h := a.browser().get("/").Header().Get("Strict-Transport-Security"); h == "" {
		t.Error("no HSTS header in production")
	}
}
