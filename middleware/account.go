package middleware

import (
	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

// AccountIDKey is the session key of the logged-in account's id: the
// store indexes it, and ending an account's sessions (a password change,
// promote) deletes the rows that hold it.
const AccountIDKey = "account_id"

// The other session keys of the login state. What the header and the
// account page show is kept in the session at login, so those pages cost
// no query beyond loading the session.
const (
	keyFirstName   = "account_firstname"
	keyAccountType = "account_type"
	keyReturnTo    = "return_to"
)

// LogIn records a successful login: the session gets a new ID (so an ID
// known before the login is worth nothing after it) and holds the account.
// The new ID is the session's at once; its cookie is sent when the session
// saves itself, just before the response (sessionstore/postgres/save.go).
func LogIn(c *gin.Context, a views.Account) {
	s := sessions.Default(c)
	postgres.Renew(s)
	s.Set(AccountIDKey, a.ID)
	s.Set(keyFirstName, a.FirstName)
	s.Set(keyAccountType, a.Type)
}

// SetFirstName updates the name the header greets the visitor with.
func SetFirstName(c *gin.Context, name string) {
	sessions.Default(c).Set(keyFirstName, name)
}

// LogOut ends the session: its row (with its waiting messages) is deleted
// and the cookie expired when the session saves itself. A flash added
// afterwards starts a new session.
func LogOut(c *gin.Context) {
	postgres.Destroy(sessions.Default(c))
}

// CurrentAccount returns the logged-in account, or nil.
func CurrentAccount(c *gin.Context) *views.Account {
	s := sessions.Default(c)
	id := postgres.GetInt(s, AccountIDKey)
	if id <= 0 {
		return nil
	}
	return &views.Account{ID: id, FirstName: postgres.GetString(s, keyFirstName), Type: postgres.GetString(s, keyAccountType)}
}

// RequireLogin sends visitors who are not logged in to the login page with
// "Please log in.", remembering where they were going (GET requests only)
// so the login can bring them back.
func RequireLogin(redirect func(*gin.Context, string)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if CurrentAccount(c) != nil {
			c.Next()
			return
		}
		if c.Request.Method == "GET" {
			sessions.Default(c).Set(keyReturnTo, c.Request.URL.RequestURI())
		}
		Flash(c, "notice", "Please log in.")
		redirect(c, "/account/login")
		c.Abort()
	}
}

// RequireStaff lets only Employee and Admin accounts through; others get
// forbidden (a 403 page). Use it after RequireLogin.
func RequireStaff(forbidden gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !CurrentAccount(c).Staff() { // nil (nobody) is not staff
			forbidden(c)
			c.Abort()
			return
		}
		c.Next()
	}
}

// TakeReturnTo removes and returns the path remembered by RequireLogin,
// when it is a local path: never an open redirect to another site.
func TakeReturnTo(c *gin.Context) string {
	s := sessions.Default(c)
	p := postgres.GetString(s, keyReturnTo)
	if p == "" {
		return ""
	}
	s.Delete(keyReturnTo)
	if !LocalPath(p) {
		return ""
	}
	return p
}

// LocalPath reports whether p is a path on this site: it starts with one
// "/" and cannot be read by a browser as another host ("//evil",
// "/\evil") or carry control characters.
func LocalPath(p string) bool {
	if len(p) == 0 || p[0] != '/' || len(p) > 1 && (p[1] == '/' || p[1] == '\\') {
		return false
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return false
		}
	}
	return true
}
