package routes_test

// The in-process request client every test sends its requests through, and the helpers that read the pages it gets.

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cse-motors/cse-motors/session"
)

// browser drives the router as a browser would: it keeps the session
// cookie (honouring deletions), sends same-origin headers on POSTs, and
// copies the CSRF token from the last page it saw into its forms. It is
// the one way these tests send a request: a.browser() starts without a
// cookie, a.browserWith(cookie) with one.
type browser struct {
	t      testing.TB
	a      *app
	cookie string
	last   string // body of the last page
}

func (a *app) browser() *browser { return &browser{t: a.t, a: a} }

// browserWith is a browser that holds the session cookie given ("" for
// none): a copied or replayed cookie.
func (a *app) browserWith(cookie string) *browser {
	b := a.browser()
	b.cookie = cookie
	return b
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)

// do sends req with the browser's cookie and keeps what comes back: the
// cookie, and the page when it is HTML.
func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	b.t.Helper()
	if b.cookie != "" {
		req.AddCookie(&http.Cookie{Name: session.CookieName, Value: b.cookie})
	}
	rec := httptest.NewRecorder()
	b.a.router.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() { // in order: the last one wins
		if c.Name != session.CookieName {
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

// request sends method to path without a body: HEAD, or a wrong method.
func (b *browser) request(method, path string) *httptest.ResponseRecorder {
	b.t.Helper()
	return b.do(httptest.NewRequest(method, path, nil))
}

func (b *browser) get(path string) *httptest.ResponseRecorder {
	b.t.Helper()
	return b.request(http.MethodGet, path)
}

// formRequest is a POST of form as an HTML form encodes it.
func formRequest(path string, form url.Values) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// sameOrigin gives req the headers a browser sends with a form of this
// site's own page.
func sameOrigin(req *http.Request) *http.Request {
	req.Header.Set("Origin", "http://example.com") // httptest's Host
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
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
	return b.do(sameOrigin(formRequest(path, form)))
}

// postWithoutToken submits form as a same-origin form that lacks the
// csrf_token field, as a student's new form might.
func (b *browser) postWithoutToken(path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	return b.do(sameOrigin(formRequest(path, form)))
}

// postWith posts with the given Sec-Fetch-Site and Origin headers (either
// may be empty to leave it out) and returns the status.
func (b *browser) postWith(path string, form url.Values, fetchSite, origin string) int {
	b.t.Helper()
	req := formRequest(path, form)
	if fetchSite != "" {
		req.Header.Set("Sec-Fetch-Site", fetchSite)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return b.do(req).Code
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

// statements counts what serving path, to a browser holding cookie ("" for
// none), sends to the database.
func (a *app) statements(path, cookie string) (int64, *httptest.ResponseRecorder) {
	a.t.Helper()
	b := a.browserWith(cookie)
	before := a.counter.Count()
	rec := b.get(path)
	return a.counter.Count() - before, rec
}

// sessionCookie is the session cookie a response sets, or nil.
func sessionCookie(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == session.CookieName {
			return c
		}
	}
	return nil
}

// sid is the session ID in a signed cookie value.
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

// navRE matches a classification link of the navigation bar.
var navRE = regexp.MustCompile(`<a href="/inv/type/\d+"[^>]*>([^<]+)</a>`)

// flat is markup without the whitespace that only lays out the template's
// source: a run of whitespace becomes one space, as a browser shows it,
// and whitespace between two tags goes. Compare both sides through it,
// strings.Contains(flat(page), flat(want)), to check elements and their
// text however the template indents or wraps them. (Not for text whose
// line breaks show, such as a review or a textarea's content.)
func flat(markup string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(markup), " "), "> <", "><")
}

func itoa(i int) string { return strconv.Itoa(i) }
