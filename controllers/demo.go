package controllers

import (
	"net/http"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/checkpoints"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// Demo holds development-only pages for showing sessions in class. Its
// routes are not registered in production.
type Demo struct {
	base       *Base
	store      *postgres.Store
	cookieName string
	log        *checkpoints.Log // nil where checkpoints are not kept (production)
}

// NewDemo returns the demo controller. log is the request log the session
// page shows live, nil where none is kept.
func NewDemo(base *Base, store *postgres.Store, cookieName string, log *checkpoints.Log) *Demo {
	return &Demo{base: base, store: store, cookieName: cookieName, log: log}
}

// Flash is the course's first flash test, made safe: it stores a message
// and redirects home, where the message shows once under the h1.
func (d *Demo) Flash(c *gin.Context) {
	session.Flash(c, "notice", "This is a flash message.")
	d.base.redirect(c, "/")
}

// sessionDemo is the data of views/demo/session.html.
type sessionDemo struct {
	CookieName  string
	CookieValue string // as the browser sent it: ID, dot, signature
	ID          string // what the bib number is derived from
	Bib         string // checkpoints.Bib(ID): the number on the bib
	Signature   string
	HasRow      bool
	Row         postgres.Row
	Waiting     []postgres.Flash // flash messages stored and not shown yet
	Live        *feedView        // the checkpoints; nil where none are kept
}

// Session shows the visitor's own session: the cookie as the browser holds
// it, the ID it carries, the row as stored and the flash messages waiting
// in it. It does not consume the messages, so they can be watched in psql
// until a normal page shows them.
func (d *Demo) Session(c *gin.Context) {
	data := sessionDemo{CookieName: d.cookieName}
	if v, err := c.Cookie(d.cookieName); err == nil {
		data.CookieValue = v
	}
	data.ID = postgres.ID(sessions.Default(c))
	data.Bib = checkpoints.Bib(data.ID)
	if data.ID != "" && len(data.CookieValue) > len(data.ID)+1 {
		data.Signature = data.CookieValue[len(data.ID)+1:]
	}
	if data.ID != "" {
		row, ok, err := d.store.Inspect(c.Request.Context(), data.ID)
		if err != nil {
			c.Error(err)
			d.base.Unavailable(c)
			return
		}
		data.HasRow, data.Row = ok, row
	}
	data.Waiting = session.PeekFlashes(c) // seen waiting, not taken: the demo page must not show them
	if d.log != nil {
		live := newFeedView(d.log.Snapshot(data.ID))
		data.Live = &live
	}
	page := d.base.page(c, "Your Session", data, false)
	page.Account = session.AccountOf(c)
	d.base.renderPage(c, http.StatusOK, "demo/session", page)
}

// AddFlash stores a flash message and comes back to the demo page, where
// the message is seen waiting in the row.
func (d *Demo) AddFlash(c *gin.Context) {
	session.Flash(c, "notice", "This is a flash message.")
	d.base.redirect(c, "/demo/session")
}

// Rotate gives the session a new ID, keeping its data.
func (d *Demo) Rotate(c *gin.Context) {
	postgres.Rotate(sessions.Default(c))
	d.base.redirect(c, "/demo/session")
}

// Destroy deletes the session's row and expires its cookie.
func (d *Demo) Destroy(c *gin.Context) {
	session.LogOut(c)
	d.base.redirect(c, "/demo/session")
}
