package session

import (
	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// RememberReturnTo keeps path (a request URI) for the login to send the
// visitor back to: the login guard calls it before asking them to log in.
func RememberReturnTo(c *gin.Context, path string) {
	sessions.Default(c).Set(keyReturnTo, path)
}

// TakeReturnTo removes and returns the path RememberReturnTo kept, when it
// is a local path: never an open redirect to another site.
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
