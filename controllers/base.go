// Package controllers holds the request handlers, as methods on small
// structs that hold the models and views they use: one file per resource,
// as in the course's controllers folder.
package controllers

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

// Base is the base controller (the course's baseController): the home
// page, the error pages, and the page building every controller shares.
type Base struct {
	views           *views.Views
	classifications *models.Classifications
	csrf            *middleware.CSRF
	cache           *pageCache
	bufs            sync.Pool // *bytes.Buffer for rendering
	// dev turns on the hints for students extending the app (a form
	// without its csrf_token field); production pages never show them.
	dev bool
}

// NewBase returns the base controller; dev is true in development.
func NewBase(v *views.Views, classifications *models.Classifications, csrf *middleware.CSRF, dev bool) *Base {
	b := &Base{views: v, classifications: classifications, csrf: csrf, dev: dev, cache: newPageCache(10 * time.Second)}
	b.bufs.New = func() any { return new(bytes.Buffer) }
	return b
}

// PagesChanged clears the cached public pages after a change to what they
// show (a vehicle, a classification).
func (b *Base) PagesChanged() { b.cache.Clear() }

// Home renders the home page.
func (b *Base) Home(c *gin.Context) {
	b.render(c, http.StatusOK, "index", "Welcome to CSE Motors!", nil)
}

// errorPage is the data of views/errors/error.html.
type errorPage struct {
	Status  int
	Message string
	// MissingCSRF shows, in development only, how to add the csrf_token
	// field to a form that was refused for lacking it.
	MissingCSRF bool
}

// NotFound renders the 404 page for any path no route matches.
func (b *Base) NotFound(c *gin.Context) {
	b.renderError(c, http.StatusNotFound, "Sorry, we appear to have lost that page.")
}

// ServerError renders the 500 page. Recover calls it after a panic or a
// handler error, which RequestLog logs.
func (b *Base) ServerError(c *gin.Context) {
	b.renderError(c, http.StatusInternalServerError, "Oh no! There was a crash. Maybe try a different route?")
}

// MethodNotAllowed renders the 405 page for a known path asked with a
// method it does not take (POST /, GET /account/logout). Gin has set the
// Allow header; HEAD is allowed wherever GET is (see routes.headAsGet).
func (b *Base) MethodNotAllowed(c *gin.Context) {
	h := c.Writer.Header()
	if allow := h.Get("Allow"); strings.Contains(allow, http.MethodGet) {
		h.Set("Allow", allow+", "+http.MethodHead)
	}
	b.renderError(c, http.StatusMethodNotAllowed, "Sorry, this page can't be used that way.")
}

// Unavailable renders the 503 page sent when the session store cannot be
// reached: the visitor is asked to retry rather than silently logged out.
func (b *Base) Unavailable(c *gin.Context) {
	c.Header("Retry-After", "5")
	b.renderError(c, http.StatusServiceUnavailable,
		"We can't reach our records right now. Please try again in a few seconds.")
}

// Forbidden renders the 403 page for a logged-in visitor whose account
// may not open the page (a Client at inventory management).
func (b *Base) Forbidden(c *gin.Context) {
	b.renderError(c, http.StatusForbidden,
		"Sorry, this page is for CSE Motors employees. Your account can't open it.")
}

// FormRefused renders the 403 page for a form that failed the cross-site
// request forgery check; nothing was changed.
func (b *Base) FormRefused(c *gin.Context) {
	page := errorPage{Status: http.StatusForbidden,
		Message: "This form has expired or was sent from another site, so nothing was changed. Please reload the page and try again."}
	if b.dev && errors.Is(c.Errors.Last(), middleware.ErrNoCSRFField) {
		// A student's new form without the token field: say so, in
		// development only (production says no more than it must).
		page.Message = "This form has no csrf_token field, so it was refused and nothing was changed."
		page.MissingCSRF = true
	}
	b.renderErrorPage(c, page)
}

// TooLarge renders the 413 page for an oversized form.
func (b *Base) TooLarge(c *gin.Context) {
	b.renderError(c, http.StatusRequestEntityTooLarge, "That form was too large to accept. Please shorten it and try again.")
}

// BadRequest renders the 400 page for a request that cannot be read.
func (b *Base) BadRequest(c *gin.Context) {
	b.renderError(c, http.StatusBadRequest, "Sorry, we couldn't read that request.")
}

// TriggerError is the footer's intentional error, to show the error page.
func (b *Base) TriggerError(c *gin.Context) {
	c.Error(errors.New("intentional error from the footer link"))
}

func (b *Base) renderError(c *gin.Context, status int, message string) {
	b.renderErrorPage(c, errorPage{Status: status, Message: message})
}

func (b *Base) renderErrorPage(c *gin.Context, data errorPage) {
	status := data.Status
	page := b.page(c, http.StatusText(status), data, false)
	if _, ok := c.Get(sessions.DefaultKey); ok && postgres.Err(sessions.Default(c)) == nil {
		// Keep the header true for a logged-in visitor; nothing is saved.
		page.Account = middleware.CurrentAccount(c)
		page.CSRF = b.csrf.Token(c)
	}
	// An error page never sets or rotates cookies: it must not depend on
	// the session store, which may be what failed.
	c.Header("Cache-Control", "no-store")
	b.write(c, status, "errors/error", page)
}

// render builds the page with what every page needs (navigation, flash
// messages), saves the session (the flash messages shown are now gone from
// it), then writes the HTML. A session that cannot be saved gives the 503
// page instead: the messages are kept for the next try.
func (b *Base) render(c *gin.Context, status int, name, title string, data any) {
	b.renderPage(c, status, name, b.page(c, title, data, true))
}

// renderPage saves the session and writes page (see render).
func (b *Base) renderPage(c *gin.Context, status int, name string, page *views.Page) {
	if err := postgres.Save(sessions.Default(c), c.Request, c.Writer); err != nil {
		c.Error(err)
		b.Unavailable(c)
		return
	}
	// The token is computed after the save: a login has just given the
	// session its new ID, which the next form must carry.
	page.CSRF = b.csrf.Token(c)
	if page.Account != nil {
		// Pages for a logged-in visitor show account data: keep them out
		// of every cache, the browser's back-forward store included.
		c.Header("Cache-Control", "no-store")
	}
	b.write(c, status, name, page)
}

// Redirect is redirect, for middleware.
func (b *Base) Redirect(c *gin.Context, location string) { b.redirect(c, location) }

// redirect saves the session (with any flash message just added) and
// redirects with 303 See Other, so a reload never re-submits a form.
func (b *Base) redirect(c *gin.Context, location string) {
	if err := postgres.Save(sessions.Default(c), c.Request, c.Writer); err != nil {
		c.Error(err)
		b.Unavailable(c)
		return
	}
	c.Redirect(http.StatusSeeOther, location)
}

// page fills the layout's data. withSession is false for error pages,
// which must render even when the session or the database is unusable:
// they take the navigation from the cache, however old, and no flash.
func (b *Base) page(c *gin.Context, title string, data any, withSession bool) *views.Page {
	p := &views.Page{Title: title, Path: c.Request.URL.Path, Year: time.Now().Year(), Data: data}
	items := b.classifications.Cached()
	if withSession {
		var err error
		if items, err = b.classifications.All(c.Request.Context()); err != nil {
			c.Error(err) // the page still renders, without category links
		}
	}
	p.Nav = make([]views.NavItem, len(items))
	for i, it := range items {
		url := "/inv/type/" + strconv.Itoa(it.ID)
		p.Nav[i] = views.NavItem{ID: it.ID, Name: it.Name, URL: url, Current: url == p.Path}
	}
	if withSession {
		p.Flash = middleware.TakeFlashes(c)
		p.Account = middleware.CurrentAccount(c)
	}
	return p
}

func (b *Base) write(c *gin.Context, status int, name string, page *views.Page) {
	buf := b.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer b.bufs.Put(buf)
	if err := b.views.Render(buf, name, page); err != nil {
		c.Error(err) // Recover renders the 500 page: nothing was sent yet
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	// Pages differ by session (flash messages, the account): no shared
	// cache may serve one visitor's page to another.
	h.Set("Vary", "Cookie")
	if status == http.StatusOK && c.GetBool(cacheable) && page.Flash == nil && page.Account == nil &&
		h.Get("Set-Cookie") == "" {
		b.cache.put(c.Request.URL.Path, buf.Bytes())
	}
	c.Writer.WriteHeader(status)
	c.Writer.Write(buf.Bytes())
}
