package middleware

import (
	"encoding/json"
	"strconv"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

// Session keys of the login state. What the header and the account page
// show is kept in the session at login, so those pages cost no query
// beyond loading the session.
const (
	keyAccountID   = "account_id"
	keyFirstName   = "account_firstname"
	keyAccountType = "account_type"
	keyReturnTo    = "return_to"
)

// LogIn records a successful login: the session gets a new ID (so an ID
// known before the login is worth nothing after it) and holds the account.
func LogIn(c *gin.Context, a views.Account) {
	s := sessions.Default(c)
	postgres.Renew(s)
	s.Set(keyAccountID, a.ID)
	s.Set(keyFirstName, a.FirstName)
	s.Set(keyAccountType, a.Type)
}

// SetFirstName updates the name the header greets the visitor with.
func SetFirstName(c *gin.Context, name string) {
	sessions.Default(c).Set(keyFirstName, name)
}

// LogOut ends the session: its row is deleted and the cookie expired when
// the session is saved. A flash added afterwards starts a new session.
func LogOut(c *gin.Context) {
	postgres.Destroy(sessions.Default(c))
}

// CurrentAccount returns the logged-in account, or nil.
func CurrentAccount(c *gin.Context) *views.Account {
	s := sessions.Default(c)
	id := intValue(s.Get(keyAccountID))
	if id <= 0 {
		return nil
	}
	name, _ := s.Get(keyFirstName).(string)
	typ, _ := s.Get(keyAccountType).(string)
	return &views.Account{ID: id, FirstName: name, Type: typ}
}

// IsStaff reports whether an account may manage the inventory.
func IsStaff(a *views.Account) bool { return a.Staff() }

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
		if !IsStaff(CurrentAccount(c)) {
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
	p, _ := s.Get(keyReturnTo).(string)
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

// intValue reads an integer stored in the session: an int when set in this
// request, a json.Number when loaded from the database.
func intValue(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case json.Number:
		i, err := strconv.Atoi(string(n))
		if err == nil {
			return i
		}
	case float64:
		return int(n)
	}
	return 0
}
