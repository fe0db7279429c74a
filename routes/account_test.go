package routes_test

// Accounts: registration rules, login and logout, the login limiter, updating details and password, and returning to the page asked for.

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestRegisterLoginLogoutJourney(t *testing.T) {
	a := newApp(t, "development")
	b := a.browser()

	if rec := b.get("/account/register"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `name="account_firstname"`) {
		t.Fatalf("register page = %d", rec.Code)
	}
	rec := b.post("/account/register", url.Values{"account_firstname": {"Ada"}, "account_lastname": {"Lovelace"},
		"account_email": {" Ada@Example.COM "}, "account_password": {goodPassword}})
	if rec.Header().Get("Location") != "/account/login" {
		t.Fatalf("register redirect to %q; want /account/login", rec.Header().Get("Location"))
	}
	page := b.follow(rec).Body.String()
	if !strings.Contains(messages(page), "Congratulations, you&#39;re registered Ada. Please log in.") {
		t.Errorf("login page banner = %q", messages(page))
	}
	var hash, email string
	a.db.QueryRow(`SELECT account_password, account_email FROM account`).Scan(&hash, &email)
	if !strings.HasPrefix(hash, "$2a$") || email != "ada@example.com" {
		t.Errorf("stored email %q, hash %.7s; want the normalised email and a bcrypt hash", email, hash)
	}

	anon := b.cookie
	rec = b.post("/account/login", url.Values{"account_email": {"ada@example.com"}, "account_password": {goodPassword}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/" {
		t.Fatalf("login = %d to %q; want 303 to /account/", rec.Code, rec.Header().Get("Location"))
	}
	if b.cookie == "" || sid(b.cookie) == sid(anon) {
		t.Fatal("the session ID did not change at login")
	}
	if n := a.count(`SELECT count(*) FROM session WHERE sid = $1`, sid(anon)); n != 0 {
		t.Error("the pre-login session row survived the login")
	}
	if n := a.count(`SELECT count(*) FROM session WHERE sid = $1 AND sess->>'account_id' IS NOT NULL`, sid(b.cookie)); n != 1 {
		t.Error("the new session row does not hold the account id")
	}

	rec = b.follow(rec)
	page = rec.Body.String()
	for _, want := range []string{"<h2>Welcome Ada</h2>", "<strong>Client</strong>", `<a href="/account/">Welcome Ada</a>`,
		`action="/account/logout"`, `href="/account/update"`} {
		if !strings.Contains(page, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	if strings.Contains(page, "Inventory Management") || strings.Contains(page, "My Account") {
		t.Error("a Client sees Inventory Management, or the header still says My Account")
	}
	if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Vary") != "Cookie, Accept-Encoding" {
		t.Errorf("account page Cache-Control %q, Vary %q; want no-store and Cookie, Accept-Encoding",
			rec.Header().Get("Cache-Control"), rec.Header().Get("Vary"))
	}

	// A GET to the logout path changes nothing.
	loggedIn := b.cookie
	if rec := b.get("/account/logout"); rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" || b.cookie != loggedIn {
		t.Errorf("GET /account/logout = %d; want 405 (Allow: POST) and the session untouched", rec.Code)
	}
	rec = b.post("/account/logout", url.Values{})
	if rec.Header().Get("Location") != "/" {
		t.Fatalf("logout = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if b.cookie == "" || sid(b.cookie) == sid(loggedIn) {
		t.Errorf("logout did not replace the cookie: %v", rec.Header().Values("Set-Cookie"))
	}
	if n := a.count(`SELECT count(*) FROM session WHERE sid = $1`, sid(loggedIn)); n != 0 {
		t.Error("the logged-in session row survived the logout")
	}
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "You have been logged out.") {
		t.Errorf("after logout the banner is %q", got)
	}
	// The old cookie is useless now.
	old := a.browserWith(loggedIn)
	if rec := old.get("/account/"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/login" {
		t.Errorf("old cookie at /account/ = %d to %q; want a redirect to login", rec.Code, rec.Header().Get("Location"))
	}
}

func TestRegistrationRules(t *testing.T) {
	a := newApp(t, "development")
	a.account("Existing", "taken@example.com", "Client")
	valid := url.Values{"account_firstname": {"Grace"}, "account_lastname": {"Hopper"},
		"account_email": {"grace@example.com"}, "account_password": {goodPassword}}
	for _, tc := range []struct{ field, value, want string }{
		{"account_firstname", "", "Please provide a first name."},
		{"account_lastname", "H", "Please provide a last name"},
		{"account_email", "not-an-email", "A valid email is required."},
		{"account_email", "Taken@Example.com", "Email exists. Please log in or use different email"},
		{"account_password", "short!A1", "Password does not meet requirements"},
		{"account_password", "alllowercase123!", "Password does not meet requirements"},
		{"account_password", "NoDigitsHere!!", "Password does not meet requirements"},
		{"account_password", "NoSymbols12345", "Password does not meet requirements"},
		{"account_password", "Aa1!" + strings.Repeat("x", 70), "Password is too long: at most 72 bytes."},
		{"account_firstname", "\xff\xfe", "The first name contains an invisible or control character, or bytes that are not text."},
	} {
		b := a.browser()
		b.get("/account/register")
		rec := b.post("/account/register", with(valid, tc.field, tc.value))
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `<div role="alert">`) || !strings.Contains(body, `<ul class="notice">`) ||
			!strings.Contains(body, tc.want) {
			t.Errorf("%s=%q: %d; want 422 listing %q", tc.field, tc.value, rec.Code, tc.want)
		}
		if tc.field != "account_firstname" && !strings.Contains(body, `value="Grace"`) {
			t.Errorf("%s=%q: the first name did not stay filled", tc.field, tc.value)
		}
		if strings.Contains(body, goodPassword) || strings.Contains(body, tc.value) && tc.field == "account_password" {
			t.Errorf("%s=%q: the password was echoed back", tc.field, tc.value)
		}
	}
	if n := a.count(`SELECT count(*) FROM account`); n != 1 {
		t.Errorf("%d accounts after only invalid registrations; want 1", n)
	}
}

func TestFailedLoginsLookAlikeAndAreThrottled(t *testing.T) {
	a := newApp(t, "development")
	a.account("Ada", "ada@example.com", "Client")
	wrongPassword := a.browser().login("ada@example.com", "Wrong!Passw0rd")
	unknownEmail := a.browser().login("nobody@example.com", goodPassword)
	for _, rec := range []struct {
		name string
		code int
		body string
	}{{"wrong password", wrongPassword.Code, wrongPassword.Body.String()}, {"unknown email", unknownEmail.Code, unknownEmail.Body.String()}} {
		if rec.code != http.StatusUnauthorized || !strings.Contains(messages(rec.body), "Please check your credentials and try again.") {
			t.Errorf("%s: %d, banner %q; want 401 and the one credentials message", rec.name, rec.code, messages(rec.body))
		}
	}

	// Ten more failures for one email from one client, then refusals that
	// look the same whether the email exists or not.
	for _, email := range []string{"ada@example.com", "ghost@example.com"} {
		b := a.browser()
		var last int
		for range 12 {
			last = b.login(email, "Wrong!Passw0rd").Code
		}
		if last != http.StatusTooManyRequests || !strings.Contains(b.last, "Too many failed login attempts") {
			t.Errorf("%s: after 12 failures status %d; want 429 with a wait message", email, last)
		}
	}
	if rec := a.browser().login("ada@example.com", goodPassword); rec.Code != http.StatusTooManyRequests {
		t.Errorf("the right password during the lockout = %d; want 429 (no oracle)", rec.Code)
	}
}

func TestLoginReturnsToTheRequestedPage(t *testing.T) {
	a := newApp(t, "development")
	a.account("Emma", "emma@example.com", "Employee")
	b := a.browser()
	rec := b.get("/inv/add-classification")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/login" {
		t.Fatalf("logged-out /inv/add-classification = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "Please log in.") {
		t.Errorf("login page banner = %q; want Please log in.", got)
	}
	rec = b.post("/account/login", url.Values{"account_email": {"emma@example.com"}, "account_password": {goodPassword}})
	if rec.Header().Get("Location") != "/inv/add-classification" {
		t.Errorf("after login redirected to %q; want /inv/add-classification", rec.Header().Get("Location"))
	}
}

func TestUpdateDetailsAndPassword(t *testing.T) {
	a := newApp(t, "development")
	a.account("Other", "other@example.com", "Client")
	a.account("Ada", "ada@example.com", "Client")
	b := a.browser()
	b.login("ada@example.com", goodPassword)
	phone := a.browser()
	phone.login("ada@example.com", goodPassword)

	if rec := b.get("/account/update"); !strings.Contains(rec.Body.String(), `value="ada@example.com"`) {
		t.Fatalf("update page = %d, lacks the current email", rec.Code)
	}
	rec := b.post("/account/update", url.Values{"account_firstname": {"Ada"}, "account_lastname": {"Lovelace"},
		"account_email": {"OTHER@example.com"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Email exists") {
		t.Errorf("taking another account's email = %d; want 422 with Email exists", rec.Code)
	}
	rec = b.post("/account/update", url.Values{"account_firstname": {"Augusta"}, "account_lastname": {"Lovelace"},
		"account_email": {"augusta@example.com"}})
	page := b.follow(rec).Body.String()
	if !strings.Contains(page, "Welcome Augusta") || !strings.Contains(messages(page), "has been updated") {
		t.Errorf("after the update: banner %q, header greets Augusta: %v", messages(page), strings.Contains(page, "Welcome Augusta"))
	}

	b.get("/account/update")
	if rec := b.post("/account/password", url.Values{"current_password": {goodPassword}, "account_password": {"weak"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("weak new password = %d; want 422", rec.Code)
	}
	rec = b.post("/account/password", url.Values{"current_password": {"Not!TheRight1"}, "account_password": {"Another!Passw0rd"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "current password is not correct") {
		t.Errorf("wrong current password = %d; want 422 saying so", rec.Code)
	}
	if rec := phone.get("/account/"); rec.Code != http.StatusOK {
		t.Error("a refused password change ended the other session")
	}
	before := b.cookie
	rec = b.post("/account/password", url.Values{"current_password": {goodPassword}, "account_password": {"Another!Passw0rd"}})
	if rec.Code != http.StatusSeeOther || sid(b.cookie) == sid(before) {
		t.Fatalf("password change = %d, ID rotated: %v", rec.Code, sid(b.cookie) != sid(before))
	}
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "Your password has been changed") {
		t.Errorf("banner = %q", got)
	}
	if rec := phone.get("/account/"); rec.Code != http.StatusSeeOther {
		t.Errorf("the account's other session still works after the password change (%d)", rec.Code)
	}
	if rec := a.browser().login("augusta@example.com", "Another!Passw0rd"); rec.Code != http.StatusSeeOther {
		t.Errorf("login with the new password = %d", rec.Code)
	}
}

func TestParallelGuessesAreCountedBeforeTheComparison(t *testing.T) {
	a := newApp(t, "development")
	a.account("Ada", "ada@example.com", "Client")
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for range 30 {
		wg.Go(func() {
			b := a.browser()
			b.last = ""
			code := b.post("/account/login", url.Values{"account_email": {"ada@example.com"}, "account_password": {"Wrong!Passw0rd"}}).Code
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[http.StatusUnauthorized] > 10 || codes[http.StatusTooManyRequests] < 20 {
		t.Errorf("30 parallel guesses: %v; want at most 10 checked (401), the rest refused (429)", codes)
	}
}

// The login limiter keys on the client's real address: a forwarded
// address counts only when it comes from a trusted proxy.
func TestLimiterUsesTheRealClientAddress(t *testing.T) {
	a := newApp(t, "development")
	login := func(remote, forwarded, email string) int {
		form := url.Values{"account_email": {email}, "account_password": {"Wrong!Passw0rd1"}}
		req := sameOrigin(formRequest("/account/login", form))
		req.RemoteAddr = remote
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		return a.browser().do(req).Code
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
