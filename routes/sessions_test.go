package routes_test

// Sessions: the ID never leaks, visitors without a cookie cost no session and no SQL, and instances and secret rotations share sessions safely.

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Visitors without a cookie get no session row and send no SQL: the
// navigation is cached and a session starts only when one is needed.
func TestCookielessVisitsWriteNoSessionAndNoSQL(t *testing.T) {
	a := newApp(t, "development")
	a.browser().get("/") // warms the navigation cache
	before := a.counter.Count()
	for range 1000 {
		if rec := a.browser().get("/"); rec.Code != http.StatusOK {
			t.Fatalf("GET / = %d", rec.Code)
		}
	}
	if n := a.counter.Count() - before; n != 0 {
		t.Errorf("1000 cookieless GETs of / sent %d statements; want 0", n)
	}
	if n := a.sessionRows(); n != 0 {
		t.Errorf("1000 cookieless GETs of / added %d session rows; want 0", n)
	}
}

// The session ID is a bearer credential: it must never show in a log line,
// a URL or a page (outside the development demo that exists to show it).
func TestSessionIDNeverLeaks(t *testing.T) {
	a := newApp(t, "production")
	a.account("Ada", "ada@example.com", "Client")
	b := a.browser()
	var ids []string
	seen := func() {
		if b.cookie != "" {
			ids = append(ids, sid(b.cookie))
		}
	}
	var pages []string
	visit := func(rec *httptest.ResponseRecorder) {
		seen()
		pages = append(pages, rec.Body.String(), rec.Header().Get("Location"))
	}
	visit(b.get("/account/"))           // "Please log in." starts a session
	visit(b.follow(b.get("/account/"))) // the login page shows it
	visit(b.post("/account/login", url.Values{"account_email": {"ada@example.com"}, "account_password": {"Wrong!Passw0rd1"}}))
	visit(b.post("/account/login", url.Values{"account_email": {"ada@example.com"}, "account_password": {goodPassword}}))
	visit(b.get("/account/"))
	visit(b.get("/no/such/page"))
	visit(b.get("/error/trigger"))
	old := b.cookie
	visit(b.post("/account/logout", url.Values{}))
	b.cookie = old // replay the ended session
	visit(b.get("/account/"))
	b.cookie = old[:len(old)-2] + "xx" // and a tampered one
	visit(b.get("/"))

	if len(ids) < 3 {
		t.Fatalf("only %d session IDs seen", len(ids))
	}
	logs := a.logs.String()
	if !strings.Contains(logs, "intentional error") {
		t.Fatal("the app's log was not captured")
	}
	for _, id := range ids {
		if strings.Contains(logs, id) {
			t.Errorf("the log shows session ID %s", id)
		}
		for _, p := range pages {
			if strings.Contains(p, id) {
				t.Errorf("a page or a Location shows session ID %s", id)
			}
		}
	}
}

// Two instances on one database share sessions; one with another secret
// treats the first one's cookies as no session, without an error page, and
// says so in its log once.
func TestTwoInstancesOnOneDatabase(t *testing.T) {
	a := newApp(t, "production")
	a.account("Ada", "ada@example.com", "Client")
	twin := instance(t, a.db, "", "production", testSecret)
	stranger := instance(t, a.db, "", "production", "another-secret-another-secret-another-42")

	b := a.browser()
	b.login("ada@example.com", goodPassword)
	onTwin := twin.browserWith(b.cookie)
	if page := onTwin.get("/account/").Body.String(); !strings.Contains(page, "Welcome Ada") {
		t.Fatal("logged in on one instance, not on the other")
	}
	for range 3 {
		s := stranger.browserWith(b.cookie)
		if rec := s.get("/account/"); rec.Code != http.StatusSeeOther {
			t.Errorf("an instance with another secret = %d; want the login redirect (anonymous)", rec.Code)
		}
	}
	if n := strings.Count(stranger.logs.String(), "bad signature"); n != 1 {
		t.Errorf("the instance with another secret logged the bad cookies %d times; want once", n)
	}
	onTwin.post("/account/logout", url.Values{})
	if rec := b.get("/account/"); rec.Code != http.StatusSeeOther {
		t.Errorf("logged out on one instance, the cookie still works on the other (%d)", rec.Code)
	}
}

// Rotating SESSION_SECRET: with the old secret as SESSION_SECRET_PREVIOUS
// nobody is logged out; once it is dropped, old cookies are no session.
func TestSecretRotationKeepsPeopleLoggedIn(t *testing.T) {
	a := newApp(t, "production")
	a.account("Ada", "ada@example.com", "Client")
	b := a.browser()
	b.login("ada@example.com", goodPassword)
	const next = "the-next-secret-the-next-secret-the-next-42"
	rotating := instance(t, a.db, "", "production", next, testSecret)
	c := rotating.browserWith(b.cookie)
	if page := c.get("/account/").Body.String(); !strings.Contains(page, "Welcome Ada") {
		t.Fatal("logged out by the new secret although the old one is listed as previous")
	}
	rotated := instance(t, a.db, "", "production", next)
	d := rotated.browserWith(b.cookie)
	if rec := d.get("/account/"); rec.Code != http.StatusSeeOther {
		t.Errorf("after dropping the old secret, its cookie = %d; want the login redirect", rec.Code)
	}
}
