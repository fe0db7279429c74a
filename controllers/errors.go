package controllers

// The error pages (views/errors/error.html): each status with its message
// (the course's texts where it has one), rendered without touching the
// session store or the database, which may be what failed.

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

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

func (b *Base) renderError(c *gin.Context, status int, message string) {
	b.renderErrorPage(c, errorPage{Status: status, Message: message})
}

func (b *Base) renderErrorPage(c *gin.Context, data errorPage) {
	status := data.Status
	page := b.page(c, http.StatusText(status), data, false)
	if _, ok := c.Get(sessions.DefaultKey); ok && postgres.Err(sessions.Default(c)) == nil {
		// Keep the header true for a logged-in visitor; nothing is saved.
		page.Account = session.AccountOf(c)
		page.CSRF = b.csrf.Token(c)
	}
	// An error page never sets or rotates cookies: it must not depend on
	// the session store, which may be what failed.
	c.Header("Cache-Control", "no-store")
	b.write(c, status, "errors/error", page)
}
