package routes_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

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

// Every response carries the security headers: pages, error pages,
// redirects, JSON and static files.
func TestSecurityHeadersEverywhere(t *testing.T) {
	a := newApp(t, "production")
	staff := a.staffBrowser("Employee")
	for _, tc := range []struct {
		b    *browser
		path string
	}{
		{a.browser(), "/"}, {a.browser(), "/no/such/page"}, {a.browser(), "/error/trigger"},
		{a.browser(), "/account/"}, {a.browser(), "/css/styles.css"}, {a.browser(), "/images/vehicles/camaro.svg"},
		{staff, "/inv/getInventory/1"}, {staff, "/inv/"},
	} {
		h := tc.b.get(tc.path).Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") ||
			strings.Contains(csp, "unsafe-inline") || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Referrer-Policy") == "" || !strings.HasPrefix(h.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("GET %s lacks security headers: %v", tc.path, h)
		}
	}
}

// The login limiter keys on the client's real address: a forwarded
// address counts only when it comes from a trusted proxy.
func TestLimiterUsesTheRealClientAddress(t *testing.T) {
	a := newApp(t, "development")
	login := func(remote, forwarded, email string) int {
		form := url.Values{"account_email": {email}, "account_password": {"Wrong!Passw0rd1"}}
		req := httptest.NewRequest(http.MethodPost, "/account/login", strings.NewReader(form.Encode()))
		req.RemoteAddr = remote
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://example.com")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		rec := httptest.NewRecorder()
		a.router.ServeHTTP(rec, req)
		return rec.Code
	}
	// No proxy is trusted here: spoofing X-Forwarded-For with a new address
	// for each try does not escape the per-client limit.
	codes := map[int]int{}
	for i := range 15 {
		codes[login("198.51.100.7:4000", "203.0.113."+itoa(i), "user"+itoa(i)+"@example.com")]++
	}
	if codes[http.StatusTooManyRequests] != 5 {
		t.Errorf("15 tries from one client behind spoofed addresses: %v; want 10 checked, 5 refused", codes)
	}
	// Another client is not affected by the first one's failures.
	if code := login("192.0.2.9:4000", "", "someone@example.com"); code != http.StatusUnauthorized {
		t.Errorf("a different client = %d; want 401", code)
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
	onTwin := twin.browser()
	onTwin.cookie = b.cookie
	if page := onTwin.get("/account/").Body.String(); !strings.Contains(page, "Welcome Ada") {
		t.Fatal("logged in on one instance, not on the other")
	}
	for range 3 {
		s := stranger.browser()
		s.cookie = b.cookie
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

// xssPayloads are classic markup injections; none may reach a page as
// markup, whichever field echoes it.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'><svg onload=alert(1)>`,
	`</textarea><script>alert(1)</script>`,
	`</title><script>alert(1)</script>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<iframe srcdoc="<script>alert(1)</script>">`,
	`<<script>script>alert(1)<</script>/script>`,
	`<style>*{display:none}</style>`,
	`<!--<script>alert(1)//-->`,
}

func TestEchoedFieldsNeverRenderMarkup(t *testing.T) {
	a := newApp(t, "development")
	staff := a.staffBrowser("Admin")
	tried, rendered := 0, 0
	check := func(where, payload, body string) {
		tried++
		if strings.Contains(body, payload) {
			rendered++
			t.Errorf("%s rendered %q as markup", where, payload)
		}
	}
	for i, p := range xssPayloads {
		// Sticky registration fields (the password is too short, so the
		// form comes back) and the registration flash with the first name.
		b := a.browser()
		b.get("/account/register")
		body := b.post("/account/register", url.Values{"account_firstname": {p}, "account_lastname": {p},
			"account_email": {p}, "account_password": {"short"}}).Body.String()
		check("register form", p, body)
		rec := b.post("/account/register", url.Values{"account_firstname": {p}, "account_lastname": {"Tester"},
			"account_email": {"x" + itoa(i) + "@example.com"}, "account_password": {goodPassword}})
		check("registration flash", p, b.follow(rec).Body.String())

		// The vehicle form's fields, the detail page and the edit form.
		color := p
		if len(color) > 30 { // the color field's limit
			color = color[:30]
		}
		staff.get("/inv/add-inventory")
		form := url.Values{"classification_id": {"1"}, "inv_make": {p}, "inv_model": {p}, "inv_year": {"2020"},
			"inv_description": {p}, "inv_image": {"/images/vehicles/no-image.svg"},
			"inv_thumbnail": {"/images/vehicles/no-image-tn.svg"}, "inv_price": {"1"}, "inv_miles": {"1"}, "inv_color": {color}}
		rec = staff.post("/inv/add-inventory", form)
		check("add-vehicle flash", p, staff.follow(rec).Body.String())
		var id int
		a.db.QueryRow(`SELECT max(inv_id) FROM inventory`).Scan(&id)
		check("vehicle detail", p, a.browser().get("/inv/detail/"+itoa(id)).Body.String())
		check("vehicle grid", p, a.browser().get("/inv/type/1").Body.String())
		check("edit form", p, staff.get("/inv/edit/"+itoa(id)).Body.String())
		form.Set("inv_year", "bad")
		check("sticky vehicle form", p, staff.post("/inv/add-inventory", form).Body.String())
		// The classification form echoes its field too.
		staff.get("/inv/add-classification")
		check("classification form", p, staff.post("/inv/add-classification", url.Values{"classification_name": {p}}).Body.String())
		// And the JSON list must not turn it into markup either.
		raw := staff.get("/inv/getInventory/1").Body.String()
		check("JSON list", p, raw)
	}
	t.Logf("XSS: %d payload placements tried, %d rendered as markup", tried, rendered)
}

// SQL in any field is stored and shown as the text it is.
func TestSQLPayloadsAreJustText(t *testing.T) {
	a := newApp(t, "development")
	for i, p := range []string{`Robert'); DROP TABLE account;--`, `' OR '1'='1`, `1; DELETE FROM session`, `\'; SELECT pg_sleep(5);--`} {
		b := a.browser()
		b.get("/account/register")
		rec := b.post("/account/register", url.Values{"account_firstname": {p}, "account_lastname": {p},
			"account_email": {"sql" + itoa(i) + "@example.com"}, "account_password": {goodPassword}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("registering %q = %d", p, rec.Code)
		}
		var first string
		a.db.QueryRow(`SELECT account_firstname FROM account WHERE account_email = $1`, "sql"+itoa(i)+"@example.com").Scan(&first)
		if first != p {
			t.Errorf("stored first name %q; want %q verbatim", first, p)
		}
		b.follow(rec) // the login page, with its form token
		login := b.post("/account/login", url.Values{"account_email": {`' OR '1'='1`}, "account_password": {p}})
		if login.Code != http.StatusUnauthorized {
			t.Errorf("SQL in the login form = %d; want 401", login.Code)
		}
	}
	if n := a.count(`SELECT count(*) FROM account`); n != 4 {
		t.Errorf("%d accounts; want the 4 registered", n)
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
	c := rotating.browser()
	c.cookie = b.cookie
	if page := c.get("/account/").Body.String(); !strings.Contains(page, "Welcome Ada") {
		t.Fatal("logged out by the new secret although the old one is listed as previous")
	}
	rotated := instance(t, a.db, "", "production", next)
	d := rotated.browser()
	d.cookie = b.cookie
	if rec := d.get("/account/"); rec.Code != http.StatusSeeOther {
		t.Errorf("after dropping the old secret, its cookie = %d; want the login redirect", rec.Code)
	}
}
