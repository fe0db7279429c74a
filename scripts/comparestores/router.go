package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

const (
	cookieName = "sessionId"
	// idHeader carries the session ID back to the scenario, which needs it
	// to find the session's rows. Never do this in an app: the ID is the
	// whole credential.
	idHeader = "X-Session-Id"
	// work is what a handler spends between reading the session and saving
	// it (a query, a template) in the flash scenarios: long enough that
	// the parallel requests all read before any of them saves.
	work = 200 * time.Millisecond
)

// newRouter builds the one router both stores are driven through:
// sessions.Sessions("sessionId", store) as in routes/routes.go, then small
// handlers that each end by saving the session the store's way.
func newRouter(s *subject) *gin.Engine {
	r := gin.New()
	r.Use(sessions.Sessions(cookieName, s.store), s.checkLoad)

	// Read only: the value of k ("" when unset).
	r.GET("/get", func(c *gin.Context) {
		v := sessions.Default(c).Get(c.Query("k"))
		if v == nil {
			v = ""
		}
		s.finish(c, fmt.Sprint(v))
	})
	// A page as a gin-contrib app writes it: the user, and any flash
	// messages waiting, read with the API's own Flashes.
	r.GET("/page", func(c *gin.Context) {
		sess := sessions.Default(c)
		flashes := sess.Flashes()
		s.finish(c, fmt.Sprintf("user=%v flashes=%d", sess.Get("user"), len(flashes)))
	})
	// Set a value (GET for short values, POST for a big one).
	set := func(c *gin.Context) {
		sessions.Default(c).Set(c.Request.FormValue("k"), c.Request.FormValue("v"))
		s.finish(c, "ok")
	}
	r.GET("/set", set)
	r.POST("/set", set)
	// Save twice in one request, as a handler that saves and then adds
	// something, or a retry after an error, does.
	r.GET("/set-twice", func(c *gin.Context) {
		sess := sessions.Default(c)
		sess.Set("a", "1")
		if err := s.save(c); err != nil {
			c.String(http.StatusInternalServerError, "session not saved: %v", err)
			return
		}
		sess.Set("b", "2")
		s.finish(c, "ok")
	})
	// A flash message the app's way: middleware.Flash, which keeps them
	// under middleware.FlashKey in connect-flash's {"notice": [...]} shape.
	r.GET("/flash", func(c *gin.Context) {
		sessions.Default(c).Get("user") // load the session before the work, as a page does
		time.Sleep(work)
		middleware.Flash(c, "notice", c.Query("m"))
		s.finish(c, "ok")
	})
	// A flash message gin-contrib's way: AddFlash, under "_flash".
	r.GET("/addflash", func(c *gin.Context) {
		sess := sessions.Default(c)
		sess.Get("user") // load the session before the work, as a page does
		time.Sleep(work)
		sess.AddFlash(c.Query("m"))
		s.finish(c, "ok")
	})
	// How many flash messages of each kind wait, without taking them.
	r.GET("/count", func(c *gin.Context) {
		sess := sessions.Default(c)
		added, _ := sess.Get("_flash").([]any)
		n := 0
		for _, msgs := range postgres.GetQueues(sess, middleware.FlashKey) {
			n += len(msgs)
		}
		s.finish(c, fmt.Sprintf("%d %d", n, len(added)))
	})
	// A slow request: it reads the session, then waits until the scenario
	// releases it (a slow query, an upload), then changes the session.
	r.GET("/slow", func(c *gin.Context) {
		sess := sessions.Default(c)
		sess.Get("user")
		s.slowLoaded <- struct{}{}
		select {
		case <-s.slowRelease:
		case <-time.After(5 * time.Second):
		}
		sess.Set("seen", time.Now().String())
		s.finish(c, "ok")
	})
	// Logout the store's way; and logout by emptying the session.
	r.POST("/logout", func(c *gin.Context) {
		s.logout(sessions.Default(c))
		s.finish(c, "ok")
	})
	r.POST("/logout-clear", func(c *gin.Context) {
		sessions.Default(c).Clear()
		s.finish(c, "ok")
	})
	// Login: rotate the ID when the store can, then store the user.
	r.POST("/login", func(c *gin.Context) {
		sess := sessions.Default(c)
		if s.rotate != nil {
			s.rotate(sess)
		}
		sess.Set("user", c.Query("user"))
		s.finish(c, "ok")
	})
	return r
}

// finish saves the session and answers body, or 500 when the save failed.
func (s *subject) finish(c *gin.Context, body string) {
	if err := s.save(c); err != nil {
		c.String(http.StatusInternalServerError, "session not saved: %v", err)
		return
	}
	c.Header(idHeader, sessions.Default(c).ID())
	c.String(http.StatusOK, "%s", body)
}
