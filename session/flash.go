package session

import (
	"slices"
	"strings"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// FlashGroup is the flash messages of one type, rendered as <ul class="Type">.
type FlashGroup struct {
	Type     string
	Messages []string
}

// Flash queues a message for the visitor: the counterpart of
// connect-flash's req.flash(type, message). typ becomes the CSS class of
// the message's list (notice, success, error, warning); anything but a
// short lowercase word is stored as "notice". The message is one row of
// the flash table, stored when the session saves itself, and stays there
// until a page shows it, so it survives a redirect. gin-contrib's
// sessions.Default(c).AddFlash(message, typ) queues the same way.
func Flash(c *gin.Context, typ, message string) {
	if !validType(typ) {
		typ = "notice"
	}
	postgres.AddFlash(sessions.Default(c), typ, message)
}

// TakeFlashes takes the visitor's waiting flash messages for the page
// being built, grouped by type, most urgent type first (error, warning,
// notice, success, then any other alphabetically), each type's messages in
// the order they were queued. They are gone once the page goes out; an
// answer that is not a page (a redirect, an error) puts them back.
func TakeFlashes(c *gin.Context) []FlashGroup {
	msgs := postgres.TakeFlashes(sessions.Default(c))
	if len(msgs) == 0 {
		return nil
	}
	var groups []FlashGroup
	for _, m := range msgs {
		typ := m.Type
		if !validType(typ) { // queued through another API: never an unsafe class
			typ = "notice"
		}
		i := slices.IndexFunc(groups, func(g FlashGroup) bool { return g.Type == typ })
		if i < 0 {
			i = len(groups)
			groups = append(groups, FlashGroup{Type: typ})
		}
		groups[i].Messages = append(groups[i].Messages, m.Text)
	}
	slices.SortStableFunc(groups, func(a, b FlashGroup) int {
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

// PeekFlashes returns the waiting flash messages as the store holds
// them (rows of the flash table, in the order queued) without taking
// them: for pages that show the session itself, such as the demo.
func PeekFlashes(c *gin.Context) []postgres.Flash {
	return postgres.PeekFlashes(sessions.Default(c))
}
