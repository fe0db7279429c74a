// Package routes maps every URL of the site to its handler in one table
// (the course's server.js routes section and routes folder).
package routes

import (
	"cmp"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"strings"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/checkpoints"
	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/controllers"
	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

// Deps is everything the routes need, built by main (and by the tests).
type Deps struct {
	Config          config.Config
	Logger          *slog.Logger
	Store           *postgres.Store
	Views           *views.Views
	Public          fs.FS
	Classifications *models.Classifications
	Inventory       *models.Inventory
	Accounts        *models.Accounts
	Reviews         *models.Reviews
	// BcryptCost is the password hashing cost; zero means
	// controllers.BcryptCost. Tests lower it.
	BcryptCost int
	// Health is the load balancer's check, which main fails while the
	// instance drains; nil means a new one.
	Health *controllers.Health
	// Checkpoints, when set (development), notes every request for the
	// session demo's live checkpoints; nil in production.
	Checkpoints *checkpoints.Log
}

// Site is the router and the parts that routes are built on: the base
// controller, the detail page that features add sections to, the group of
// page routes (session, form and CSRF checks) and the login guard. A test
// adds a feature with them as a student's enhancement does in New.
type Site struct {
	Router   *gin.Engine
	Base     *controllers.Base
	Detail   *controllers.Detail
	Pages    *gin.RouterGroup
	LoggedIn gin.HandlerFunc
}

// New builds the router: every route of the site, in one table.
func New(d Deps) (*Site, error) {
	csrf := middleware.NewCSRF([]byte(d.Config.SessionSecret))
	base := controllers.NewBase(d.Views, d.Classifications, csrf, !d.Config.Production())
	inv := controllers.NewInventory(base, d.Inventory, d.Classifications)
	// The detail page: the vehicle, then each feature's section, in order.
	detail := controllers.NewDetail(base, d.Inventory)
	review := controllers.NewReview(base, detail, d.Reviews)
	detail.Add(review)
	account, err := controllers.NewAccount(base, d.Accounts, d.Store,
		middleware.NewThrottle(10, 15*time.Minute), cmp.Or(d.BcryptCost, controllers.BcryptCost))
	if err != nil {
		return nil, err
	}
	demo := controllers.NewDemo(base, d.Store, session.CookieName, d.Checkpoints)
	// A change to what the public pages show drops their cached copies,
	// whichever handler made it.
	d.Classifications.OnChange = base.PagesChanged
	d.Inventory.OnChange = base.PagesChanged
	d.Reviews.OnChange = base.PagesChanged
	d.Accounts.OnChange = base.PagesChanged // a reviewer's name
	staticFiles, err := static(d.Public, !d.Config.Production(), base.NotFound)
	if err != nil {
		return nil, err
	}

	// Development only: where browsers report what the Content-Security-
	// Policy blocked (a student's inline script or style), to be logged.
	cspReports := ""
	if !d.Config.Production() {
		cspReports = "/csp-report"
	}

	r := gin.New()
	if err := r.SetTrustedProxies(d.Config.TrustedProxies); err != nil {
		return nil, err
	}
	// The load balancer's health check, asked every second or so: before
	// the middleware, so it is not logged, and it needs no session and
	// no database (controllers/health.go says why).
	r.GET("/healthz", cmp.Or(d.Health, controllers.NewHealth()).Check)
	// Development only: the session demo's checkpoints note every request
	// (first, to see its whole time and every statement it sends) and the
	// ID each one arrived with (right after the session is loaded).
	var noteAll, noteArrival []gin.HandlerFunc
	if d.Checkpoints != nil {
		noteAll, noteArrival = []gin.HandlerFunc{d.Checkpoints.Record}, []gin.HandlerFunc{d.Checkpoints.Arrived}
	}
	r.Use(noteAll...)
	r.Use(
		middleware.RequestLog(d.Logger, !d.Config.Production()),
		middleware.Recover(base.ServerError),
		middleware.SecurityHeaders(d.Config.Production(), cspReports),
	)
	withSession := append([]gin.HandlerFunc{postgres.Sessions(session.CookieName, d.Store, base.Unavailable)}, noteArrival...)
	// Unknown paths: the 404 page, with the header true to the session. A
	// known path asked with a method it does not take: HEAD is answered as
	// GET, anything else gets the 405 page with an Allow header.
	r.NoRoute(append(withSession[:len(withSession):len(withSession)], base.NotFound)...)
	r.HandleMethodNotAllowed = true
	r.NoMethod(append(append([]gin.HandlerFunc{headAsGet(r)}, withSession...), base.MethodNotAllowed)...)

	// Static files (the course's express.static): no session, no database.
	r.GET("/css/*file", staticFiles)
	r.GET("/images/*file", staticFiles)
	r.GET("/js/*file", staticFiles)

	// Pages: the "sessionId" session is loaded first (and saves itself
	// before the response), every POST body is bounded and checked
	// against cross-site forgery.
	pages := r.Group("/", append(withSession[:len(withSession):len(withSession)],
		middleware.ParseForms(base.TooLarge, base.BadRequest),
		csrf.Protect(base.FormRefused),
	)...)
	loggedIn := middleware.RequireLogin(base.Redirect)
	staff := middleware.RequireStaff(base.Forbidden)

	pages.GET("/", base.Cached, base.Home)
	pages.GET("/error/trigger", base.TriggerError)

	// Inventory: public pages (cached for visitors without a session)
	pages.GET("/inv/type/:classificationId", base.Cached, inv.Classification)
	pages.GET("/inv/detail/:invId", base.Cached, detail.Show)

	// Inventory management: Employee and Admin accounts only
	manage := pages.Group("/inv", loggedIn, staff)
	manage.GET("/", inv.Management)
	manage.GET("/getInventory/:classification_id", inv.GetInventory)
	manage.GET("/add-classification", inv.AddClassificationPage)
	manage.POST("/add-classification", inv.AddClassification)
	manage.GET("/add-inventory", inv.AddInventoryPage)
	manage.POST("/add-inventory", inv.AddInventory)
	manage.GET("/edit/:inv_id", inv.EditPage)
	manage.POST("/update/", inv.Update)
	manage.GET("/delete/:inv_id", inv.DeletePage)
	manage.POST("/delete", inv.Delete)

	// Accounts
	pages.GET("/account/login", account.LoginPage)
	pages.POST("/account/login", account.Login)
	pages.GET("/account/register", account.RegisterPage)
	pages.POST("/account/register", account.Register)
	pages.POST("/account/logout", account.Logout)
	mine := pages.Group("/account", loggedIn)
	mine.GET("/", account.Management)
	mine.GET("/update", account.UpdatePage)
	mine.POST("/update", account.Update)
	mine.POST("/password", account.ChangePassword)
	mine.GET("/reviews", review.Mine)

	// Vehicle reviews (the worked final enhancement, docs/enhancement.md):
	// logged-in visitors write them on the detail page; the controller
	// decides who may edit (the author) or delete (the author or staff).
	reviews := pages.Group("/review", loggedIn)
	reviews.POST("/add", review.Add)
	reviews.GET("/edit/:review_id", review.EditPage)
	reviews.POST("/update", review.Update)
	reviews.GET("/delete/:review_id", review.DeletePage)
	reviews.POST("/delete", review.Delete)

	// Development only (a 404 in production unless DEMO_ROUTES is set):
	// the course's flash test, made permanent, and the session demo.
	if d.Config.DemoRoutes {
		pages.GET("/demo/flash", demo.Flash)
		pages.GET("/demo/session", demo.Session)
		pages.POST("/demo/session/flash", demo.AddFlash)
		pages.POST("/demo/session/rotate", demo.Rotate)
		pages.POST("/demo/session/destroy", demo.Destroy)
	}
	// Development only: the session demo's live checkpoints (server-sent
	// events), for the visitor's own session.
	if d.Checkpoints != nil {
		pages.GET("/demo/session/feed", demo.Feed)
	}
	// Development only: the Content-Security-Policy's reports (no session,
	// no form token: the browser sends them on its own).
	if cspReports != "" {
		r.POST(cspReports, middleware.CSPReports(d.Logger))
	}
	// Development only: Go's profiler, to find what a request spends
	// (`go tool pprof http://localhost:5500/debug/pprof/profile?seconds=10`).
	if !d.Config.Production() {
		prof := r.Group("/debug/pprof")
		prof.GET("/", gin.WrapF(pprof.Index))
		prof.GET("/profile", gin.WrapF(pprof.Profile))
		prof.GET("/trace", gin.WrapF(pprof.Trace))
		prof.GET("/:name", func(c *gin.Context) { pprof.Handler(c.Param("name")).ServeHTTP(c.Writer, c.Request) })
	}
	return &Site{Router: r, Base: base, Detail: detail, Pages: pages, LoggedIn: loggedIn}, nil
}

// headAsGet answers a HEAD request as the GET route of its path does,
// without the body (HTTP semantics, RFC 9110 section 9.3.2): gin routes
// HEAD only where it is registered, and link checkers and uptime monitors
// send it to every page. It runs where gin has found no HEAD route but a
// GET one (the Allow header it prepared names GET).
func headAsGet(engine *gin.Engine) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method != http.MethodHead || !strings.Contains(c.Writer.Header().Get("Allow"), http.MethodGet) {
			c.Next()
			return
		}
		c.Writer.Header().Del("Allow")
		get := c.Request.Clone(postgres.HeadOnly(c.Request.Context()))
		get.Method = http.MethodGet
		engine.ServeHTTP(bodyless{c.Writer}, get)
		c.Abort()
	}
}

// bodyless sends the headers and status of a response, not its body.
type bodyless struct{ http.ResponseWriter }

func (bodyless) Write(p []byte) (int, error) { return len(p), nil }

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
