package postgres

import (
	"context"
	"database/sql"
)

// prepared returns the store's prepared statement for query, preparing it
// on first use. Prepared, a statement costs one round trip instead of
// two, and the session load runs on almost every request. A failed
// preparation is not kept, so the store recovers when the database does.
func (st *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := st.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := st.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := st.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// queryRow runs a prepared single-row query outside any transaction.
func (st *Store) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	s, err := st.prepared(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

type rowScanner interface{ Scan(...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
