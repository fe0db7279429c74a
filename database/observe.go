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

// observedConnector wraps the driver's connector so that every connection it
// makes reports its statements. It is only installed when an Observer is
// set, so production pays nothing for it.
type observedConnector struct {
	driver.Connector
	observe Observer
}

func (c observedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &observedConn{conn: conn, observe: c.observe}, nil
}

// observedConn forwards every optional driver interface lib/pq implements, so
// database/sql takes the same fast paths as without the wrapper.
type observedConn struct {
	conn    driver.Conn
	observe Observer
}

func (c *observedConn) timed(ctx context.Context, query string, start time.Time, err error) {
	if err == driver.ErrSkip {
		return
	}
	c.observe(ctx, query, time.Since(start), err)
}

func (c *observedConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *observedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &observedStmt{stmt: st, conn: c, query: query}, nil
}

func (c *observedConn) Close() error { return c.conn.Close() }

func (c *observedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *observedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	start := time.Now()
	tx, err := c.conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	c.timed(ctx, "BEGIN", start, err)
	if err != nil {
		return nil, err
	}
	return observedTx{tx: tx, conn: c, ctx: ctx}, nil
}

func (c *observedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	start := time.Now()
	rows, err := c.conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	c.timed(ctx, query, start, err)
	return rows, err
}

func (c *observedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	start := time.Now()
	res, err := c.conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	c.timed(ctx, query, start, err)
	return res, err
}

func (c *observedConn) Ping(ctx context.Context) error {
	return c.conn.(driver.Pinger).Ping(ctx)
}

func (c *observedConn) ResetSession(ctx context.Context) error {
	if r, ok := c.conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *observedConn) IsValid() bool {
	if v, ok := c.conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *observedConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type observedTx struct {
	tx   driver.Tx
	conn *observedConn
	ctx  context.Context
}

func (t observedTx) Commit() error {
	start := time.Now()
	err := t.tx.Commit()
	t.conn.timed(t.ctx, "COMMIT", start, err)
	return err
}

func (t observedTx) Rollback() error {
	start := time.Now()
	err := t.tx.Rollback()
	t.conn.timed(t.ctx, "ROLLBACK", start, err)
	return err
}

type observedStmt struct {
	stmt  driver.Stmt
	conn  *observedConn
	query string
}

func (s *observedStmt) Close() error  { return s.stmt.Close() }
func (s *observedStmt) NumInput() int { return s.stmt.NumInput() }

func (s *observedStmt) Exec(args []driver.Value) (driver.Result, error) {
	start := time.Now()
	res, err := s.stmt.Exec(args) //nolint:staticcheck // required by driver.Stmt
	s.conn.timed(context.Background(), s.query, start, err)
	return res, err
}

func (s *observedStmt) Query(args []driver.Value) (driver.Rows, error) {
	start := time.Now()
	rows, err := s.stmt.Query(args) //nolint:staticcheck // required by driver.Stmt
	s.conn.timed(context.Background(), s.query, start, err)
	return rows, err
}

func (s *observedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	start := time.Now()
	res, err := s.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
	s.conn.timed(ctx, s.query, start, err)
	return res, err
}

func (s *observedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	start := time.Now()
	rows, err := s.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	s.conn.timed(ctx, s.query, start, err)
	return rows, err
}
