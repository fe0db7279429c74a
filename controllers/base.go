// Package controllers holds the request handlers, as methods on small
// structs that hold the models and views they use: one file per resource,
// as in the course's controllers folder.
package controllers

import (
	"bytes"
	"compress/gzip"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/views"
)

// Base is the base controller (the course's baseController): the home
// page, the error pages, and the page building every controller shares.
type Base struct {
	views           *views.Views
	classifications *models.Classifications
	csrf            *middleware.CSRF
	cache           *pageCache
	nav             navCache
	gzip            *middleware.Gzipper // pages built for one visitor, compressed as sent
	bufs            sync.Pool           // *bytes.Buffer for rendering
	// dev turns on the hints for students extending the app (a form
	// without its csrf_token field); production pages never show them.
	dev bool
}

// NewBase returns the base controller; dev is true in development.
func NewBase(v *views.Views, classifications *models.Classifications, csrf *middleware.CSRF, dev bool) *Base {
	b := &Base{views: v, classifications: classifications, csrf: csrf, dev: dev,
		cache: newPageCache(10*time.Second, middleware.NewGzipper(gzip.BestCompression)),
		gzip:  middleware.NewGzipper(gzip.BestSpeed)} // a page per visitor: fastest
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

// TriggerError is the footer's intentional error, to show the error page.
func (b *Base) TriggerError(c *gin.Context) {
	c.Error(errors.New("intentional error from the footer link"))
}

// render builds the page with what every page needs (navigation, flash
// messages), then writes the HTML. The session saves itself as the page
// goes out (postgres.Sessions): the flash messages shown leave the flash
// table then; if the save fails, the 503 page goes out instead and the
// messages stay for the next try.
func (b *Base) render(c *gin.Context, status int, name, title string, data any) {
	b.renderPage(c, status, name, b.page(c, title, data, true))
}

// renderPage writes page (see render).
func (b *Base) renderPage(c *gin.Context, status int, name string, page *views.Page) {
	// A login or a rotation has already given the session its new ID,
	// which the next form must carry.
	page.CSRF = b.csrf.Token(c)
	if page.Account != nil {
		// Pages for a logged-in visitor show account data: keep them out
		// of every cache, the browser's back-forward store included.
		c.Header("Cache-Control", "no-store")
	}
	b.write(c, status, name, page)
}

// found reports whether a lookup succeeded, answering the request itself
// when it did not: the 404 page for ErrNotFound, the error page otherwise.
func (b *Base) found(c *gin.Context, err error) bool {
	switch {
	case errors.Is(err, models.ErrNotFound):
		b.NotFound(c)
	case err != nil:
		c.Error(err)
	default:
		return true
	}
	return false
}

// Redirect is redirect, for middleware.
func (b *Base) Redirect(c *gin.Context, location string) { b.redirect(c, location) }

// redirect redirects with 303 See Other, so a reload never re-submits a
// form. It is gin's c.Redirect: the session (with any flash message just
// queued) saves itself as the redirect goes out.
func (b *Base) redirect(c *gin.Context, location string) {
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
	p.Navigation = b.nav.render(c, b.views, items, p.Path)
	if withSession {
		p.Flash = session.TakeFlashes(c)
		p.Account = session.AccountOf(c)
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
	var gz []byte
	gen, cacheable := c.Value(cacheable).(uint64)
	switch {
	case cacheable && status == http.StatusOK && page.Flash == nil && page.Account == nil &&
		c.Writer.Header().Get("Set-Cookie") == "":
		gz = b.cache.put(c.Request.URL.Path, buf.Bytes(), gen) // compressed once, for every visitor
	case page.CSRF == "" && middleware.AcceptsGzip(c.Request):
		// A page carrying the session's CSRF token is sent as it is: a
		// compressed secret next to text an attacker can influence leaks
		// through the response's size (the BREACH attack).
		gz = b.gzip.Compress(buf.Bytes())
	}
	send(c, status, buf.Bytes(), gz)
}

// send writes an HTML page: gz (the page gzipped) to a browser that
// accepts it, plain otherwise. Pages differ by session (flash messages,
// the account) and by encoding: Vary says so, so that no shared cache
// serves one visitor's page, or a compressed page, to another.
func send(c *gin.Context, status int, plain, gz []byte) {
	h := c.Writer.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Vary", "Cookie, Accept-Encoding")
	body := plain
	if gz != nil && middleware.AcceptsGzip(c.Request) {
		body = gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Writer.WriteHeader(status)
	c.Writer.Write(body)
}

// navCache keeps the rendered navigation: it is the same for every page but
// for the link marked current, so it is rendered once per current link and
// list of classifications (the model hands out the same slice until the
// list is re-read), not once per request. In development (the views
// reload) it keeps nothing, so an edit to the partial shows at once.
type navCache struct {
	mu    sync.RWMutex
	items []models.Classification
	pages map[string]template.HTML // by the current link's URL ("" for none)
}

// render returns the navigation for path, rendering it when needed.
func (n *navCache) render(c *gin.Context, v *views.Views, items []models.Classification, path string) template.HTML {
	current := ""
	if path == "/" || strings.HasPrefix(path, "/inv/type/") {
		current = path // another path marks no link: they share one copy
	}
	n.mu.RLock()
	h, ok := n.pages[current]
	ok = ok && sameList(n.items, items) && !v.Reloads()
	n.mu.RUnlock()
	if ok {
		return h
	}
	nav := make([]views.NavItem, len(items))
	for i, it := range items {
		url := "/inv/type/" + strconv.Itoa(it.ID)
		nav[i] = views.NavItem{ID: it.ID, Name: it.Name, URL: url, Current: url == path}
	}
	h, err := v.Navigation(nav, path)
	if err != nil {
		c.Error(err)
		return ""
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if !sameList(n.items, items) || len(n.pages) > 100 {
		n.items, n.pages = items, map[string]template.HTML{}
	}
	n.pages[current] = h
	return h
}

// sameList reports whether a and b are the same slice, not merely equal.
func sameList(a, b []models.Classification) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
