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
	if r.tx != nil {
		if stmt, ok := r.st.stmts.Cached(query); ok {
			return r.tx.StmtContext(ctx, stmt).QueryRowContext(ctx, args...)
		}
		return r.tx.QueryRowContext(ctx, query, args...) // see database.Stmts.Cached
	}
	stmt, err := r.st.stmts.Get(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return stmt.QueryRowContext(ctx, args...)
}

// exec runs a statement that returns no rows.
func (r run) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if r.tx != nil {
		if stmt, ok := r.st.stmts.Cached(query); ok {
			return r.tx.StmtContext(ctx, stmt).ExecContext(ctx, args...)
		}
		return r.tx.ExecContext(ctx, query, args...) // see database.Stmts.Cached
	}
	stmt, err := r.st.stmts.Get(ctx, query)
	if err != nil {
		return nil, err
	}
	return stmt.ExecContext(ctx, args...)
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
