package middleware

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// MaxFormBytes bounds a form body: the largest form here (a vehicle with
// its description) is a few kilobytes.
const MaxFormBytes = 64 << 10

// ParseForms reads the body of every POST once, bounded by MaxFormBytes.
// A body too large gets tooLarge (413) and one that cannot be parsed
// badRequest (400), instead of gin's silent empty values.
func ParseForms(tooLarge, badRequest gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method != http.MethodPost {
			c.Next()
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxFormBytes)
		if err := c.Request.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			c.Error(err)
			if errors.As(err, &tooBig) {
				tooLarge(c)
			} else {
				badRequest(c)
			}
			c.Abort()
			return
		}
		c.Next()
	}
}
