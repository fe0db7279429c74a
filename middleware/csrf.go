package middleware

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// CSRF defends state-changing requests against cross-site request forgery
// in two layers. First, net/http's CrossOriginProtection refuses requests
// that a browser marks as cross-site (Sec-Fetch-Site) or that come from
// another origin (Origin, including "null"). Second, for visitors with a
// session, a form token bound to the session ID must match, which also
// covers old browsers that send neither header. Visitors without a session
// (the login and registration forms) have nothing to steal yet and rely on
// the first layer. SameSite=Lax on the cookie is a third line.
type CSRF struct {
	key []byte
	cop *http.CrossOriginProtection
}

// CSRFField is the form field that carries the token.
const CSRFField = "csrf_token"

// NewCSRF derives the token key from secret.
func NewCSRF(secret []byte) *CSRF {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("cse-motors csrf token v1"))
	return &CSRF{key: m.Sum(nil), cop: http.NewCrossOriginProtection()}
}

// Token returns the token for the forms of this page: empty while the
// visitor has no session.
func (x *CSRF) Token(c *gin.Context) string {
	return x.token(postgres.ID(sessions.Default(c)))
}

func (x *CSRF) token(sid string) string {
	if sid == "" {
		return ""
	}
	m := hmac.New(sha256.New, x.key)
	m.Write([]byte(sid))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Protect refuses forged state-changing requests with forbidden (a 403
// page) before any handler runs. Safe methods pass through.
func (x *CSRF) Protect(forbidden gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		if err := x.cop.Check(c.Request); err != nil {
			c.Error(err)
			forbidden(c)
			c.Abort()
			return
		}
		want := x.Token(c)
		if want != "" && !hmac.Equal([]byte(c.PostForm(CSRFField)), []byte(want)) {
			err := ErrCSRFToken
			if _, sent := c.Request.PostForm[CSRFField]; !sent {
				err = ErrNoCSRFField // the form lacks the field: worth a hint in development
			}
			c.Error(err)
			forbidden(c)
			c.Abort()
			return
		}
		c.Next()
	}
}

type csrfError string

func (e csrfError) Error() string { return string(e) }

// The token check's two refusals. ErrNoCSRFField means the form has no
// csrf_token field at all: almost always a new form written without it,
// which the development 403 page explains.
const (
	ErrCSRFToken   = csrfError("csrf: wrong form token")
	ErrNoCSRFField = csrfError("csrf: the form has no csrf_token field")
)
