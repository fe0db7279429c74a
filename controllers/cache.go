package controllers

import (
	"bytes"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// pageCache keeps the HTML of public pages as an anonymous visitor sees
// them (no session: no flash, no account), so the home, classification and
// vehicle pages cost a visitor without a session no query and no template
// work. Entries are fresh for ttl, which bounds how long a change made
// through another instance takes to show; a change made through this one
// clears the cache at once. A stale entry is served when the page cannot
// be built, so reading the site survives a database outage.
type pageCache struct {
	ttl   time.Duration
	gzip  *middleware.Gzipper // each page is compressed once, when stored
	mu    sync.RWMutex
	pages map[string]cachedPage
	// gen counts the Clears: a page built from data read before a Clear
	// must not be stored after it, or the change would not show.
	gen uint64
}

type cachedPage struct {
	body    []byte
	gz      []byte // body gzipped; nil when that does not pay
	expires time.Time
}

// maxCachedPages bounds the cache; only existing pages (status 200) are
// cached, so the bound is only a guard.
const maxCachedPages = 2000

func newPageCache(ttl time.Duration, gz *middleware.Gzipper) *pageCache {
	return &pageCache{ttl: ttl, gzip: gz, pages: map[string]cachedPage{}}
}

// get returns the cached page for key, if any, and whether it is still
// fresh. A stale page is kept: it stands in when the database is down.
func (pc *pageCache) get(key string) (page cachedPage, ok, fresh bool) {
	pc.mu.RLock()
	page, ok = pc.pages[key]
	pc.mu.RUnlock()
	return page, ok, ok && time.Now().Before(page.expires)
}

// generation is the number of Clears so far: take it before reading what
// a page shows, and give it to put.
func (pc *pageCache) generation() uint64 {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	return pc.gen
}

// put stores the page body under key, compressing it once, and returns
// the compressed copy (nil when it does not pay). A page built before the
// latest Clear (gen is older) is not stored: it may show what changed.
func (pc *pageCache) put(key string, body []byte, gen uint64) (gz []byte) {
	page := cachedPage{body: bytes.Clone(body), gz: pc.gzip.Compress(body), expires: time.Now().Add(pc.ttl)}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if gen != pc.gen {
		return page.gz
	}
	if len(pc.pages) >= maxCachedPages {
		clear(pc.pages)
	}
	pc.pages[key] = page
	return page.gz
}

// Clear drops every page, after a change to what pages show.
func (pc *pageCache) Clear() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	clear(pc.pages)
	pc.gen++
}

// cacheable is the gin context key marking a request whose page may be
// stored in the cache once rendered; it holds the cache's generation when
// the request began.
const cacheable = "controllers.cacheable"

// Cached serves public pages from the cache to visitors without a session
// cookie, and marks the request so that render stores the page otherwise.
// Put it in front of handlers whose page depends only on the URL and the
// database.
func (b *Base) Cached(c *gin.Context) {
	r := c.Request
	if r.Method != http.MethodGet || r.URL.RawQuery != "" || postgres.HasCookie(r, session.CookieName) {
		c.Next()
		return
	}
	page, ok, fresh := b.cache.get(r.URL.Path)
	if fresh {
		send(c, http.StatusOK, page.body, page.gz)
		c.Abort()
		return
	}
	c.Set(cacheable, b.cache.generation())
	c.Next()
	if ok && !c.Writer.Written() && len(c.Errors) > 0 {
		// The page could not be built (the database is down, say): the
		// last good copy beats an error page for a visitor who only reads.
		send(c, http.StatusOK, page.body, page.gz)
	}
}
