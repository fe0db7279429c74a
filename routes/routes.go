// Package routes maps every URL of the site to its handler in one table
// (the course's server.js routes section and routes folder).
package routes

import (
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/controllers"
	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

// SessionCookie is the session cookie's name, as in the course.
const SessionCookie = "sessionId"

// Deps is everything the routes need, built by main (and by the tests).
type Deps struct {
	Config          config.Config
	Logger          *slog.Logger
	Store           *postgres.Store
	Views           *views.Views
	Public          fs.FS
	Classifications *models.Classifications
}

// New builds the router.
func New(d Deps) (*gin.Engine, error) {
	base := controllers.NewBase(d.Views, d.Classifications)
	demo := controllers.NewDemo(base)
	staticFiles, err := static(d.Public, !d.Config.Production(), base.NotFound)
	if err != nil {
		return nil, err
	}

	r := gin.New()
	r.Use(
		middleware.RequestLog(d.Logger),
		middleware.Recover(base.ServerError),
		middleware.SecurityHeaders(d.Config.Production()),
	)
	r.NoRoute(base.NotFound)

	// Static files: no session, no database.
	r.GET("/css/*file", staticFiles)
	r.GET("/images/*file", staticFiles)
	r.GET("/js/*file", staticFiles)

	// Pages: the session (the "sessionId" cookie) is loaded first.
	pages := r.Group("/",
		sessions.Sessions(SessionCookie, d.Store),
		middleware.LoadSession(base.Unavailable),
	)
	pages.GET("/", base.Home)
	pages.GET("/error/trigger", base.TriggerError)

	// Development only: the course's flash test, made permanent.
	if !d.Config.Production() {
		pages.GET("/demo/flash", demo.Flash)
	}
	return r, nil
}

// CookieOptions are the session cookie's attributes: HttpOnly (no script
// can read it), SameSite=Lax (not sent on cross-site POSTs), Path=/, no
// Domain (this host only), Secure in production (HTTPS only), and a
// Max-Age the store caps at the session's remaining lifetime.
func CookieOptions(cfg config.Config) sessions.Options {
	return sessions.Options{
		Path:     "/",
		MaxAge:   int(cfg.Lifetime.Seconds()),
		Secure:   cfg.Production(),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
}
