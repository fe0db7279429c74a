package models

import (
	"context"
	"database/sql"
	"fmt"
)

// The reading half of every model: run a query with the models' deadline
// and scan its rows, turning "no row" into ErrNotFound.

// queryer runs a query: the *sql.DB, or a database.Stmts that prepares
// the hot queries once.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// row is what a scan function reads one row from.
type row interface{ Scan(...any) error }

// all runs query and scans every row into a T with scan. The result is
// never nil, so an empty list encodes as [] in JSON.
func all[T any](ctx context.Context, q queryer, what, query string, scan func(row, *T) error, args ...any) ([]T, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("models: %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, fmt.Errorf("models: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("models: %s: %w", what, err)
	}
	return out, nil
}

// one is all for a query that names one row: ErrNotFound when it finds none.
func one[T any](ctx context.Context, q queryer, what, query string, scan func(row, *T) error, args ...any) (T, error) {
	items, err := all(ctx, q, what, query, scan, args...)
	if err == nil && len(items) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		var zero T
		return zero, err
	}
	return items[0], nil
}

// change runs a statement that must change one row, with the models'
// deadline: no row changed is ErrNotFound, and success calls onChange
// (see changed) so the page cache learns of it.
func change(ctx context.Context, db *sql.DB, onChange func(), what, query string, args ...any) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	res, err := db.ExecContext(ctx, query, args...)
	if err = affected(res, err, what); err == nil {
		changed(onChange)
	}
	return err
}
