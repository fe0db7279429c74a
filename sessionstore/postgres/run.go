package postgres

import (
	"context"
	"database/sql"
)

// run sends the store's statements: prepared, on the pool, or inside tx
// when a save must write the session and its flash messages together.
type run struct {
	st *Store
	tx *sql.Tx
}

type scanner interface{ Scan(...any) error }

// row runs a single-row query. Prepared, a statement costs one round trip
// instead of two, and the session load runs on almost every request.
func (r run) row(ctx context.Context, query string, args ...any) scanner {
	stmt, err := r.prepared(ctx, query)
	switch {
	case err != nil:
		return errRow{err}
	case stmt == nil:
		return r.tx.QueryRowContext(ctx, query, args...)
	}
	return stmt.QueryRowContext(ctx, args...)
}

// exec runs a statement that returns no rows.
func (r run) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	stmt, err := r.prepared(ctx, query)
	switch {
	case err != nil:
		return nil, err
	case stmt == nil:
		return r.tx.ExecContext(ctx, query, args...)
	}
	return stmt.ExecContext(ctx, args...)
}

// prepared returns query's prepared statement: on the pool, or bound to
// r.tx when it is prepared already. Inside a transaction it is nil
// otherwise, and the query runs on the transaction itself: preparing it
// would take a second pool connection (see database.Stmts.Cached).
func (r run) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if r.tx == nil {
		return r.st.stmts.Get(ctx, query)
	}
	if stmt, ok := r.st.stmts.Cached(query); ok {
		return r.tx.StmtContext(ctx, stmt), nil
	}
	return nil, nil
}

// inTx runs fn in r's transaction, or in a new one that commits if fn
// succeeds.
func (r run) inTx(ctx context.Context, fn func(run) error) error {
	if r.tx != nil {
		return fn(r)
	}
	return r.st.inTx(ctx, func(tx *sql.Tx) error { return fn(run{r.st, tx}) })
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

func (st *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
