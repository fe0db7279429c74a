package checkpoints

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// collector gathers, in a request's context, the statements the request
// sends. It is created by Record and filled by Observe.
type collector struct {
	mu         sync.Mutex
	statements []Statement
	more       int
	done       bool // the request was filed: later statements are not its own
	skip       bool // not a checkpoint (the live feed itself)
	arrived    string
	known      bool // Arrived ran: arrived is the ID the request carried
}

type collectorKey struct{}

func collectorOf(ctx context.Context) *collector {
	col, _ := ctx.Value(collectorKey{}).(*collector)
	return col
}

// Observe is a database.Observer: it adds each statement to the collector
// of the request whose context sent it, and does nothing for a context
// without one (startup, the janitor, production). Install it on the pool
// (database.Options.Observer) where a Log is used.
func Observe(ctx context.Context, query string, took time.Duration, err error) {
	col := collectorOf(ctx)
	if col == nil {
		return
	}
	if len(query) > MaxQuery {
		// A copy, so a long query built at run time is not kept whole.
		query = strings.Clone(query[:MaxQuery]) + "…"
	}
	st := Statement{Query: query, Took: took}
	if err != nil {
		st.Err = err.Error()
		if len(st.Err) > 200 {
			st.Err = st.Err[:200] + "…"
		}
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	switch {
	case col.done:
	case len(col.statements) < MaxStatements:
		col.statements = append(col.statements, st)
	default:
		col.more++
	}
}

// Record notes every request: against the bib of its session with the SQL
// it sent, or as unnoted when it had none. Use it first in the chain, so
// that the statements loading the session are the request's own; it must
// run for every route (static files too) for the unnoted counts to be
// true.
func (l *Log) Record(c *gin.Context) {
	col := &collector{}
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), collectorKey{}, col))
	start, method, path := time.Now(), c.Request.Method, c.Request.URL.Path
	c.Next()
	cp := Checkpoint{At: start, Method: method, Path: path, Status: c.Writer.Status(), Took: time.Since(start)}
	col.mu.Lock()
	cp.Statements, cp.More, col.done = col.statements, col.more, true
	skip, known, arrived := col.skip, col.known, col.arrived
	col.mu.Unlock()
	if skip {
		return
	}
	ended, hasSession := "", false
	if v, ok := c.Get(sessions.DefaultKey); ok {
		if s, ok := v.(sessions.Session); ok {
			ended, hasSession = postgres.ID(s), true
		}
	}
	l.note(hasSession, known, arrived, ended, cp)
}

// Arrived notes the session ID the request carried, as loaded. Put it
// right after the session is loaded (postgres.Sessions): only an ID
// the store has verified and found a row for may move a history to a new
// bib.
func (l *Log) Arrived(c *gin.Context) {
	if col := collectorOf(c.Request.Context()); col != nil {
		id := postgres.ID(sessions.Default(c))
		col.mu.Lock()
		col.arrived, col.known = id, true
		col.mu.Unlock()
	}
	c.Next()
}

// Skip leaves the request out of the Log: the live feed is the officials'
// radio, not a checkpoint.
func Skip(c *gin.Context) {
	if col := collectorOf(c.Request.Context()); col != nil {
		col.mu.Lock()
		col.skip = true
		col.mu.Unlock()
	}
}
