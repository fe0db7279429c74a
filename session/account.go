package session

import (
	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// Account is what the session remembers about the logged-in visitor: what
// the header shows and what the guards check, without a query.
type Account struct {
	ID        int
	FirstName string
	Type      string
}

// Staff reports whether the account is an Employee or an Admin: the
// accounts that manage the inventory and may delete any review. A nil
// Account (logged out) is not staff.
func (a *Account) Staff() bool { return a != nil && (a.Type == "Employee" || a.Type == "Admin") }

// LogIn records a successful login: the session gets a new ID (so an ID
// known before the login is worth nothing after it) and holds the account.
// The new ID is the session's at once; its cookie is sent when the session
// saves itself, just before the response (sessionstore/postgres/save.go).
func LogIn(c *gin.Context, a Account) {
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

// AccountOf returns the account logged in on the request's session, or nil
// for a visitor who is not logged in.
func AccountOf(c *gin.Context) *Account {
	s := sessions.Default(c)
	id := postgres.GetInt(s, AccountIDKey)
	if id <= 0 {
		return nil
	}
	return &Account{ID: id, FirstName: postgres.GetString(s, keyFirstName), Type: postgres.GetString(s, keyAccountType)}
}
