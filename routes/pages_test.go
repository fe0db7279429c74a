package routes_test

// The public pages as a visitor gets them: the home page, the error pages, and the static files with their caching.

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestHomePage(t *testing.T) {
	a := newApp(t, "development")
	rec := a.browser().get("/")
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d; want 200", rec.Code)
	}
	for _, want := range []string{"<h1>Welcome to CSE Motors!</h1>", `<a href="/" aria-current="page">Home</a>`,
		"CSE 340 App", `href="/error/trigger"`, `<a class="siteName" href="/">CSE Motors</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	var nav []string
	for _, m := range navRE.FindAllStringSubmatch(body, -1) {
		nav = append(nav, m[1])
	}
	if got, want := strings.Join(nav, ","), "Custom,Sedan,Sport,SUV,Truck"; got != want {
		t.Errorf("navigation = %s; want %s", got, want)
	}
	if strings.Contains(body, `id="messages"`) {
		t.Error("home page shows a messages block with no flash message")
	}
	if c := sessionCookie(rec); c != nil {
		t.Errorf("cookieless GET / set a session cookie: %v", c)
	}
	h := rec.Header()
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
		t.Errorf("security headers missing: %v", h)
	}
}

func TestErrorPages(t *testing.T) {
	a := newApp(t, "development")
	a.router.GET("/test/panic", func(*gin.Context) { panic("boom: secret internals") })

	for _, tc := range []struct {
		path, message string
		status        int
	}{
		{"/no/such/page", "Sorry, we appear to have lost that page.", http.StatusNotFound},
		{"/inv/type/abc", "Sorry, we appear to have lost that page.", http.StatusNotFound},
		{"/error/trigger", "Oh no! There was a crash. Maybe try a different route?", http.StatusInternalServerError},
		{"/test/panic", "Oh no! There was a crash. Maybe try a different route?", http.StatusInternalServerError},
	} {
		rec := a.browser().get(tc.path)
		body := rec.Body.String()
		if rec.Code != tc.status || !strings.Contains(body, tc.message) {
			t.Errorf("GET %s = %d; want %d with %q", tc.path, rec.Code, tc.status, tc.message)
		}
		if !strings.Contains(body, "<h1>"+http.StatusText(tc.status)+"</h1>") || len(navRE.FindAllString(body, -1)) != 5 {
			t.Errorf("GET %s: error page lacks its title or the navigation", tc.path)
		}
		if strings.Contains(body, "internals") || strings.Contains(body, "from the footer link") || strings.Contains(body, ".go:") {
			t.Errorf("GET %s leaks internals:\n%s", tc.path, body)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	a := newApp(t, "production")
	rec := a.browser().get("/css/styles.css")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("GET /css/styles.css = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	etag := rec.Header().Get("ETag")
	if etag == "" || rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("static file: ETag %q, Set-Cookie %q; want an ETag and no cookie", etag, rec.Header().Get("Set-Cookie"))
	}
	req := httptest.NewRequest(http.MethodGet, "/css/styles.css", nil)
	req.Header.Set("If-None-Match", etag)
	rec = a.browser().do(req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("revalidation = %d; want 304", rec.Code)
	}
	if cc := a.browser().get("/css/styles.css").Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("plain URL Cache-Control = %q; want no-cache (revalidate)", cc)
	}
	link := regexp.MustCompile(`href="(/css/styles\.css\?v=[^"]+)"`).FindStringSubmatch(a.browser().get("/").Body.String())
	if link == nil {
		t.Fatal("the page does not link the stylesheet by its fingerprint")
	}
	if rec := a.browser().get(link[1]); rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Cache-Control"), "max-age=31536000") {
		t.Errorf("fingerprinted %s = %d, Cache-Control %q; want a year", link[1], rec.Code, rec.Header().Get("Cache-Control"))
	}
	if rec := a.browser().get("/css/styles.css?v=stale"); rec.Header().Get("Cache-Control") != "no-cache" {
		t.Error("a wrong fingerprint is cached for a year")
	}
	if rec := a.browser().get("/css/nope.css"); rec.Code != http.StatusNotFound {
		t.Errorf("missing static file = %d; want 404", rec.Code)
	}
}
