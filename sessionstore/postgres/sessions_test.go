package postgres_test

// What this protects: the session saves itself before the first byte of
// the response whatever the handler ends with; a failed save answers 503
// with nothing half-written and no message lost; flash messages are shown
// exactly once across tabs; gin-contrib's flash API reaches them too.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// Every way gin lets a handler end: each handler sets a value and queues a
// message, then answers with one of them; the next requests see both.
func TestSessionSavesItselfWhateverTheHandlerEndsWith(t *testing.T) {
	h := newHarness(t)
	endings := map[string]func(c *gin.Context){
		"Redirect":        func(c *gin.Context) { c.Redirect(http.StatusSeeOther, h.srv.URL+"/get?k=ending") },
		"HTML":            func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("<p>ok</p>")) },
		"JSON":            func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"ok": true}) },
		"String":          func(c *gin.Context) { c.String(http.StatusOK, "ok") },
		"Status":          func(c *gin.Context) { c.Status(http.StatusAccepted) },
		"AbortWithStatus": func(c *gin.Context) { c.AbortWithStatus(http.StatusNoContent) },
		"Writer.Write":    func(c *gin.Context) { c.Writer.Write([]byte("raw")) },
		"WriteHeaderNow":  func(c *gin.Context) { c.Writer.WriteHeader(http.StatusCreated); c.Writer.WriteHeaderNow() },
		"nothing":         func(*gin.Context) {},
	}
	r := gin.New()
	r.Use(postgres.Sessions(cookieName, h.store, func(c *gin.Context) { c.String(http.StatusServiceUnavailable, "unavailable") }))
	for name, end := range endings {
		r.GET("/end/"+name, func(c *gin.Context) {
			s := sessions.Default(c)
			s.Set("ending", name)
			s.AddFlash("queued before " + name) // gin-contrib's own API
			end(c)
		})
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	for name := range endings {
		t.Run(name, func(t *testing.T) {
			c := h.newSession("name", "Ada")
			res := h.do(srv, "/end/"+name, c)
			if res.status >= 300 { // the redirect is followed
				t.Fatalf("status %d", res.status)
			}
			if got := h.get("/get?k=ending", c).body; got != name {
				t.Errorf("value after the handler = %q; want %q", got, name)
			}
			if got := h.get("/take", c).body; got != "queued before "+name {
				t.Errorf("flash on the next page = %q; want it once", got)
			}
			if got := h.get("/take", c).body; got != "" {
				t.Errorf("flash shown twice: %q", got)
			}
		})
	}
}

// A login whose save fails answers the 503 page, with no Location and no
// cookie: nothing half-written. The messages its load took go back as soon
// as the database answers; the value it set and the message it queued are
// not stored, since the visitor was told it failed.
func TestFailedSaveAnswers503AndLosesNothing(t *testing.T) {
	h := newHarness(t)
	h.store.Timeout = 300 * time.Millisecond
	c := h.newSession("name", "Ada")
	h.get("/flash?m=waiting", c)
	var lock interface{ Rollback() error }
	h.hook = func(path string) {
		if path == "/redirect" {
			lock = dbtest.LockTable(t, h.db, "session", "ACCESS EXCLUSIVE")
		}
	}
	r := gin.New()
	r.Use(postgres.Sessions(cookieName, h.store, func(c *gin.Context) {
		c.Header("Retry-After", "5")
		c.String(http.StatusServiceUnavailable, "unavailable")
	}))
	r.GET("/redirect", func(c *gin.Context) {
		s := sessions.Default(c)
		postgres.Renew(s)
		s.Set("name", "Grace")
		postgres.AddFlash(s, "notice", "You're logged in.")
		h.hook(c.Request.URL.Path)
		c.Redirect(http.StatusSeeOther, "/")
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/redirect", nil)
	req.Header.Set("Cookie", cookieName+"="+c)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Location") != "" ||
		res.Header.Get("Set-Cookie") != "" || res.Header.Get("Retry-After") != "5" {
		t.Fatalf("failed save answered %d, Location %q, Set-Cookie %q, Retry-After %q; want 503 with neither, Retry-After 5",
			res.StatusCode, res.Header.Get("Location"), res.Header.Get("Set-Cookie"), res.Header.Get("Retry-After"))
	}
	lock.Rollback()
	if got := h.get("/get?k=name", c).body; got != "Ada" {
		t.Errorf("after the failed login the session reads name %q; want Ada (nothing half-written)", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.store.Waiting() > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := h.get("/take", c).body; got != "waiting" {
		t.Errorf("after the database came back the page shows %q; want the message the failed request took", got)
	}
}

// Ten tabs load the page after a form at the same moment: each message is
// shown by exactly one of them.
func TestTabsLoadingAtOnceShowEachMessageOnce(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	var want []string
	for i := range 5 {
		m := "m" + string(rune('a'+i))
		h.get("/flash?m="+m, c)
		want = append(want, m)
	}
	var (
		mu  sync.Mutex
		got []string
		wg  sync.WaitGroup
	)
	for range 10 {
		wg.Go(func() {
			if body := h.get("/take", c).body; body != "" {
				mu.Lock()
				got = append(got, strings.Split(body, ",")...)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("10 tabs showed %v; want each of %v exactly once", got, want)
	}
}

// gin-contrib's session.Flashes reads the messages middleware-style code
// queued with a type, and AddFlash's messages reach TakeFlashes.
func TestGinFlashAPIReachesTheSameMessages(t *testing.T) {
	h := newHarness(t)
	r := gin.New()
	r.Use(postgres.Sessions(cookieName, h.store, func(c *gin.Context) { c.Status(http.StatusServiceUnavailable) }))
	r.GET("/gin-add", func(c *gin.Context) {
		sessions.Default(c).AddFlash("careful", "warning")
		c.Status(http.StatusNoContent)
	})
	r.GET("/gin-take", func(c *gin.Context) {
		var texts []string
		for _, v := range sessions.Default(c).Flashes(c.Query("type")) {
			texts = append(texts, v.(string))
		}
		c.String(http.StatusOK, strings.Join(texts, ","))
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	c := h.newSession("name", "Ada")
	h.get("/flash?m=hello", c) // postgres.AddFlash, type notice
	h.do(srv, "/gin-add", c)
	if got := h.do(srv, "/gin-take?type=warning", c).body; got != "careful" {
		t.Errorf("Flashes(warning) = %q; want careful", got)
	}
	if got := h.do(srv, "/gin-take", c).body; got != "hello" {
		t.Errorf("Flashes() = %q; want hello", got)
	}
	var n int
	h.db.QueryRowContext(context.Background(), `SELECT count(*) FROM flash WHERE taken_by IS NULL`).Scan(&n)
	if n != 0 {
		t.Errorf("%d messages left waiting in the flash table; want 0", n)
	}
}
