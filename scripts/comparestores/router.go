package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/session"
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

// newRouter builds the one router both stores are driven through: each
// store's session middleware as its app wires it (gin-contrib's
// sessions.Sessions; ours, postgres.Sessions as in routes/routes.go), then
// small handlers that each end by saving the session the store's way. The
// handlers are methods on subject, below, so that this reads as the list
// of routes the scenarios use.
func newRouter(s *subject) *gin.Engine {
	r := gin.New()
	r.Use(s.middleware, s.checkLoad)
	r.GET("/get", s.handleGet)
	r.GET("/page", s.handlePage)
	r.GET("/set", s.handleSet)
	r.POST("/set", s.handleSet) // for a value too big for a URL
	r.GET("/set-twice", s.handleSetTwice)
	r.GET("/flash", s.handleFlash)
	r.GET("/addflash", s.handleAddFlash)
	r.GET("/count", s.handleCount)
	r.GET("/slow", s.handleSlow)
	r.POST("/logout", s.handleLogout)
	r.POST("/logout-clear", s.handleLogoutClear)
	r.POST("/login", s.handleLogin)
	r.POST("/queue", s.handleQueue)
	r.GET("/show", s.handleShow)
	return r
}

// handleGet only reads: it answers the value of k ("" when unset).
func (s *subject) handleGet(c *gin.Context) {
	v := sessions.Default(c).Get(c.Query("k"))
	if v == nil {
		v = ""
	}
	s.finish(c, fmt.Sprint(v))
}

// handlePage is a page as a gin-contrib app writes it: the user, and any
// flash messages waiting, read with the API's own Flashes.
func (s *subject) handlePage(c *gin.Context) {
	sess := sessions.Default(c)
	flashes := sess.Flashes()
	s.finish(c, fmt.Sprintf("user=%v flashes=%d", sess.Get("user"), len(flashes)))
}

// handleSet sets k to v (GET for short values, POST for a big one).
func (s *subject) handleSet(c *gin.Context) {
	sessions.Default(c).Set(c.Request.FormValue("k"), c.Request.FormValue("v"))
	s.finish(c, "ok")
}

// handleSetTwice saves twice in one request, as a handler that saves and
// then adds something, or a retry after an error, does.
func (s *subject) handleSetTwice(c *gin.Context) {
	sess := sessions.Default(c)
	sess.Set("a", "1")
	if err := s.save(c); err != nil {
		c.String(http.StatusInternalServerError, "session not saved: %v", err)
		return
	}
	sess.Set("b", "2")
	s.finish(c, "ok")
}

// handleFlash adds a flash message the app's way: session.Flash.
func (s *subject) handleFlash(c *gin.Context) {
	loadThenWork(c)
	session.Flash(c, "notice", c.Query("m"))
	s.finish(c, "ok")
}

// handleAddFlash adds a flash message gin-contrib's way: AddFlash (a value
// under "_flash" for gin-contrib's store; a row of the flash table for
// ours, as session.Flash).
func (s *subject) handleAddFlash(c *gin.Context) {
	loadThenWork(c).AddFlash(c.Query("m"))
	s.finish(c, "ok")
}

// handleQueue queues the flash message m the store's way (subject.addFlash),
// as a form's POST does; no work is spent (the throughput rows).
func (s *subject) handleQueue(c *gin.Context) {
	s.addFlash(c, c.Request.FormValue("m"))
	s.finish(c, "ok")
}

// handleShow is the page after it: it takes the waiting flash messages the
// store's way and answers how many there were.
func (s *subject) handleShow(c *gin.Context) {
	s.finish(c, fmt.Sprint(s.takeFlashes(c)))
}

// loadThenWork loads the session before the work, as a page does, then
// spends work, so that parallel requests all read the session before any
// of them saves it. It returns the session.
func loadThenWork(c *gin.Context) sessions.Session {
	sess := sessions.Default(c)
	sess.Get("user")
	time.Sleep(work)
	return sess
}

// handleCount answers how many flash messages of each kind wait (the
// app's, then gin-contrib's AddFlash), without taking them. Ours keeps both
// in one place, the flash table.
func (s *subject) handleCount(c *gin.Context) {
	sess := sessions.Default(c)
	added, _ := sess.Get("_flash").([]any)
	n, gin := len(session.PeekFlashes(c)), len(added)
	if s.flashTable {
		gin = n
	}
	s.finish(c, fmt.Sprintf("%d %d", n, gin))
}

// handleSlow is a slow request: it reads the session, then waits until
// the scenario releases it (a slow query, an upload), then changes the
// session.
func (s *subject) handleSlow(c *gin.Context) {
	sess := sessions.Default(c)
	sess.Get("user")
	s.slowLoaded <- struct{}{}
	select {
	case <-s.slowRelease:
	case <-time.After(5 * time.Second):
	}
	sess.Set("seen", time.Now().String())
	s.finish(c, "ok")
}

// handleLogout logs out the store's way.
func (s *subject) handleLogout(c *gin.Context) {
	s.logout(sessions.Default(c))
	s.finish(c, "ok")
}

// handleLogoutClear logs out by emptying the session.
func (s *subject) handleLogoutClear(c *gin.Context) {
	sessions.Default(c).Clear()
	s.finish(c, "ok")
}

// handleLogin rotates the session's ID when the store can, then stores
// the user.
func (s *subject) handleLogin(c *gin.Context) {
	sess := sessions.Default(c)
	if s.rotate != nil {
		s.rotate(sess)
	}
	sess.Set("user", c.Query("user"))
	s.finish(c, "ok")
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
