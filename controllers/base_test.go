package controllers

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/public"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// A message added and shown in the same request (a form that fails
// validation, say) appears on that page and leaves nothing in the database.
func TestFlashSetAndRenderedInOneRequest(t *testing.T) {
	counter := &dbtest.Counter{}
	db, _ := dbtest.New(t, counter)
	store := postgres.NewStore(db, []byte("test-secret-test-secret-test-secret-42"))
	if err := store.CreateTable(context.Background()); err != nil {
		t.Fatal(err)
	}
	pages, err := views.New(views.Files, public.Files, false)
	if err != nil {
		t.Fatal(err)
	}
	base := NewBase(pages, models.NewClassifications(db, time.Minute), middleware.NewCSRF([]byte("test-secret-test-secret-test-secret-42")), false)
	r := gin.New()
	r.Use(sessions.Sessions("sessionId", store))
	r.GET("/now", func(c *gin.Context) {
		session.Flash(c, "success", "Saved.")
		session.Flash(c, "error", "But one thing failed.")
		session.Flash(c, "success", "And another saved.")
		base.render(c, http.StatusOK, "index", "Now", nil)
	})
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/now", nil))
	body := rec.Body.String()
	want := `<ul class="error">
        <li>But one thing failed.</li>
      </ul>
      <ul class="success">
        <li>Saved.</li>
        <li>And another saved.</li>
      </ul>`
	if !strings.Contains(body, want) {
		t.Errorf("page lacks the messages, errors first, each type in order:\n%s", body)
	}
	if c := rec.Header().Get("Set-Cookie"); c != "" {
		t.Errorf("messages shown at once still created a session: %s", c)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM session`).Scan(&n)
	if n != 0 {
		t.Errorf("%d session rows; want 0", n)
	}
	if v := rec.Header().Get("Vary"); v != "Cookie, Accept-Encoding" {
		t.Errorf("Vary = %q; want Cookie, Accept-Encoding", v)
	}
}

// A visitor without a session gets the last good copy of a public page
// when it cannot be built (the database is down), not an error page.
func TestStalePageStandsInWhenThePageFails(t *testing.T) {
	db, _ := dbtest.New(t, nil)
	store := postgres.NewStore(db, []byte("test-secret-test-secret-test-secret-42"))
	pages, err := views.New(views.Files, public.Files, false)
	if err != nil {
		t.Fatal(err)
	}
	base := NewBase(pages, models.NewClassifications(db, time.Minute), middleware.NewCSRF([]byte("x")), false)
	base.cache.ttl = time.Millisecond
	failing := false
	r := gin.New()
	r.Use(middleware.Recover(base.ServerError), sessions.Sessions("sessionId", store))
	r.GET("/page", base.Cached, func(c *gin.Context) {
		if failing {
			c.Error(errors.New("database down"))
			return
		}
		base.render(c, http.StatusOK, "index", "Fresh", nil)
	})
	get := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/page", nil))
		return rec
	}
	if rec := get(); rec.Code != http.StatusOK {
		t.Fatalf("first render = %d", rec.Code)
	}
	time.Sleep(5 * time.Millisecond) // the copy is stale now
	failing = true
	rec := get()
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<h1>Fresh</h1>") {
		t.Errorf("with the page failing = %d; want the last good copy", rec.Code)
	}
	base.PagesChanged()
	if rec := get(); rec.Code != http.StatusInternalServerError {
		t.Errorf("with nothing cached and the page failing = %d; want 500", rec.Code)
	}
}

// In development (views reloading), an edit to a partial that pages keep
// rendered, the navigation included, shows on the next request.
func TestDevelopmentShowsPartialEditsAtOnce(t *testing.T) {
	db, _ := dbtest.New(t, nil)
	files := fstest.MapFS{}
	err := fs.WalkDir(views.Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(views.Files, path)
		files[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := views.New(files, public.Files, true)
	if err != nil {
		t.Fatal(err)
	}
	base := NewBase(pages, models.NewClassifications(db, time.Minute), middleware.NewCSRF([]byte("x")), true)
	r := gin.New()
	r.Use(sessions.Sessions("sessionId", postgres.NewStore(db, []byte("test-secret-test-secret-test-secret-42"))))
	r.GET("/", base.Home)
	get := func() string {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		return rec.Body.String()
	}
	for _, edit := range []struct{ file, from, to string }{
		{"partials/navigation.html", ">Home</a>", ">Start here</a>"},
		{"partials/assets.html", "<link", `<link data-edited="yes"`},
	} {
		get() // rendered, and kept, before the edit
		f := files[edit.file]
		if !strings.Contains(string(f.Data), edit.from) {
			t.Fatalf("%s lacks %q", edit.file, edit.from)
		}
		f.Data = []byte(strings.Replace(string(f.Data), edit.from, edit.to, 1))
		if body := get(); !strings.Contains(body, edit.to) {
			t.Errorf("after editing %s, the page lacks %q", edit.file, edit.to)
		}
	}
}
