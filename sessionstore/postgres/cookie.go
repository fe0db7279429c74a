package postgres

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
)

// The cookie carries "<id>.<signature>": a random ID and its HMAC-SHA256,
// so a guessed or edited ID is refused without a query.

const (
	idLen     = 43 // base64url of 32 random bytes: 256 bits
	cookieLen = idLen + 1 + 43
)

// newID returns 256 bits from crypto/rand, URL-safe encoded.
func newID() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails on supported platforms (crypto/rand docs)
	return base64.RawURLEncoding.EncodeToString(b)
}

// deriveKey turns a secret into the HMAC key used for cookies, so the raw
// secret is never used directly and could serve other purposes safely.
func deriveKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("sessionstore/postgres cookie signature v1"))
	return m.Sum(nil)
}

func sign(key []byte, name, id string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(name))
	m.Write([]byte{0})
	m.Write([]byte(id))
	return m.Sum(nil)
}

// encodeCookie returns "<id>.<signature>". The cookie name is part of the
// signed message, so a value cannot be replayed under another cookie name.
func (st *Store) encodeCookie(name, id string) string {
	return id + "." + base64.RawURLEncoding.EncodeToString(sign(st.keys[0], name, id))
}

// verify checks a cookie value's shape and signature, in constant time with
// respect to the signature, and returns the session ID it carries.
func (st *Store) verify(name, value string) (string, bool) {
	if len(value) != cookieLen || value[idLen] != '.' {
		return "", false
	}
	id := value[:idLen]
	got, err := base64.RawURLEncoding.Strict().DecodeString(value[idLen+1:])
	if err != nil || len(got) != sha256.Size {
		return "", false
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(id); err != nil {
		return "", false
	}
	for _, k := range st.keys {
		if hmac.Equal(got, sign(k, name, id)) {
			return id, true
		}
	}
	return "", false
}

// cookie builds the session cookie from the session's options. A positive
// MaxAge is capped by the session's remaining lifetime, so the browser
// forgets the cookie no later than the server does.
func (st *Store) cookie(s *sessions.Session, id string, created, now time.Time) *http.Cookie {
	o := s.Options
	c := newCookie(s.Name(), st.encodeCookie(s.Name(), id), o)
	if o.MaxAge > 0 {
		left := min(time.Duration(o.MaxAge)*time.Second, created.Add(st.Lifetime).Sub(now))
		c.MaxAge = max(int(left/time.Second), 1)
		c.Expires = now.Add(left).UTC()
	}
	return c
}

// newCookie is a cookie with the attributes of o, but for its lifetime:
// the one that sets a session and the one that expires it must match, or
// the browser keeps the first.
func newCookie(name, value string, o *sessions.Options) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: o.Path, Domain: o.Domain,
		Secure: o.Secure, HttpOnly: o.HttpOnly, SameSite: o.SameSite, Partitioned: o.Partitioned}
}

// IDHash returns a short, non-reversible tag for a session ID, for logs:
// the ID itself is a bearer credential and never goes into a log line.
func IDHash(id string) string {
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(sum[:6])
}
