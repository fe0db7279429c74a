// Package middleware holds the gin handlers that run between receiving a
// request and the controller (the course's "in the middle"): error
// recovery, request logging, forms, CSRF, compression, security headers
// and the login guards. The session itself is loaded and saved by the
// store's own middleware, postgres.Sessions; what it holds (the logged-in
// account, flash messages) is read and written through package session.
package middleware

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Recover turns a panic or an error left by a handler into the error page
// rendered by serverError, logged once, with no internals shown. A handler
// reports an error with c.Error(err) and returns without writing.
func Recover(serverError gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v) // the client went away; net/http handles it quietly
				}
				err, ok := v.(error)
				if !ok {
					err = errors.New(slog.AnyValue(v).String())
				}
				c.Error(err)
				if !c.Writer.Written() {
					c.Writer.Header().Del("Set-Cookie")
					serverError(c)
				}
				c.Abort()
			}
		}()
		c.Next()
		if len(c.Errors) > 0 && !c.Writer.Written() {
			serverError(c)
		}
	}
}

// RequestLog logs the errors handlers recorded, once each, with the
// request they belong to; with all set (development) it logs every request
// with its status and duration too. Production skips the routine lines:
// writing one per request costs more than serving a cached page.
func RequestLog(logger *slog.Logger, all bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if !all && len(c.Errors) == 0 {
			return
		}
		attrs := []slog.Attr{
			slog.String("method", c.Request.Method),
			slog.String("path", c.Request.URL.Path),
			slog.Int("status", c.Writer.Status()),
			slog.Duration("took", time.Since(start)),
		}
		level := slog.LevelInfo
		if len(c.Errors) > 0 {
			attrs = append(attrs, slog.String("err", strings.Join(c.Errors.Errors(), "; ")))
			if c.Writer.Status() >= 500 {
				level = slog.LevelError
			} else {
				level = slog.LevelWarn
			}
		}
		logger.LogAttrs(c.Request.Context(), level, "request", attrs...)
	}
}

// SecurityHeaders sets the headers every response should carry: no
// inline script or style may run (ContentSecurityPolicy), pages cannot be
// framed, MIME types are not sniffed, and referrers do not leak paths to
// other sites. With hsts set (production, behind HTTPS) browsers are told
// to use HTTPS only. A non-empty cspReports (development) is where the
// browser reports what the policy blocked: see CSPReports.
func SecurityHeaders(hsts bool, cspReports string) gin.HandlerFunc {
	// Built once and assigned by key: setting them costs no allocation per
	// request. Each slice is full (len == cap), so an Add elsewhere copies
	// it instead of writing into the shared array.
	headers := map[string][]string{
		"Content-Security-Policy": {ContentSecurityPolicy(cspReports)},
		"X-Content-Type-Options":  {"nosniff"},
		"Referrer-Policy":         {"strict-origin-when-cross-origin"},
		"X-Frame-Options":         {"DENY"},
	}
	if hsts {
		headers["Strict-Transport-Security"] = []string{"max-age=31536000; includeSubDomains"}
	}
	return func(c *gin.Context) {
		h := c.Writer.Header()
		for k, v := range headers {
			h[k] = v[:1:1]
		}
		c.Next()
	}
}
