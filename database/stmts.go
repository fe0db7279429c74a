package database

import (
	"context"
	"database/sql"
	"sync"
)

// Stmts prepares each query once and reuses it. A prepared statement runs in
// one round trip to the server (Bind, Execute), where lib/pq spends two on
// an unprepared query with arguments (Parse and Describe first); on the hot
// paths that is most of a request's database time. database/sql prepares it
// again on each new connection by itself.
type Stmts struct {
	db *sql.DB
	m  sync.Map // query -> *sql.Stmt
}

// NewStmts returns an empty cache over db.
func NewStmts(db *sql.DB) *Stmts { return &Stmts{db: db} }

// Get returns the prepared statement for query, preparing it on first use.
// A failure (the server is down) is not cached: the next call tries again.
func (s *Stmts) Get(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.m.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.m.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// Cached returns the prepared statement for query when an earlier Get made
// it, without preparing anything. Inside a transaction, call it instead of
// Get: Get's first prepare takes a second connection from the pool while
// the transaction holds one, and when every connection is held by such a
// transaction (a new instance under load, or a small pool) they all wait
// for each other until their deadlines. On a miss, run the query on the
// transaction itself.
func (s *Stmts) Cached(query string) (*sql.Stmt, bool) {
	st, ok := s.m.Load(query)
	if !ok {
		return nil, false
	}
	return st.(*sql.Stmt), true
}

// QueryContext runs query as a prepared statement (see Get), so a Stmts
// can stand where a *sql.DB runs queries.
func (s *Stmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.Get(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}
