package database

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
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
// running it at once wait for each other instead of racing. (A library
// such as golang-migrate does this and much more, with a dozen
// dependencies; this is all the project needs.)
func Migrate(ctx context.Context, db *sql.DB, files fs.FS) error {
	names, err := migrationFiles(files)
	if err != nil {
		return err
	}
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
	for _, name := range names {
		version, _ := strconv.Atoi(path.Base(name)[:3])
		var seen bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`,
			version).Scan(&seen); err != nil || seen {
			if err != nil {
				return fmt.Errorf("database: read schema_migrations: %w", err)
			}
			continue
		}
		body, err := fs.ReadFile(files, name)
		if err == nil {
			_, err = tx.ExecContext(ctx, string(body))
		}
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, version, path.Base(name))
		}
		if err != nil {
			return fmt.Errorf("database: apply %s: %w", path.Base(name), err)
		}
		slog.Info("applied migration", "file", path.Base(name))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: migrate commit: %w", err)
	}
	return nil
}

// migrationFiles lists the migrations in number order, checking that each
// is named NNN_description.sql.
func migrationFiles(files fs.FS) ([]string, error) {
	names, err := fs.Glob(files, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("database: list migrations: %w", err)
	}
	for _, name := range names {
		base := path.Base(name)
		if _, err := strconv.Atoi(base[:min(3, len(base))]); err != nil || len(base) < 5 || base[3] != '_' {
			return nil, fmt.Errorf("database: migration %s must be named NNN_description.sql", base)
		}
	}
	slices.Sort(names) // NNN: the names sort in number order
	return names, nil
}
