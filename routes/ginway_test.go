package routes_test

// What this protects: a handler a student writes the Gin way (queue a
// flash or log in, then end with any of gin's own writers) keeps its
// session and its message, with no save to remember; HEAD and redirects
// do not eat the messages.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// ginEndings are the ways a Gin handler ends, as the issue lists them.
var ginEndings = map[string]func(c *gin.Context){
	"Redirect":        func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/") },
	"HTML":            func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("<p>done</p>")) },
	"JSON":            func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"ok": true}) },
	"String":          func(c *gin.Context) { c.String(http.StatusOK, "done") },
	"Data":            func(c *gin.Context) { c.Data(http.StatusOK, "text/plain", []byte("done")) },
	"Status":          func(c *gin.Context) { c.Status(http.StatusNoContent) },
	"AbortWithStatus": func(c *gin.Context) { c.AbortWithStatus(http.StatusAccepted) },
	"Writer.Write":    func(c *gin.Context) { c.Writer.Write([]byte("done")) },
	"nothing":         func(*gin.Context) {},
}

// studentRoutes adds a student's handlers to the app's router, behind the
// session middleware the app's pages use.
func studentRoutes(a *app) {
	g := a.router.Group("/student", postgres.Sessions(session.CookieName, a.store, func(c *gin.Context) {
		c.AbortWithStatus(http.StatusServiceUnavailable)
	}))
	for name, end := range ginEndings {
		g.GET("/ask/"+name, func(c *gin.Context) {
			session.Flash(c, "notice", "Your question was sent.")
			end(c)
		})
		g.GET("/login/"+name, func(c *gin.Context) {
			session.LogIn(c, session.Account{ID: 1, FirstName: "Ada", Type: "Client"})
			end(c)
		})
	}
}

func TestGinWayHandlersKeepTheFlash(t *testing.T) {
	a := newApp(t, "development")
	studentRoutes(a)
	for name := range ginEndings {
		t.Run(name, func(t *testing.T) {
			b := a.browser()
			b.get("/") // a visitor with no session yet: the flash starts one
			if rec := b.get("/student/ask/" + name); rec.Code >= 400 {
				t.Fatalf("status %d", rec.Code)
			}
			if got := messages(b.get("/").Body.String()); !strings.Contains(got, "Your question was sent.") {
				t.Errorf("the next page's banner = %q; want the message", got)
			}
			if got := messages(b.get("/").Body.String()); got != "" {
				t.Errorf("the message showed twice: %q", got)
			}
		})
	}
}

func TestGinWayLoginHolds(t *testing.T) {
	a := newApp(t, "development")
	a.account("Ada", "ada@example.com", "Client") // account 1
	studentRoutes(a)
	for name := range ginEndings {
		t.Run(name, func(t *testing.T) {
			b := a.browser()
			b.get("/")
			before := b.cookie
			b.get("/student/login/" + name)
			if b.cookie == "" || b.cookie == before {
				t.Fatalf("the login sent no new session cookie (before %q, after %q)", before, b.cookie)
			}
			if rec := b.get("/account/"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Ada") {
				t.Errorf("after the login, /account/ = %d; want the account page for Ada", rec.Code)
			}
		})
	}
}

// A HEAD of a page, a redirect and a JSON answer do not show the waiting
// messages: they stay for the next page.
func TestRequestsThatShowNoPageKeepTheMessages(t *testing.T) {
	a := newApp(t, "development")
	b := a.browser()
	b.get("/demo/flash")
	b.request(http.MethodHead, "/")
	b.get("/account/") // not logged in: a redirect to the login page (with its own flash)
	got := messages(b.get("/").Body.String())
	if !strings.Contains(got, "This is a flash message.") || !strings.Contains(got, "Please log in.") {
		t.Errorf("after HEAD and a redirect the banner = %q; want both messages", got)
	}
	if strings.Index(got, "This is a flash message.") > strings.Index(got, "Please log in.") {
		t.Errorf("messages out of order: %q", got)
	}
}

// In Chromium: a student's handler that queues a flash and ends with
// c.Redirect shows its message on the next page once; one that logs in and
// ends with c.JSON leaves the visitor logged in.
func TestBrowserGinWayHandlers(t *testing.T) {
	a := newApp(t, "development")
	a.account("Ada", "ada@example.com", "Client") // account 1
	studentRoutes(a)
	c := newChrome(t, a)
	c.open("/student/ask/Redirect") // redirects to /
	if got := eval[string](c, "location.pathname"); got != "/" {
		c.fail("the student's redirect ended at %q; want /", got)
	}
	if got := c.banner(); got != "Your question was sent." {
		c.fail("banner after the student's c.Redirect = %q", got)
	}
	c.open("/")
	if got := c.banner(); got != "" {
		c.fail("the message showed twice: %q", got)
	}
	c.run(chromedp.Navigate(c.base + "/student/login/JSON"))
	c.open("/account/")
	if got := eval[string](c, "location.pathname"); got != "/account/" {
		c.fail("after the student's login (ended with c.JSON), /account/ went to %q", got)
	}
}
