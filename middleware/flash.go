package middleware

import (
	"slices"
	"strings"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

// FlashKey is the session key of the flash messages, stored in the
// connect-flash shape {"<type>": ["message", ...]}. The session store is
// told it is a queue (postgres.Store.Queues), so parallel requests that
// add or show messages never lose one.
const FlashKey = "flash"

// Flash adds a message for the visitor to the session: the counterpart of
// connect-flash's req.flash(type, message). typ becomes the CSS class of the
// message's list (notice, success, error, warning); anything but a short
// lowercase word is stored as "notice". The message stays in the session
// until a page shows it, so it survives a redirect.
func Flash(c *gin.Context, typ, message string) {
	if !validType(typ) {
		typ = "notice"
	}
	s := sessions.Default(c)
	f := postgres.GetQueues(s, FlashKey)
	f[typ] = append(f[typ], message)
	s.Set(FlashKey, f)
}

// TakeFlashes removes the session's flash messages and returns them for
// rendering, most urgent type first (error, warning, notice, success, then
// any other alphabetically), each type's messages in the order they were
// added. The stored JSON object cannot keep the order types were added in
// (jsonb sorts keys), so a fixed order keeps pages predictable.
func TakeFlashes(c *gin.Context) []views.FlashGroup {
	s := sessions.Default(c)
	if s.Get(FlashKey) == nil {
		return nil
	}
	f := postgres.GetQueues(s, FlashKey)
	s.Delete(FlashKey)
	groups := make([]views.FlashGroup, 0, len(f))
	for typ, msgs := range f {
		if len(msgs) > 0 && validType(typ) {
			groups = append(groups, views.FlashGroup{Type: typ, Messages: msgs})
		}
	}
	slices.SortFunc(groups, func(a, b views.FlashGroup) int {
		if d := rank(a.Type) - rank(b.Type); d != 0 {
			return d
		}
		return strings.Compare(a.Type, b.Type)
	})
	return groups
}

func rank(typ string) int {
	if i := slices.Index([]string{"error", "warning", "notice", "success"}, typ); i >= 0 {
		return i
	}
	return 4
}

func validType(typ string) bool {
	if typ == "" || len(typ) > 20 {
		return false
	}
	for _, r := range typ {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// PeekFlashes returns the waiting flash messages without removing them.
func PeekFlashes(c *gin.Context) []string {
	var out []string
	for _, msgs := range postgres.GetQueues(sessions.Default(c), FlashKey) {
		out = append(out, msgs...)
	}
	return out
}
