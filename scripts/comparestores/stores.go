package main

import (
	"context"
	"database/sql"
	"encoding/gob"
	"net/http"
	"sync/atomic"

	"github.com/gin-contrib/sessions"
	gcpostgres "github.com/gin-contrib/sessions/postgres"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// A subject is one store under comparison, with the few things an app does
// differently depending on the store: everything else (the router, its
// handlers, the scenarios) is the same code for both.
type subject struct {
	column string // the table's column header
	store  sessions.Store
	// middleware loads the session (and, for ours, saves it before the
	// response); flashTable: flash messages of both APIs are rows of one
	// table.
	middleware gin.HandlerFunc
	flashTable bool

	// Where its rows are; embedded, so a scenario writes s.table,
	// s.idColumn and s.expireColumn.
	sessionTable

	// save stores the session the way the store's documentation says.
	save func(c *gin.Context) error
	// loadErr reports a session that could not be loaded, or nil. It is
	// nil itself when the store gives an app no way to tell.
	loadErr func(sessions.Session) error
	// logout ends the session the way the store's documentation says.
	logout func(sessions.Session)
	// rotate gives the session a new ID at login, or is nil when the store
	// offers no way to; rotateName says what an app calls.
	rotate     func(sessions.Session)
	rotateName string
	// Set by main: the server the router runs on, the database's URL, a
	// second pool for the scenarios' own queries, and the count of
	// INSERT, UPDATE and DELETE statements the store's pool has sent.
	base    string
	url     string
	inspect *sql.DB
	writes  *atomic.Int64

	// addFlash queues a flash message and takeFlashes takes the waiting
	// ones, returning how many, each the way an app on this store does
	// (the throughput rows).
	addFlash    func(c *gin.Context, msg string)
	takeFlashes func(c *gin.Context) int

	// raceTest is the test in ./racecheck that uses this store.
	raceTest string
	// reopen builds the same subject over another pool (scenario 9).
	reopen func(ctx context.Context, db *sql.DB) (*subject, error)

	// The handlers pause on these so a scenario can order requests
	// exactly (see handleSlow in router.go). Scenarios run one at a time.
	slowLoaded  chan struct{}
	slowRelease chan struct{}
}

// sessionTable says where a store keeps its rows: the table, its ID
// column and its expiry column. The scenarios count and change the rows
// there with their own queries.
type sessionTable struct {
	table, idColumn, expireColumn string
}

// An opener builds the subject for one store over a pool, with the key
// that signs its cookies: newGinContrib and newOurs.
type opener func(ctx context.Context, db *sql.DB, key []byte) (*subject, error)

// withShared fills in what every subject gets the same way, whichever the
// store: reopen, which runs the same opener with the same key over another
// pool, and the channels handleSlow pauses on. It returns s.
func withShared(s *subject, open opener, key []byte) *subject {
	s.reopen = func(ctx context.Context, db *sql.DB) (*subject, error) {
		return open(ctx, db, key)
	}
	s.slowLoaded = make(chan struct{}, 1)
	s.slowRelease = make(chan struct{})
	return s
}

func init() {
	// pgstore encodes values with encoding/gob, which must be told about
	// every concrete type stored in an interface: the flash messages' map
	// (session.Flash). Our store stores JSON and needs nothing.
	gob.Register(map[string][]string{})
}

// newGinContrib is gin-contrib/sessions/postgres as its README shows it:
// postgres.NewStore(db, keyPairs...), session.Save() after a change, and
// logout by a negative MaxAge, as gin-contrib's own tests do it.
func newGinContrib(ctx context.Context, db *sql.DB, key []byte) (*subject, error) {
	store, err := gcpostgres.NewStore(db, key) // creates http_sessions when missing
	if err != nil {
		return nil, err
	}
	return withShared(&subject{
		column:       "gin-contrib/sessions/postgres",
		store:        store,
		middleware:   sessions.Sessions(cookieName, store),
		sessionTable: sessionTable{table: "http_sessions", idColumn: "key", expireColumn: "expires_on"},
		save:         func(c *gin.Context) error { return sessions.Default(c).Save() },
		logout: func(s sessions.Session) {
			s.Clear()
			s.Options(sessions.Options{Path: "/", MaxAge: -1})
		},
		addFlash:    func(c *gin.Context, msg string) { sessions.Default(c).AddFlash(msg) },
		takeFlashes: func(c *gin.Context) int { return len(sessions.Default(c).Flashes()) },
		raceTest:    "TestGinContribPostgres",
	}, newGinContrib, key), nil
}

// newOurs is sessionstore/postgres as the app sets it up (routes/app.go,
// routes/routes.go: postgres.Sessions, which answers 503 when the session
// cannot be loaded and saves it by itself before the response) and uses it
// (controllers, session/): flash messages as rows of their
// own, postgres.Destroy at logout, postgres.Renew at login. The handlers'
// explicit save (finish) is the Save of gin-contrib's API, which writes
// the values at once.
func newOurs(ctx context.Context, db *sql.DB, key []byte) (*subject, error) {
	store := postgres.NewStore(db, key)
	store.Logger = quietLogger
	if err := store.CreateTable(ctx); err != nil {
		return nil, err
	}
	return withShared(&subject{
		column: "sessionstore/postgres (ours)",
		store:  store,
		middleware: postgres.Sessions(cookieName, store, func(c *gin.Context) {
			c.Header("Retry-After", "5")
			c.String(http.StatusServiceUnavailable, "error page: the session store is unavailable")
		}),
		flashTable:   true,
		sessionTable: sessionTable{table: "session", idColumn: "sid", expireColumn: "expire"},
		save:         func(c *gin.Context) error { return sessions.Default(c).Save() },
		loadErr:      postgres.Err,
		logout:       postgres.Destroy,
		rotate:       postgres.Renew,
		rotateName:   "postgres.Renew",
		addFlash:     func(c *gin.Context, msg string) { session.Flash(c, "notice", msg) },
		takeFlashes: func(c *gin.Context) int {
			n := 0
			for _, g := range session.TakeFlashes(c) {
				n += len(g.Messages)
			}
			return n
		},
		raceTest: "TestOurs",
	}, newOurs, key), nil
}

// checkLoad answers 503 with Retry-After to a request whose session could
// not be loaded, when the store can tell, as the app's
// postgres.Sessions does; the handler then never runs.
func (s *subject) checkLoad(c *gin.Context) {
	if s.loadErr == nil {
		return
	}
	if err := s.loadErr(sessions.Default(c)); err != nil {
		c.Header("Retry-After", "5")
		c.String(http.StatusServiceUnavailable, "error page: the session store is unavailable")
		c.Abort()
	}
}
