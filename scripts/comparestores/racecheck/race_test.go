//go:build comparestores

package racecheck

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gin-contrib/sessions"
	gcpostgres "github.com/gin-contrib/sessions/postgres"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

var key = []byte("comparestores race check key, 32+ bytes long")

// TestGinContribPostgres uses gin-contrib/sessions/postgres concurrently.
func TestGinContribPostgres(t *testing.T) {
	store, err := gcpostgres.NewStore(open(t), key)
	if err != nil {
		t.Fatal(err)
	}
	useConcurrently(t, store, func(c *gin.Context) error { return sessions.Default(c).Save() })
}

// TestOurs uses sessionstore/postgres concurrently.
func TestOurs(t *testing.T) {
	store := postgres.NewStore(open(t), key)
	if err := store.CreateTable(context.Background()); err != nil {
		t.Fatal(err)
	}
	useConcurrently(t, store, func(c *gin.Context) error {
		return postgres.Save(sessions.Default(c), c.Request, c.Writer)
	})
}

func open(t *testing.T) *sql.DB {
	u := os.Getenv("COMPARESTORES_DATABASE_URL")
	if u == "" {
		t.Fatal("COMPARESTORES_DATABASE_URL is not set: run `make compare-stores`")
	}
	db, err := sql.Open("postgres", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// useConcurrently sends parallel requests through gin, as a server does:
// several on one session (a browser's parallel requests) and some from new
// visitors, each reading the session and changing it.
func useConcurrently(t *testing.T, store sessions.Store, save func(*gin.Context) error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(sessions.Sessions("sessionId", store))
	r.GET("/visit", func(c *gin.Context) {
		s := sessions.Default(c)
		_ = s.Get("last")
		s.Set("last", time.Now().String())
		if err := save(c); err != nil {
			c.String(http.StatusInternalServerError, err.Error())
			return
		}
		c.Status(http.StatusOK)
	})
	visit := func(cookie string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/visit", nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		r.ServeHTTP(w, req)
		return w
	}
	first := visit("")
	if first.Code != http.StatusOK {
		t.Fatalf("first visit: %d %s", first.Code, first.Body)
	}
	cookie := first.Header().Get("Set-Cookie")
	for i := len(cookie) - 1; i >= 0; i-- {
		if cookie[i] == ';' {
			cookie = cookie[:i]
		}
	}

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 10 {
				c := cookie
				if g%2 == 1 {
					c = "" // a new visitor
				}
				if w := visit(c); w.Code != http.StatusOK {
					t.Errorf("visit: %d %s", w.Code, w.Body)
				}
			}
		})
	}
	wg.Wait()
}
