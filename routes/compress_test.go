package routes_test

// Text goes compressed to browsers that accept gzip: static CSS, JS and
// SVG (compressed once), cached pages (once) and pages built for one
// visitor (as sent), each with the right Vary header.

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// fetch GETs path as a browser sending acceptEncoding (none when empty)
// with the session cookie (none when empty).
func fetch(a *app, path, acceptEncoding, cookie string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	return a.browserWith(cookie).do(req)
}

func gunzip(t *testing.T, body []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return out
}

func TestTextIsSentCompressed(t *testing.T) {
	a := newApp(t, "production")
	staff := a.staffBrowser("Employee")
	for _, tc := range []struct{ path, cookie, vary string }{
		{"/css/styles.css", "", "Accept-Encoding"},
		{"/js/inventory.js", "", "Accept-Encoding"},
		{"/images/vehicles/camaro.svg", "", "Accept-Encoding"},
		{"/", "", "Cookie, Accept-Encoding"},             // built, then cached
		{"/", "", "Cookie, Accept-Encoding"},             // from the cache
		{"/inv/detail/1", "", "Cookie, Accept-Encoding"}, // built, then cached
		{"/inv/detail/2", "", "Cookie, Accept-Encoding"},
		{"/no/such/page", "", "Cookie, Accept-Encoding"}, // built for one visitor
	} {
		plain := fetch(a, tc.path, "", tc.cookie)
		zipped := fetch(a, tc.path, "br, gzip", tc.cookie)
		if plain.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s without Accept-Encoding came encoded", tc.path)
		}
		if zipped.Code != plain.Code || zipped.Header().Get("Content-Encoding") != "gzip" ||
			zipped.Header().Get("Vary") != tc.vary || plain.Header().Get("Vary") != tc.vary {
			t.Errorf("%s with gzip = %d, Content-Encoding %q, Vary %q / %q; want %d, gzip, Vary %q", tc.path, zipped.Code,
				zipped.Header().Get("Content-Encoding"), zipped.Header().Get("Vary"), plain.Header().Get("Vary"), plain.Code, tc.vary)
			continue
		}
		if n := zipped.Header().Get("Content-Length"); n != strconv.Itoa(zipped.Body.Len()) {
			t.Errorf("%s: Content-Length %s for %d bytes", tc.path, n, zipped.Body.Len())
		}
		if body := gunzip(t, zipped.Body.Bytes()); !bytes.Equal(body, plain.Body.Bytes()) || zipped.Body.Len() >= plain.Body.Len() {
			t.Errorf("%s: gzip body of %d bytes decodes to something else than the %d plain bytes", tc.path, zipped.Body.Len(), plain.Body.Len())
		}
		t.Logf("%s: %d bytes plain, %d gzipped", tc.path, plain.Body.Len(), zipped.Body.Len())
	}
	if rec := fetch(a, "/css/styles.css", "gzip;q=0, identity", ""); rec.Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 still got gzip")
	}
	// A page that carries the session's CSRF token is never compressed
	// (BREACH), even when the browser asks.
	for _, path := range []string{"/inv/", "/account/", "/inv/detail/1"} {
		rec := fetch(a, path, "gzip", staff.cookie)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "" || !bytes.Contains(rec.Body.Bytes(), []byte(`name="csrf_token" value="`)) {
			t.Errorf("%s for a logged-in visitor = %d, Content-Encoding %q; want 200, a form token, not compressed", path, rec.Code, rec.Header().Get("Content-Encoding"))
		}
	}
}
