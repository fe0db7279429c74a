package middleware

import (
	"slices"
	"strings"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

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
	f := flashMap(s.Get(postgres.FlashKey))
	f[typ] = append(f[typ], message)
	s.Set(postgres.FlashKey, f)
}

// TakeFlashes removes the session's flash messages and returns them for
// rendering, most urgent type first (error, warning, notice, success, then
// any other alphabetically), each type's messages in the order they were
// added. The stored JSON object cannot keep the order types were added in
// (jsonb sorts keys), so a fixed order keeps pages predictable.
func TakeFlashes(c *gin.Context) []views.FlashGroup {
	s := sessions.Default(c)
	v := s.Get(postgres.FlashKey)
	if v == nil {
		return nil
	}
	s.Delete(postgres.FlashKey)
	f := flashMap(v)
	groups := make([]views.FlashGroup, 0, len(f))
	for typ, msgs := range f {
		if len(msgs) > 0 {
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

// flashMap reads the stored flash value: map[string][]string when set in
// this request, map[string]any of []any when it came from the database.
func flashMap(v any) map[string][]string {
	out := map[string][]string{}
	switch f := v.(type) {
	case map[string][]string:
		for k, msgs := range f {
			out[k] = slices.Clone(msgs)
		}
	case map[string]any:
		for k, list := range f {
			if !validType(k) {
				continue
			}
			items, _ := list.([]any)
			for _, item := range items {
				if s, ok := item.(string); ok {
					out[k] = append(out[k], s)
				}
			}
		}
	}
	return out
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
	for _, msgs := range flashMap(sessions.Default(c).Get(postgres.FlashKey)) {
		out = append(out, msgs...)
	}
	return out
}
