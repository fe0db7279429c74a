package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	ginsessions "github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"
	"github.com/gorilla/sessions"
)

// Sessions is the middleware that gives each request its session, as
// gin-contrib's sessions.Sessions does (sessions.Default(c) returns it),
// and saves it by itself just before the first byte of the response goes
// out, whatever the handler ends with: c.HTML, c.Redirect, c.JSON,
// c.String, c.Data, c.AbortWithStatus, a write of its own, or nothing at
// all. No handler has to remember to save, as with express-session.
//
// A visitor whose cookie names a session is loaded before the handlers
// run; a GET loads it together with its waiting flash messages (see
// TakeFlashes). If the session cannot be loaded or saved (the database is
// down or slow), unavailable answers instead (a 503 page): it is called
// with nothing written, and whatever the handler writes afterwards is
// dropped, so no half-saved answer ever leaves.
func Sessions(name string, store *Store, unavailable gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		rs := &requestSession{store: store, name: name, c: c, unavailable: unavailable}
		rs.w.ResponseWriter, rs.w.rs = c.Writer, rs
		c.Set(ginsessions.DefaultKey, rs)
		if HasCookie(c.Request, name) {
			if err := Err(rs); err != nil { // loads it now
				c.Error(err)
				unavailable(c)
				c.Abort()
				return
			}
		}
		c.Writer = &rs.w
		ok := false
		defer func() {
			c.Writer = rs.w.ResponseWriter
			if !ok && !rs.w.done {
				rs.abandon() // a panic: Recover answers; the messages go back
			}
		}()
		c.Next()
		ok = true
		if !rs.w.done {
			// Nothing written yet: a page may still follow (the error
			// page for c.Error), but none of this request's own.
			rs.w.save(false)
		}
	}
}

// requestSession is a request's session: gin-contrib's Session interface
// over the gorilla session the store fills, loaded on first use.
type requestSession struct {
	store       *Store
	name        string
	c           *gin.Context
	s           *sessions.Session
	unavailable gin.HandlerFunc
	w           saveWriter
}

// Session returns the underlying session, loading it on first use.
func (rs *requestSession) Session() *sessions.Session {
	if rs.s == nil {
		r := rs.c.Request
		rs.s = rs.store.get(r, rs.name, !headOnly(r.Context()), requestKey(r))
		stateOf(rs.s).hooked = true
	}
	return rs.s
}

func (rs *requestSession) ID() string                    { return ID(rs) }
func (rs *requestSession) Get(key any) any               { return rs.Session().Values[key] }
func (rs *requestSession) Set(key, val any)              { rs.Session().Values[key] = val }
func (rs *requestSession) Delete(key any)                { delete(rs.Session().Values, key) }
func (rs *requestSession) Clear()                        { clearValues(rs.Session()) }
func (rs *requestSession) Options(o ginsessions.Options) { rs.Session().Options = o.ToGorillaOptions() }

// AddFlash queues value as a flash message, as AddFlash does; vars[0],
// when given, is its type (default DefaultFlashType).
func (rs *requestSession) AddFlash(value any, vars ...string) {
	typ := DefaultFlashType
	if len(vars) > 0 && vars[0] != "" {
		typ = vars[0]
	}
	AddFlash(rs, typ, fmt.Sprint(value))
}

// Flashes takes the waiting messages' texts, as TakeFlashes does: with
// vars[0], only the messages of that type.
func (rs *requestSession) Flashes(vars ...string) []any {
	var out []any
	if len(vars) == 0 || vars[0] == "" {
		for _, f := range TakeFlashes(rs) {
			out = append(out, f.Text)
		}
		return out
	}
	ss := stateOf(rs.Session())
	var rest []Flash
	for _, f := range ss.flashes {
		if f.Type == vars[0] {
			out = append(out, f.Text)
			ss.shown = append(ss.shown, f)
		} else {
			rest = append(rest, f)
		}
	}
	ss.flashes = rest
	return out
}

// Save writes the session's values now (the flash messages wait for the
// response). Not needed: the session saves itself.
func (rs *requestSession) Save() error {
	return rs.store.save(rs.c.Request.Context(), rs.w.ResponseWriter, rs.Session(), false, true)
}

// abandon puts back the messages a request took when it ends without an
// answer of its own (a panic): its other changes are not saved.
func (rs *requestSession) abandon() {
	rs.w.done = true
	if rs.s == nil {
		return
	}
	ss := stateOf(rs.s)
	if back := taken(append(ss.shown, ss.flashes...)); len(back) > 0 && ss.id != "" {
		if err := rs.store.writeFlashes(context.WithoutCancel(rs.c.Request.Context()), run{st: rs.store}, ss.id, back); err != nil {
			rs.store.retryLater(ss.id, back)
		}
	}
}

// HasCookie reports whether r carries a cookie called name, without
// parsing every cookie: a visitor without one costs no session work.
func HasCookie(r *http.Request, name string) bool {
	for _, line := range r.Header["Cookie"] {
		for part := range strings.SplitSeq(line, ";") {
			if k, _, ok := strings.Cut(strings.TrimSpace(part), "="); ok && k == name {
				return true
			}
		}
	}
	return false
}

// RequestIDHeader is the header a load balancer sets to the same value on
// every try of one request (HAProxy's unique-id-header, nginx's
// $request_id). A GET retried on another instance, after the first died
// with the page unsent, then takes the flash messages the first try took.
const RequestIDHeader = "X-Request-ID"

// requestKey is what a GET's load marks the messages it takes with, so
// that a retry of the same request can take them again: a hash of the
// request's RequestIDHeader. Hashed: any bytes a client sends become a
// short, plain key; a client choosing its own only reaches its own
// session's messages. Without the header no retry can be told from a new
// request, so the messages are simply deleted as they are taken ("").
func requestKey(r *http.Request) string {
	id := r.Header.Get(RequestIDHeader)
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

type headKey struct{}

// HeadOnly marks a request whose answer has no body (a HEAD request
// served by its GET route): its session does not take the flash
// messages, which it could not show.
func HeadOnly(ctx context.Context) context.Context { return context.WithValue(ctx, headKey{}, true) }

func headOnly(ctx context.Context) bool { return ctx.Value(headKey{}) != nil }
