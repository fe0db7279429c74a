package routes_test

// Browser tests of what students add in the course: the course's test
// accounts, its client-side steps (password pattern and toggle, the update
// button), the worked enhancement (reviews), and the development guards
// for students extending the app (a form without csrf_token, inline code
// blocked by the Content-Security-Policy).

import (
	"context"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/views"
)

func TestBrowserCourseTestAccountsLogIn(t *testing.T) {
	a := newApp(t, "development")
	if err := models.NewAccounts(a.db).SeedCourseAccounts(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, acct := range []struct{ email, password, greeting, typ string }{
		{"basic@340.edu", "I@mABas1cCl!3nt", "Welcome Basic", "Client"},
		{"happy@340.edu", "I@mAnEmpl0y33", "Welcome Happy", "Employee"},
		{"manager@340.edu", "I@mAnAdm!n1strat0r", "Welcome Manager", "Admin"},
	} {
		c := newChrome(t, a)
		c.open("/account/login")
		c.fill(map[string]string{"account_email": acct.email, "account_password": acct.password})
		c.submit("form.form button[type=submit]", "/account/")
		body := eval[string](c, "document.querySelector('main').innerText")
		if !strings.Contains(body, acct.greeting) || !strings.Contains(body, "logged in as a"+map[bool]string{true: "n", false: ""}[acct.typ == "Admin"]+" "+acct.typ) {
			c.fail("%s: the account page says %q", acct.email, body)
		}
		if staff := strings.Contains(body, "Manage Inventory"); staff != (acct.typ != "Client") {
			c.fail("%s (%s): Manage Inventory shown = %v", acct.email, acct.typ, staff)
		}
	}
}

func TestBrowserPasswordPatternAndToggle(t *testing.T) {
	a := newApp(t, "development")
	c := newChrome(t, a)
	c.open("/account/register")
	c.fill(map[string]string{"account_firstname": "Weak", "account_lastname": "Password",
		"account_email": "weak@example.com", "account_password": "weakpassword1"})
	c.run(chromedp.Evaluate[chromedp.Void](`window.__stayed = true`))
	c.run(chromedp.Click(chromedp.CSS("form.form button[type=submit]")))
	time.Sleep(300 * time.Millisecond)
	if !eval[bool](c, `window.__stayed === true && document.getElementById("account_password").validity.patternMismatch`) {
		c.fail("a weak password was submitted: the page changed or the pattern did not refuse it")
	}
	msg := eval[string](c, `document.getElementById("account_password").validationMessage`)
	if !strings.Contains(msg, "At least 12 characters") {
		c.fail("the browser's message for a weak password is %q; want the requirements", msg)
	}
	if n := a.count(`SELECT count(*) FROM account`); n != 0 {
		c.fail("%d accounts were created", n)
	}

	// The toggle: a real button with a name and a state.
	toggle := `document.querySelector("#account_password + button.password-toggle")`
	if got := eval[string](c, toggle+`.type + " " + `+toggle+`.textContent + " " + `+toggle+`.getAttribute("aria-pressed")`); got != "button Show password false" {
		c.fail("toggle = %q; want a button named Show password, not pressed", got)
	}
	c.run(chromedp.Click(chromedp.CSS("#account_password + button.password-toggle")))
	if got := eval[string](c, `document.getElementById("account_password").type + " " + `+toggle+`.getAttribute("aria-pressed")`); got != "text true" {
		c.fail("after one click: %q; want the password shown and the button pressed", got)
	}
	c.run(chromedp.Click(chromedp.CSS("#account_password + button.password-toggle")))
	if got := eval[string](c, `document.getElementById("account_password").type`); got != "password" {
		c.fail("after two clicks the field is %q", got)
	}

	// The pattern and the server's rule agree on every password here.
	b := a.browser()
	for i, pw := range []string{"Sturdy!Passw0rd", "weakpassword1", "NoDigitsHere!!", "NoSymbols12345", "short!A1",
		"With Space!123", "ÄÖÜäöü123!!x", "Ünïcödé!Pass1", "aaaaaaaaaaA1é", "Tab\there!Pass1", "I@mAnEmpl0y33",
		"ALLUPPER123!!!", "12345678901!aA", "emoji🚗Pass1234", "nbsp\u00a0Pass!123"} {
		c.run(chromedp.SetValue(chromedp.CSS("#account_password"), pw))
		browserOK := !eval[bool](c, `document.getElementById("account_password").validity.patternMismatch`)
		b.get("/account/register")
		rec := b.post("/account/register", url.Values{"account_firstname": {"Pat"}, "account_lastname": {"Tern"},
			"account_email": {"pat" + itoa(i) + "@example.com"}, "account_password": {pw}})
		serverOK := rec.Code == http.StatusSeeOther
		if browserOK != serverOK {
			t.Errorf("password %q: the pattern accepts = %v, the server accepts = %v (%d)", pw, browserOK, serverOK, rec.Code)
		}
	}
	// The password change uses the same pattern.
	reg, upd := a.browser().get("/account/register").Body.String(), a.staffBrowser("Client").get("/account/update").Body.String()
	if p := patternOf(reg); p == "" || p != patternOf(upd) {
		t.Errorf("register pattern %q, password change pattern %q; want one rule", patternOf(reg), patternOf(upd))
	}
}

func patternOf(body string) string {
	_, after, ok := strings.Cut(body, ` pattern="`)
	if !ok {
		return ""
	}
	p, _, _ := strings.Cut(after, `"`)
	return p
}

func TestBrowserUpdateButtonWaitsForAChange(t *testing.T) {
	a := newApp(t, "development")
	a.account("Emma", "emma@example.com", "Employee")
	c := newChrome(t, a)
	c.open("/account/login")
	c.fill(map[string]string{"account_email": "emma@example.com", "account_password": goodPassword})
	c.submit("form.form button[type=submit]", "/account/")
	c.open("/inv/edit/1")
	button := `document.querySelector("#updateForm button[type=submit]")`
	if !eval[bool](c, button+`.disabled && !document.getElementById("update-hint").hidden`) {
		c.fail("Update Vehicle is enabled before any change, or its hint is hidden")
	}
	c.run(chromedp.SendKeys(chromedp.CSS("#inv_color"), " Metallic"))
	if eval[bool](c, button+`.disabled`) {
		c.fail("Update Vehicle is still disabled after a change")
	}
	c.submit("#updateForm button[type=submit]", "/inv/")
	if got := c.banner(); got != "The Chevy Camaro was successfully updated." {
		c.fail("banner = %q", got)
	}
}

func TestBrowserReviewJourney(t *testing.T) {
	a := newApp(t, "development")
	a.account("Rita", "rita@example.com", "Client")
	a.account("Otto", "otto@example.com", "Client")
	a.account("Emma", "emma@example.com", "Employee")
	login := func(email string) *chrome {
		c := newChrome(t, a)
		c.open("/account/login")
		c.fill(map[string]string{"account_email": email, "account_password": goodPassword})
		c.submit("form.form button[type=submit]", "/account/")
		return c
	}

	rita := login("rita@example.com")
	rita.open("/inv/detail/12")
	rita.run(chromedp.SetValue(chromedp.CSS("#review_rating"), "4"))
	rita.fill(map[string]string{"review_text": "Cranks like a dream."})
	rita.submit("#reviews form button[type=submit]", "/inv/detail/12")
	if got := rita.banner(); got != "Thank you for reviewing the Ford Model T." {
		rita.fail("banner = %q", got)
	}
	if got := eval[string](rita, `document.querySelector("#reviews .review").innerText`); !strings.Contains(got, "Rita T.") ||
		!strings.Contains(got, "4 out of 5") || !strings.Contains(got, "Cranks like a dream.") {
		rita.fail("the review shows as %q", got)
	}
	var id string
	if err := a.db.QueryRow(`SELECT review_id::text FROM review`).Scan(&id); err != nil {
		t.Fatalf("the review was not stored: %v", err)
	}

	// Another Client cannot touch it: 403, nothing changed.
	otto := login("otto@example.com")
	otto.open("/review/edit/" + id)
	if h1 := eval[string](otto, `document.querySelector("main h1").innerText`); h1 != "Forbidden" {
		otto.fail("another Client at the edit page sees %q; want Forbidden", h1)
	}

	// The author edits it from their account page.
	rita.open("/account/")
	rita.run(chromedp.Click(chromedp.CSS(`a[href="/account/reviews"]`)))
	rita.run(chromedp.WaitVisible(chromedp.CSS(`a[href="/review/edit/` + id + `"]`)))
	rita.run(chromedp.Click(chromedp.CSS(`a[href="/review/edit/` + id + `"]`)))
	rita.run(chromedp.WaitVisible(chromedp.CSS("#review_text")))
	rita.fill(map[string]string{"review_text": "Cranks like a dream, stops like a suggestion."})
	rita.submit("main form.form button[type=submit]", "/account/reviews")
	if got := rita.banner(); got != "Your review of the 1921 Ford Model T was updated." {
		rita.fail("banner = %q", got)
	}
	if n := a.count(`SELECT count(*) FROM review WHERE review_text LIKE '%suggestion.'`); n != 1 {
		rita.fail("the edit was not stored")
	}

	// An Employee deletes it from the vehicle's page.
	emma := login("emma@example.com")
	emma.open("/inv/detail/12")
	emma.run(chromedp.Click(chromedp.CSS(`a[href="/review/delete/` + id + `"]`)))
	emma.run(chromedp.WaitVisible(chromedp.CSS("button.danger")))
	emma.submit("button.danger", "/inv/detail/12")
	if got := emma.banner(); got != "The review of the 1921 Ford Model T was deleted." {
		emma.fail("banner = %q", got)
	}
	if a.count(`SELECT count(*) FROM review`) != 0 {
		emma.fail("the review survived")
	}
}

// studentViews are the real templates with a home page as a student might
// edit it: an inline script, an inline style and a form without its
// csrf_token field.
func studentViews(t *testing.T) fs.FS {
	t.Helper()
	index, err := fs.ReadFile(views.Files, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	page := strings.Replace(string(index), `{{define "content" -}}`, `{{define "content" -}}
    <script>document.title = "inline ran";</script>
    <p class="student" style="color: red">Student note</p>
    <form method="post" action="/demo/session/flash" id="student-form"><button type="submit">Student form</button></form>`, 1)
	return overlayFS{views.Files, fstest.MapFS{"index.html": {Data: []byte(page)}}}
}

// overlayFS serves the files of top in place of the same names in base.
type overlayFS struct {
	base fs.FS
	top  fstest.MapFS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if _, ok := o.top[name]; ok {
		return o.top.Open(name)
	}
	return o.base.Open(name)
}

// ReadDir lists base's files and top's new ones, so that a new partial is
// found by the views' glob.
func (o overlayFS) ReadDir(dir string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.base, dir)
	if err != nil {
		return nil, err
	}
	added, _ := fs.ReadDir(o.top, dir)
	for _, e := range added {
		if _, err := fs.Stat(o.base, path.Join(dir, e.Name())); err != nil {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

func TestBrowserDevelopmentGuardsForStudentCode(t *testing.T) {
	a := newAppWithViews(t, "development", studentViews(t))
	c := newChrome(t, a)
	c.open("/demo/flash") // a session, so forms need their token; back at /
	if title := eval[string](c, "document.title"); title == "inline ran" {
		c.fail("the inline script ran")
	}
	// The blocked inline script and style are reported and logged once each.
	for _, want := range []string{
		"Content-Security-Policy blocked an inline <script>\" page=/ ",
		"Content-Security-Policy blocked an inline style=\\\"...\\\" attribute\" page=/ ",
	} {
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(a.logs.String(), want) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if !strings.Contains(a.logs.String(), want) {
			c.fail("the terminal never showed %s\nlogs:\n%s", want, a.logs.String())
		}
	}
	if !strings.Contains(a.logs.String(), "public/js") || !strings.Contains(a.logs.String(), "public/css") {
		t.Errorf("the CSP warnings do not say where to move the code:\n%s", a.logs.String())
	}
	c.run(chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("footer")))
	time.Sleep(500 * time.Millisecond)
	if n := strings.Count(a.logs.String(), "blocked an inline <script>"); n != 1 {
		t.Errorf("the inline script was logged %d times; want once", n)
	}

	// The student's form without csrf_token: a 403 that says what to add.
	c.submit("#student-form button", "/demo/session/flash")
	if h1 := eval[string](c, `document.querySelector("main h1").innerText`); h1 != "Forbidden" {
		c.fail("the form without csrf_token got %q", h1)
	}
	text := eval[string](c, `document.querySelector("main").innerText`)
	for _, want := range []string{"This form has no csrf_token field", `<input type="hidden" name="csrf_token" value="{{.CSRF}}">`, "/demo/session/flash"} {
		if !strings.Contains(text, want) {
			c.fail("the 403 page lacks %q:\n%s", want, text)
		}
	}
}

func TestProductionStaysStrictWithStudentCode(t *testing.T) {
	a := newAppWithViews(t, "production", studentViews(t))
	c := newChrome(t, a)
	c.open("/")
	if title := eval[string](c, "document.title"); title == "inline ran" {
		c.fail("the inline script ran in production")
	}
	time.Sleep(500 * time.Millisecond)
	if strings.Contains(a.logs.String(), "Content-Security-Policy") {
		t.Errorf("production logged CSP reports:\n%s", a.logs.String())
	}
	h := a.browser().get("/").Header().Get("Content-Security-Policy")
	if strings.Contains(h, "report") || !strings.Contains(h, "script-src 'self';") {
		t.Errorf("production CSP = %q; want no reporting", h)
	}
	if rec := a.browser().post("/csp-report", url.Values{}); rec.Code != http.StatusNotFound {
		t.Errorf("POST /csp-report in production = %d; want 404", rec.Code)
	}
	// A form without csrf_token: the plain refusal, no hint.
	rec := a.staffBrowser("Client").postWithoutToken("/account/update", url.Values{"account_firstname": {"X"}})
	if body := rec.Body.String(); rec.Code != http.StatusForbidden || strings.Contains(body, "Development hint") ||
		!strings.Contains(body, "This form has expired or was sent from another site") {
		t.Errorf("production, a form without csrf_token = %d; want the plain 403 page without a hint:\n%s", rec.Code, body)
	}
}
