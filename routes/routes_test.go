package routes_test

import (
	"context"
	"database/sql"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/public"
	"github.com/cse-motors/cse-motors/routes"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// app is the real router over a throwaway database, built as main builds it.
type app struct {
	t       testing.TB
	db      *sql.DB
	router  *gin.Engine
	store   *postgres.Store
	counter *dbtest.Counter
	logs    *syncBuffer // everything the app logged
	dbURL   string
}

// syncBuffer collects log output from the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const testSecret = "test-secret-test-secret-test-secret-42"

func newApp(t testing.TB, env string) *app {
	t.Helper()
	counter := &dbtest.Counter{}
	db, dbURL := dbtest.New(t, counter)
	a := instance(t, db, dbURL, env, testSecret)
	a.counter = counter
	return a
}

// instance builds the app as main does, over an existing database: a
// second call gives a second instance sharing the sessions.
func instance(t testing.TB, db *sql.DB, dbURL, env, secret string, previous ...string) *app {
	t.Helper()
	return instanceWithViews(t, db, dbURL, env, secret, views.Files, previous...)
}

// newAppWithViews is newApp with other templates: a student's edited view.
func newAppWithViews(t testing.TB, env string, viewFiles fs.FS) *app {
	t.Helper()
	counter := &dbtest.Counter{}
	db, dbURL := dbtest.New(t, counter)
	a := instanceWithViews(t, db, dbURL, env, testSecret, viewFiles)
	a.counter = counter
	return a
}

func instanceWithViews(t testing.TB, db *sql.DB, dbURL, env, secret string, viewFiles fs.FS, previous ...string) *app {
	t.Helper()
	cfg := config.Config{Env: env, Host: "localhost", Port: "5500", DatabaseURL: dbURL,
		SessionSecret: secret, IdleTimeout: time.Hour, Lifetime: 24 * time.Hour,
		DemoRoutes: env != "production"}
	if len(previous) > 0 {
		cfg.PreviousSecret = previous[0]
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	built, err := routes.NewApp(context.Background(), cfg, db, logger,
		routes.Files{Views: viewFiles, Public: public.Files}, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return &app{t: t, db: db, router: built.Router, store: built.Store, counter: &dbtest.Counter{}, logs: logs, dbURL: dbURL}
}

// get sends a request through the router with an optional session cookie.
func (a *app) get(path, cookie string) *httptest.ResponseRecorder {
	a.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: routes.SessionCookie, Value: cookie})
	}
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	return rec
}

// statements counts what serving path sends to the database.
func (a *app) statements(path, cookie string) (int64, *httptest.ResponseRecorder) {
	before := a.counter.Count()
	rec := a.get(path, cookie)
	return a.counter.Count() - before, rec
}

func sessionCookie(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == routes.SessionCookie {
			return c
		}
	}
	return nil
}

func (a *app) sessionRows() int {
	var n int
	a.db.QueryRow(`SELECT count(*) FROM session`).Scan(&n)
	return n
}

var navRE = regexp.MustCompile(`<a href="/inv/type/\d+"[^>]*>([^<]+)</a>`)

func TestHomePage(t *testing.T) {
	a := newApp(t, "development")
	rec := a.get("/", "")
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

func TestCookielessVisitsWriteNoSessionAndNoSQL(t *testing.T) {
	a := newApp(t, "development")
	a.get("/", "") // warms the navigation cache
	before := a.counter.Count()
	for range 1000 {
		if rec := a.get("/", ""); rec.Code != http.StatusOK {
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

func TestFlashDemoShowsOnceUnderTheH1(t *testing.T) {
	a := newApp(t, "development")
	a.get("/", "")

	n, rec := a.statements("/demo/flash", "")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
		t.Fatalf("/demo/flash = %d to %q; want 303 to /", rec.Code, rec.Header().Get("Location"))
	}
	if n != 1 {
		t.Errorf("/demo/flash sent %d statements; want 1 (the INSERT)", n)
	}
	c := sessionCookie(rec)
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Fatalf("session cookie = %+v; want HttpOnly, SameSite=Lax, Path=/ (not Secure in development)", c)
	}
	t.Logf("Set-Cookie: %s", rec.Header().Get("Set-Cookie"))

	var sess string
	a.db.QueryRow(`SELECT sess::text FROM session`).Scan(&sess)
	if !strings.Contains(sess, `"flash": {"notice": ["This is a flash message."]}`) {
		t.Errorf("session row = %s; want the flash in the connect-flash shape", sess)
	}

	n, rec = a.statements("/", c.Value)
	body := rec.Body.String()
	want := "<h1>Welcome to CSE Motors!</h1>\n    <div id=\"messages\" role=\"status\" aria-live=\"polite\">\n" +
		"      <ul class=\"notice\">\n        <li>This is a flash message.</li>\n      </ul>\n    </div>"
	if !strings.Contains(body, want) {
		t.Errorf("GET / after the redirect lacks the banner under the h1:\n%s", body)
	}
	if n != 2 {
		t.Errorf("GET / showing the flash sent %d statements; want 2 (SELECT, UPDATE)", n)
	}
	if sessionCookie(rec) != nil {
		t.Error("showing the flash re-sent the cookie; the ID did not change")
	}
	a.db.QueryRow(`SELECT sess::text FROM session`).Scan(&sess)
	if strings.Contains(sess, "flash") {
		t.Errorf("after showing it the row still holds the flash: %s", sess)
	}

	n, rec = a.statements("/", c.Value)
	if strings.Contains(rec.Body.String(), `id="messages"`) {
		t.Error("the flash showed again on reload")
	}
	if n != 1 {
		t.Errorf("GET / with a session sent %d statements; want 1 (the SELECT)", n)
	}
}

func TestFlashIsEscaped(t *testing.T) {
	a := newApp(t, "development")
	a.router.GET("/test/xss", sessions.Sessions(routes.SessionCookie, a.store), func(c *gin.Context) {
		middleware.Flash(c, `x"><script>alert(1)</script>`, `<script>alert("hi")</script><b>bold</b>`)
		postgres.Save(sessions.Default(c), c.Request, c.Writer)
		c.Redirect(http.StatusSeeOther, "/")
	})
	c := sessionCookie(a.get("/test/xss", ""))
	body := a.get("/", c.Value).Body.String()
	if strings.Contains(body, "<script>") || strings.Contains(body, "<b>bold") {
		t.Errorf("flash rendered as markup:\n%s", body)
	}
	if !strings.Contains(body, `<ul class="notice">`) ||
		!strings.Contains(body, "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;") {
		t.Errorf("flash not shown escaped under a safe class:\n%s", body)
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
		rec := a.get(tc.path, "")
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
	rec := a.get("/css/styles.css", "")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("GET /css/styles.css = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	etag := rec.Header().Get("ETag")
	if etag == "" || rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("static file: ETag %q, Set-Cookie %q; want an ETag and no cookie", etag, rec.Header().Get("Set-Cookie"))
	}
	req := httptest.NewRequest(http.MethodGet, "/css/styles.css", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("revalidation = %d; want 304", rec.Code)
	}
	if cc := a.get("/css/styles.css", "").Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("plain URL Cache-Control = %q; want no-cache (revalidate)", cc)
	}
	link := regexp.MustCompile(`href="(/css/styles\.css\?v=[^"]+)"`).FindStringSubmatch(a.get("/", "").Body.String())
	if link == nil {
		t.Fatal("the page does not link the stylesheet by its fingerprint")
	}
	if rec := a.get(link[1], ""); rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Cache-Control"), "max-age=31536000") {
		t.Errorf("fingerprinted %s = %d, Cache-Control %q; want a year", link[1], rec.Code, rec.Header().Get("Cache-Control"))
	}
	if rec := a.get("/css/styles.css?v=stale", ""); rec.Header().Get("Cache-Control") != "no-cache" {
		t.Error("a wrong fingerprint is cached for a year")
	}
	if rec := a.get("/css/nope.css", ""); rec.Code != http.StatusNotFound {
		t.Errorf("missing static file = %d; want 404", rec.Code)
	}
}

func TestDemoRoutesAre404InProduction(t *testing.T) {
	a := newApp(t, "production")
	for _, p := range []string{"/demo/flash", "/debug/pprof/", "/debug/pprof/heap"} {
		if rec := a.get(p, ""); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s in production = %d; want 404", p, rec.Code)
		}
	}
	if rec := newApp(t, "development").get("/debug/pprof/heap", ""); rec.Code != http.StatusOK {
		t.Errorf("GET /debug/pprof/heap in development = %d; want 200", rec.Code)
	}
	if n := a.sessionRows(); n != 0 {
		t.Errorf("production /demo/flash wrote %d session rows", n)
	}
	if c := sessionCookie(a.get("/", "")); c != nil {
		t.Errorf("cookie set in production on GET /: %v", c)
	}
	if h := a.get("/", "").Header().Get("Strict-Transport-Security"); h == "" {
		t.Error("no HSTS header in production")
	}
}

func TestSessionStoreTroubleGives503NotALogout(t *testing.T) {
	a := newApp(t, "development")
	a.get("/", "")
	c := sessionCookie(a.get("/demo/flash", ""))

	tx, err := a.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`LOCK TABLE session IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rec := a.get("/", c.Value)
	took := time.Since(start)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("GET / with the session table locked = %d (Retry-After %q); want 503 with Retry-After",
			rec.Code, rec.Header().Get("Retry-After"))
	}
	if took > 2*time.Second {
		t.Errorf("the 503 took %v; want within 2s", took)
	}
	t.Logf("503 with a locked session table after %v", took.Round(time.Millisecond))
	if rec := a.get("/", ""); rec.Code != http.StatusOK {
		t.Errorf("cookieless GET / while the session table is locked = %d; want 200", rec.Code)
	}
	tx.Rollback()
	if body := a.get("/", c.Value).Body.String(); !strings.Contains(body, "This is a flash message.") {
		t.Error("after the lock, the flash waiting in the session was lost")
	}
}
