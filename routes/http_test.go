package routes_test

// HTTP itself: the security headers on every response, HEAD answered as GET, and a wrong method's 405 with Allow.

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

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

// HEAD answers as GET does, without a body: link checkers and uptime
// monitors use it.
func TestHeadAnswersAsGet(t *testing.T) {
	a := newApp(t, "production")
	for _, path := range []string{"/", "/inv/type/1", "/inv/detail/1", "/account/login", "/css/styles.css", "/images/vehicles/camaro.svg", "/no/such/page"} {
		get := a.browser().get(path)
		head := a.browser().request(http.MethodHead, path)
		// (A 404 page's body is dropped by net/http's server, which never
		// sends a body to HEAD; the recorder here keeps it.)
		if head.Code != get.Code || (head.Code != http.StatusNotFound && head.Body.Len() != 0) ||
			head.Header().Get("Content-Type") != get.Header().Get("Content-Type") {
			t.Errorf("HEAD %s = %d with %d body bytes, %q; want %d, no body, %q", path, head.Code, head.Body.Len(),
				head.Header().Get("Content-Type"), get.Code, get.Header().Get("Content-Type"))
		}
		if n := head.Header().Get("Content-Length"); get.Code == http.StatusOK && n != strconv.Itoa(get.Body.Len()) {
			t.Errorf("HEAD %s: Content-Length %q; GET sends %d bytes", path, n, get.Body.Len())
		}
		if head.Header().Get("Allow") != "" {
			t.Errorf("HEAD %s carries Allow: %q", path, head.Header().Get("Allow"))
		}
	}
}

// A wrong method on a known path is a 405 with the methods it takes.
func TestWrongMethodIs405WithAllow(t *testing.T) {
	a := newApp(t, "production")
	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodPost, "/", "GET, HEAD"},
		{http.MethodPut, "/inv/type/1", "GET, HEAD"},
		{http.MethodDelete, "/account/login", "GET, POST, HEAD"},
		{http.MethodGet, "/account/logout", "POST"},
	} {
		rec := a.browser().request(tc.method, tc.path)
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s = %d, Allow %q; want 405, Allow %q", tc.method, tc.path, rec.Code, rec.Header().Get("Allow"), tc.allow)
		}
	}
	if rec := a.browser().request(http.MethodPost, "/no/such/page"); rec.Code != http.StatusNotFound {
		t.Errorf("POST to an unknown path = %d; want 404", rec.Code)
	}
}
