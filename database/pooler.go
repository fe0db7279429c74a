package database

import (
	"context"
	"database/sql/driver"
	"errors"
)

// Behind a pooler in transaction mode (PgBouncer's pool_mode = transaction,
// Neon's and Supabase's pooled connection strings, Supavisor) each
// transaction, and each statement outside one, may run on another server
// connection. Two things lib/pq does by default then break:
//
//   - a named prepared statement (database/sql's Prepare, our Stmts cache)
//     lives on the server connection that parsed it, so the next request
//     finds it missing ("prepared statement "1" does not exist") or another
//     client's of the same name ("already exists");
//   - a query with arguments outside a transaction is sent in two round
//     trips (Parse and Describe, then Bind and Execute), and the pooler may
//     hand the second to another server connection, where the unnamed
//     statement of the first does not exist.
//
// With Options.TransactionPooler the pool therefore sets lib/pq's
// binary_parameters, which sends Parse, Bind, Describe and Execute of an
// unnamed statement in one message (one round trip, nothing left behind on
// the server), and wraps each connection so that Prepare parses nothing:
// the statement is sent whole each time it runs. Callers keep their
// Prepare and Stmts code; it simply costs nothing there.
//
// binary_parameters has one more effect: lib/pq sends a []byte argument in
// PostgreSQL's binary format, which for jsonb means "a version byte, then
// the text", so a JSON body passed as []byte would be refused ("unsupported
// jsonb version number"). The wrapper sends []byte arguments as text
// instead, as lib/pq does without binary_parameters for every column type
// but bytea. The app has no bytea column; one added later would need its
// value hex-encoded (`\x...`) or passed through decode($1, 'hex').
//
// The direct path is untouched: without TransactionPooler none of this is
// installed and prepared statements run in one round trip, as before.

// pooledConnector hands out connections that never leave a prepared
// statement on the server.
type pooledConnector struct {
	driver.Connector
}

func (c pooledConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	pc, ok := conn.(pqConn)
	if !ok {
		conn.Close()
		return nil, errors.New("database: the transaction-pooler mode needs lib/pq's connection")
	}
	return pooledConn{pc}, nil
}

// pooledConn is a lib/pq connection (observed or not) whose statements are
// all sent as unnamed ones in a single round trip.
type pooledConn struct {
	pqConn
}

// Prepare and PrepareContext return a statement that is only remembered
// here: nothing is sent to the server until it runs.
func (c pooledConn) Prepare(query string) (driver.Stmt, error) {
	return unpreparedStmt{c, query}, nil
}

func (c pooledConn) PrepareContext(_ context.Context, query string) (driver.Stmt, error) {
	return unpreparedStmt{c, query}, nil
}

func (c pooledConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.pqConn.QueryContext(ctx, query, bytesAsText(args))
}

func (c pooledConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.pqConn.ExecContext(ctx, query, bytesAsText(args))
}

// CheckNamedValue passes a value with a BinaryValue method to database/sql's
// default conversion (its Value method) instead of lib/pq's, which would
// send those bytes as binary data: bytesAsText would make them text, and
// the server would misread them. Everything else is lib/pq's.
func (c pooledConn) CheckNamedValue(nv *driver.NamedValue) error {
	if _, ok := nv.Value.(interface{ BinaryValue() ([]byte, error) }); ok {
		return driver.ErrSkip
	}
	return c.pqConn.CheckNamedValue(nv)
}

// bytesAsText turns []byte arguments into strings, so lib/pq sends them in
// text format (see the comment at the top); a nil []byte stays NULL. It
// changes args in place: database/sql builds a fresh slice for each call.
func bytesAsText(args []driver.NamedValue) []driver.NamedValue {
	for i := range args {
		if b, ok := args[i].Value.([]byte); ok {
			if b == nil {
				args[i].Value = nil
			} else {
				args[i].Value = string(b)
			}
		}
	}
	return args
}

// unpreparedStmt is a "prepared" statement that is the query text alone:
// each run sends it whole, as an unnamed statement.
type unpreparedStmt struct {
	conn  pooledConn
	query string
}

func (s unpreparedStmt) Close() error { return nil }

// NumInput is -1: the server was not asked, so database/sql leaves the
// argument count to the server's own check.
func (s unpreparedStmt) NumInput() int { return -1 }

func (s unpreparedStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s unpreparedStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s unpreparedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.conn.ExecContext(ctx, s.query, args)
}

func (s unpreparedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.conn.QueryContext(ctx, s.query, args)
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}
