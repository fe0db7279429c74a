// Package postgres is the project's PostgreSQL session store for
// gin-contrib/sessions: the Go counterpart of express-session's
// connect-pg-simple store, without its weaknesses.
//
// The browser holds only a random session ID, signed with HMAC-SHA256, in an
// HttpOnly cookie; the data lives in the session table as JSON a person can
// read in psql. The store writes nothing for visitors who store nothing,
// skips writes when a session has not changed, enforces an idle timeout and
// an absolute lifetime in SQL, never accepts or re-creates an ID it does not
// hold, merges the changes of parallel requests instead of losing them, and
// puts a deadline on every statement so a slow or stopped database yields an
// error the app can answer with a 503 instead of a hung request or a
// silently logged-out user.
//
// Use it like any gin-contrib/sessions store:
//
//	store := postgres.NewStore(db, []byte(secret))
//	router.Use(sessions.Sessions("sessionId", store))
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	ginsessions "github.com/gin-contrib/sessions"
	"github.com/gorilla/sessions"

	"github.com/cse-motors/cse-motors/database"
)

// Defaults for the Store's exported fields.
const (
	DefaultIdleTimeout = time.Hour
	DefaultLifetime    = 24 * time.Hour
	DefaultTimeout     = 1500 * time.Millisecond
	// refreshEvery bounds the cost of the sliding idle timeout: an unchanged
	// session's expiry is pushed forward at most once per interval, so a
	// busy visitor costs one write a minute, not one per request.
	refreshEvery = time.Minute
)

// ErrUnavailable wraps database failures while loading or saving a session.
// The app must answer such a request with a 503, never treat it as
// logged out.
var ErrUnavailable = errors.New("postgres: session store unavailable")

// Store keeps sessions in the PostgreSQL table "session". Its exported fields
// may be changed after NewStore and before the store is first used.
type Store struct {
	// IdleTimeout ends a session that has not been used for this long.
	IdleTimeout time.Duration
	// Lifetime ends every session this long after it was created, however
	// active, which limits what a stolen cookie is worth.
	Lifetime time.Duration
	// Timeout is the deadline of each statement. It must be short enough
	// that the app can still send its 503 page within two seconds.
	Timeout time.Duration
	// Logger receives the store's rare warnings. Default slog.Default().
	Logger *slog.Logger

	// AsyncCommit lets the writes that only move flash messages (queue
	// them, take them, put them back) or slide the idle expiry commit
	// without waiting for PostgreSQL to flush its log to disk
	// (synchronous_commit off, for those statements alone). They are most of the session writes, and
	// the wait is most of their cost. Durability: a PostgreSQL crash can
	// lose the last fraction of a second of such writes (three times
	// wal_writer_delay at most, 600 ms by default): a flash message shown
	// again or not at all, an idle expiry slid less far. Everything else
	// (a login, a logout, a rotation, a password change, any other value)
	// commits synchronously, as it does when AsyncCommit is off (the
	// default).
	AsyncCommit bool

	db         *sql.DB
	keys       [][]byte // keys[0] signs; every key verifies (secret rotation)
	options    sessions.Options
	badCookies atomic.Int64    // cookies refused for a bad signature
	stmts      *database.Stmts // the hot statements, prepared once
	rows       rows            // rows read or written lately, decoded (cache.go)
	indexed    []string        // keys with a column of their own (IndexKey)
	retries    retries         // flash messages to put back (retry.go)
}

// NewStore returns a store over db. Each key is a secret (at least 32 bytes
// of entropy): the first signs new cookies and every one verifies, so an old
// secret can be listed second while rotating without logging anyone out.
//
// Cookies default to Path=/, HttpOnly, SameSite=Lax and a Max-Age equal to
// the session's remaining lifetime; call Options to change them (set Secure
// when the site is served over HTTPS).
func NewStore(db *sql.DB, keys ...[]byte) *Store {
	if len(keys) == 0 {
		panic("postgres: NewStore needs at least one key")
	}
	st := &Store{
		IdleTimeout: DefaultIdleTimeout,
		Lifetime:    DefaultLifetime,
		Timeout:     DefaultTimeout,
		db:          db,
		stmts:       database.NewStmts(db),
		options: sessions.Options{
			Path:     "/",
			MaxAge:   int(DefaultLifetime / time.Second),
			HttpOnly: true,
			SameSite: http.SameSiteLaxMode,
		},
	}
	for _, k := range keys {
		st.keys = append(st.keys, deriveKey(k))
	}
	return st
}

// Options sets the cookie attributes of sessions loaded from now on. It
// replaces all of them, as gin-contrib/sessions expects; a positive MaxAge
// is capped by the session's remaining lifetime.
func (st *Store) Options(o ginsessions.Options) {
	st.options = *o.ToGorillaOptions()
}

// Get returns the session named name for this request: the stored one when
// the request carries a valid cookie for a live session, otherwise a new,
// empty one (nothing is written for it until it holds data).
//
// A database failure does not make Get return an error, because
// gin-contrib/sessions would only log it and carry on with an empty session:
// the session is returned empty and marked, Err reports the failure, and
// Save refuses to overwrite anything with it.
func (st *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return st.get(r, name, false, ""), nil
}

// get is Get; with take, a GET's load also takes the session's waiting
// flash messages, under key (see requestKey): Sessions does.
func (st *Store) get(r *http.Request, name string, take bool, key string) *sessions.Session {
	s := st.newSession(name)
	c, err := r.Cookie(name)
	if err != nil {
		return s
	}
	id, ok := st.verify(name, c.Value)
	if !ok {
		// Tampered, truncated, signed with another secret, or made for
		// another cookie name: anonymous, and no query is spent on it.
		if st.badCookies.Add(1) == 1 {
			st.logger().Warn("session cookie with a bad signature ignored; if this persists, " +
				"instances may run with different SESSION_SECRETs (later occurrences are not logged)")
		}
		return s
	}
	if err := st.load(r.Context(), s, id, take && r.Method == http.MethodGet, key); err != nil {
		ss := stateOf(s)
		ss.status, ss.err = failed, err
		s.IsNew = false // see stateOf: the failure must survive a Clear
	}
	return s
}

// New is Get: gorilla's stores return the existing session when there is one.
func (st *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	return st.Get(r, name)
}

func (st *Store) newSession(name string) *sessions.Session {
	s := sessions.NewSession(st, name)
	opts := st.options
	s.Options = &opts
	s.IsNew = true
	s.Values[stateKey{}] = &state{}
	return s
}

func (st *Store) logger() *slog.Logger {
	if st.Logger != nil {
		return st.Logger
	}
	return slog.Default()
}

// BadCookies reports how many cookies were refused for a bad signature.
func (st *Store) BadCookies() int64 { return st.badCookies.Load() }

// ctx bounds one statement by the store's Timeout.
func (st *Store) ctx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, st.Timeout)
}

// unavailable marks err as a store failure, keeping its text for the log.
func unavailable(err error) error {
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// queryRow runs a prepared single-row query on the pool.
func (st *Store) queryRow(ctx context.Context, query string, args ...any) scanner {
	return run{st: st}.row(ctx, query, args...)
}
