package database

import (
	"context"
	"database/sql/driver"
	"log/slog"
	"strings"
	"time"
)

// Observer is told about each statement the pool sends to the server: its
// text, how long it took and its error. It must be safe for concurrent use.
type Observer func(ctx context.Context, query string, took time.Duration, err error)

// LogSQL returns an Observer that logs every statement with its duration, as
// the course's pool does in development, so an instructor can show the
// queries flowing between the app and the session store. Parameters are not
// logged: they carry passwords and session IDs.
func LogSQL(logger *slog.Logger) Observer {
	return func(ctx context.Context, query string, took time.Duration, err error) {
		q := strings.Join(strings.Fields(query), " ")
		if err != nil && err != driver.ErrSkip {
			logger.LogAttrs(ctx, slog.LevelInfo, "sql", slog.String("query", q),
				slog.Duration("took", took), slog.String("err", err.Error()))
			return
		}
		logger.LogAttrs(ctx, slog.LevelInfo, "sql", slog.String("query", q), slog.Duration("took", took))
	}
}

// The wrappers below time each statement. They embed what lib/pq
// implements, so database/sql sees the same optional interfaces (and takes
// the same fast paths) as without them, and override only the calls that
// reach the server. They are installed only when an Observer is set, so
// production pays nothing for them.

// pqConn is what a lib/pq connection implements.
type pqConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
	driver.NamedValueChecker
}

// pqStmt is what a lib/pq prepared statement implements.
type pqStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type observedConnector struct {
	driver.Connector
	observe Observer
}

// Connect observes a connection when it is the lib/pq connection this
// package is written for, and passes any other through untouched.
func (c observedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if pc, ok := conn.(pqConn); ok && err == nil {
		return observedConn{pc, c.observe}, nil
	}
	return conn, err
}

type observedConn struct {
	pqConn
	observe Observer
}

func (c observedConn) timed(ctx context.Context, query string, start time.Time, err error) {
	if err != driver.ErrSkip {
		c.observe(ctx, query, time.Since(start), err)
	}
}

func (c observedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	start := time.Now()
	rows, err := c.pqConn.QueryContext(ctx, query, args)
	c.timed(ctx, query, start, err)
	return rows, err
}

func (c observedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	start := time.Now()
	res, err := c.pqConn.ExecContext(ctx, query, args)
	c.timed(ctx, query, start, err)
	return res, err
}

func (c observedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.pqConn.PrepareContext(ctx, query)
	if ps, ok := st.(pqStmt); ok && err == nil {
		return observedStmt{ps, c, query}, nil
	}
	return st, err
}

func (c observedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	start := time.Now()
	tx, err := c.pqConn.BeginTx(ctx, opts)
	c.timed(ctx, "BEGIN", start, err)
	if err != nil {
		return nil, err
	}
	return observedTx{tx, c, ctx}, nil
}

type observedTx struct {
	driver.Tx
	conn observedConn
	ctx  context.Context
}

func (t observedTx) Commit() error {
	start := time.Now()
	err := t.Tx.Commit()
	t.conn.timed(t.ctx, "COMMIT", start, err)
	return err
}

func (t observedTx) Rollback() error {
	start := time.Now()
	err := t.Tx.Rollback()
	t.conn.timed(t.ctx, "ROLLBACK", start, err)
	return err
}

type observedStmt struct {
	pqStmt
	conn  observedConn
	query string
}

func (s observedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	start := time.Now()
	res, err := s.pqStmt.ExecContext(ctx, args)
	s.conn.timed(ctx, s.query, start, err)
	return res, err
}

func (s observedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	start := time.Now()
	rows, err := s.pqStmt.QueryContext(ctx, args)
	s.conn.timed(ctx, s.query, start, err)
	return rows, err
}
