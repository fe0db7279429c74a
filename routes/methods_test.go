package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// HEAD answers as GET does, without a body: link checkers and uptime
// monitors use it.
func TestHeadAnswersAsGet(t *testing.T) {
	a := newApp(t, "production")
	for _, path := range []string{"/", "/inv/type/1", "/inv/detail/1", "/account/login", "/css/styles.css", "/images/vehicles/camaro.svg", "/no/such/page"} {
		get := a.do(http.MethodGet, path)
		head := a.do(http.MethodHead, path)
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
		rec := a.do(tc.method, tc.path)
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s = %d, Allow %q; want 405, Allow %q", tc.method, tc.path, rec.Code, rec.Header().Get("Allow"), tc.allow)
		}
	}
	if rec := a.do(http.MethodPost, "/no/such/page"); rec.Code != http.StatusNotFound {
		t.Errorf("POST to an unknown path = %d; want 404", rec.Code)
	}
}

func (a *app) do(method, path string) *httptest.ResponseRecorder {
	a.t.Helper()
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}
