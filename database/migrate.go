package database

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migrations holds the numbered schema files (NNN_name.sql), embedded so the
// binary carries its own schema.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// migrateLock is the advisory-lock key that serialises migrations when
// several instances start at once.
const migrateLock = 0x43534d4d // "CSMM"

// Migrate applies every migration in files that the database has not seen
// yet, in number order, inside one transaction, and records each in
// schema_migrations. Running it again changes nothing, and two instances
// running it at once wait for each other instead of racing.
func Migrate(ctx context.Context, db *sql.DB, files fs.FS) error {
	names, err := fs.Glob(files, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("database: list migrations: %w", err)
	}
	type migration struct {
		version int
		name    string
	}
	var pending []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("database: migration %s must be named NNN_description.sql", base)
		}
		pending = append(pending, migration{v, name})
	}
	sort.Slice(pending, func(i, j int) bool { return pending[i].version < pending[j].version })

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database: migrate: %w", err)
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
		return fmt.Errorf("database: migrate lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("database: create schema_migrations: %w", err)
	}
	applied := map[int]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("database: read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("database: read schema_migrations: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("database: read schema_migrations: %w", err)
	}

	for _, m := range pending {
		if applied[m.version] {
			continue
		}
		body, err := fs.ReadFile(files, m.name)
		if err != nil {
			return fmt.Errorf("database: read %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("database: apply %s: %w", path.Base(m.name), err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`,
			m.version, path.Base(m.name)); err != nil {
			return fmt.Errorf("database: record %s: %w", m.name, err)
		}
		slog.Info("applied migration", "file", path.Base(m.name))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: migrate commit: %w", err)
	}
	return nil
}
