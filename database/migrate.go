package database

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
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
// schema_migrations with the SHA-256 of its file. Running it again changes
// nothing, and two instances running it at once wait for each other
// instead of racing. (A library such as golang-migrate does this and much
// more, with a dozen dependencies; this is all the project needs.)
//
// An applied migration never runs again, so an edit to its file would be
// silently ignored: the database would not be what the files say. Migrate
// applies the new migrations anyway and then returns a *ChangedError
// naming the edited files; main.go stops a development start-up with it.
// Rows applied before checksums were recorded take the checksum of the
// file as it is at their first start with this code.
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
	applied, err := appliedMigrations(ctx, tx)
	if err != nil {
		return err
	}
	changed := &ChangedError{}
	for _, name := range names {
		base := path.Base(name)
		version, _ := strconv.Atoi(base[:3])
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return fmt.Errorf("database: read %s: %w", base, err)
		}
		sum := checksum(body)
		if stored, seen := applied[version]; seen {
			if err := checkApplied(ctx, tx, version, stored, sum); err != nil {
				return err
			}
			if stored != "" && stored != sum {
				changed.Files = append(changed.Files, base)
			}
			continue
		}
		_, err = tx.ExecContext(ctx, string(body))
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`,
				version, base, sum)
		}
		if err != nil {
			return fmt.Errorf("database: apply %s: %w", base, err)
		}
		slog.Info("applied migration", "file", base)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: migrate commit: %w", err)
	}
	if len(changed.Files) > 0 {
		changed.Next = nextMigration(names)
		return changed
	}
	return nil
}

// appliedMigrations creates schema_migrations when missing (and its
// checksum column, for databases made before it existed) and returns the
// applied versions with their checksums ("" when none was recorded).
func appliedMigrations(ctx context.Context, tx *sql.Tx) (map[int]string, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now());
		ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text`); err != nil {
		return nil, fmt.Errorf("database: create schema_migrations: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT version, coalesce(checksum, '') FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("database: read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int]string{}
	for rows.Next() {
		var (
			version int
			sum     string
		)
		if err := rows.Scan(&version, &sum); err != nil {
			return nil, fmt.Errorf("database: read schema_migrations: %w", err)
		}
		applied[version] = sum
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("database: read schema_migrations: %w", err)
	}
	return applied, nil
}

// checkApplied records sum for an applied migration that has no checksum
// yet (stored is ""): the file is trusted as it is now.
func checkApplied(ctx context.Context, tx *sql.Tx, version int, stored, sum string) error {
	if stored != "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_migrations SET checksum = $2 WHERE version = $1`, version, sum); err != nil {
		return fmt.Errorf("database: record checksum: %w", err)
	}
	return nil
}

// checksum is the hex SHA-256 of a migration file, with CRLF line ends
// read as LF, so that a checkout on Windows is not an edit.
func checksum(body []byte) string {
	h := sha256.Sum256(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")))
	return hex.EncodeToString(h[:])
}

// nextMigration is the file name prefix the next migration takes: "006_".
func nextMigration(names []string) string {
	last := 0
	if len(names) > 0 {
		last, _ = strconv.Atoi(path.Base(names[len(names)-1])[:3])
	}
	return fmt.Sprintf("%03d_", last+1)
}

// ChangedError reports applied migrations whose files changed since they
// were applied. The changes are not in the database: they belong in a new
// migration.
type ChangedError struct {
	Files []string // the edited files, e.g. "003_inventory_seed.sql"
	Next  string   // the prefix of the next migration's name, e.g. "006_"
}

func (e *ChangedError) Error() string {
	return fmt.Sprintf("database: migration %s was changed after it was applied to this database, "+
		"and an applied migration never runs again, so the change is not in the database: "+
		"restore the file (git checkout -- database/migrations/%s) and write the change as a new migration, "+
		"database/migrations/%sdescription.sql",
		strings.Join(e.Files, ", "), strings.Join(e.Files, " database/migrations/"), e.Next)
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
