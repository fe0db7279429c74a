package routes_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/routes"
)

// browser drives the router as a browser would: it keeps the session
// cookie (honouring deletions), sends same-origin headers on POSTs, and
// copies the CSRF token from the last page it saw into its forms.
type browser struct {
	t      testing.TB
	a      *app
	cookie string
	last   string // body of the last page
}

func (a *app) browser() *browser { return &browser{t: a.t, a: a} }

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	b.t.Helper()
	if b.cookie != "" {
		req.AddCookie(&http.Cookie{Name: routes.SessionCookie, Value: b.cookie})
	}
	rec := httptest.NewRecorder()
	b.a.router.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() { // in order: the last one wins
		if c.Name != routes.SessionCookie {
			continue
		}
		if c.MaxAge < 0 {
			b.cookie = ""
		} else {
			b.cookie = c.Value
		}
	}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		b.last = rec.Body.String()
	}
	return rec
}

func (b *browser) get(path string) *httptest.ResponseRecorder {
	b.t.Helper()
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post submits form like a same-origin browser form, adding the CSRF token
// of the last page unless the form has one.
func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	if !form.Has("csrf_token") {
		if m := csrfRE.FindStringSubmatch(b.last); m != nil {
			form.Set("csrf_token", m[1])
		}
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://example.com") // httptest's Host
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// postWithoutToken submits form as a same-origin form that lacks the
// csrf_token field, as a student's new form might.
func (b *browser) postWithoutToken(path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://example.com")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// follow GETs the Location of a redirect, checking it is a 303.
func (b *browser) follow(rec *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	b.t.Helper()
	if rec.Code != http.StatusSeeOther {
		b.t.Fatalf("got %d; want 303 See Other\n%s", rec.Code, rec.Body)
	}
	loc, _, _ := strings.Cut(rec.Header().Get("Location"), "#") // a browser keeps the fragment
	return b.get(loc)
}

// login logs in through the form and returns the redirect.
func (b *browser) login(email, password string) *httptest.ResponseRecorder {
	b.t.Helper()
	b.get("/account/login")
	return b.post("/account/login", url.Values{"account_email": {email}, "account_password": {password}})
}

const goodPassword = "Sturdy!Passw0rd"

// account creates an account of the given type directly in the database.
func (a *app) account(first, email, typ string) {
	a.t.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte(goodPassword), bcrypt.MinCost)
	accounts := models.NewAccounts(a.db)
	if _, err := accounts.Register(context.Background(), models.Account{FirstName: first, LastName: "Tester",
		Email: email, PasswordHash: string(hash)}); err != nil {
		a.t.Fatal(err)
	}
	if err := accounts.SetType(context.Background(), email, typ); err != nil {
		a.t.Fatal(err)
	}
}

// staffBrowser returns a browser logged in as a new account of type typ.
func (a *app) staffBrowser(typ string) *browser {
	a.t.Helper()
	email := strings.ToLower(typ) + "@example.com"
	a.account(typ, email, typ)
	b := a.browser()
	if rec := b.login(email, goodPassword); rec.Code != http.StatusSeeOther {
		a.t.Fatalf("login as %s = %d", typ, rec.Code)
	}
	return b
}

func (a *app) count(query string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.db.QueryRow(query, args...).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

func sid(cookie string) string {
	if i := strings.IndexByte(cookie, '.'); i > 0 {
		return cookie[:i]
	}
	return cookie
}

// messages returns the text of the flash banner, "" when there is none.
func messages(body string) string {
	i := strings.Index(body, `<div id="messages"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</div>")
	return body[i : i+j]
}

// postWith posts with the given Sec-Fetch-Site and Origin headers (either
// may be empty to leave it out) and returns the status.
func (b *browser) postWith(path string, form url.Values, fetchSite, origin string) int {
	b.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if fetchSite != "" {
		req.Header.Set("Sec-Fetch-Site", fetchSite)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return b.do(req).Code
}

func itoa(i int) string { return strconv.Itoa(i) }
