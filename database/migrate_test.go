package database_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/database/dbtest"
)

func TestMigrateIsIdempotentAndSafeInParallel(t *testing.T) {
	db, _ := dbtest.New(t, nil) // migrated once already
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- database.Migrate(context.Background(), db, database.Migrations) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Migrate again: %v", err)
		}
	}
	var names string
	db.QueryRow(`SELECT string_agg(classification_name, ',' ORDER BY classification_id) FROM classification`).Scan(&names)
	if names != "Custom,Sport,SUV,Truck,Sedan" {
		t.Errorf("classifications = %s; want the five seed rows once, in id order", names)
	}
}

func TestOpenRefusesABadURL(t *testing.T) {
	_, err := database.Open(context.Background(), database.Options{URL: "postgres://u@host:port/db"})
	if err == nil {
		t.Fatal("Open accepted a URL with a non-numeric port")
	}
}

// migrationsWith returns the project's migrations with changes applied:
// file name to new content.
func migrationsWith(t *testing.T, changes map[string]string) fs.FS {
	t.Helper()
	files := fstest.MapFS{}
	err := fs.WalkDir(database.Migrations, "migrations", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(database.Migrations, name)
		files[name] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range changes {
		files["migrations/"+name] = &fstest.MapFile{Data: []byte(body)}
	}
	return files
}

// An edited migration that was already applied is refused with a message
// naming the file and what to do; a new migration beside it is applied.
func TestMigrateRefusesAnEditedAppliedMigration(t *testing.T) {
	db, _ := dbtest.New(t, nil)
	files := migrationsWith(t, map[string]string{
		"004_hummer_description.sql": "UPDATE inventory SET inv_description = 'edited' WHERE inv_make = 'Hummer';",
		"099_added.sql":              "CREATE TABLE added_by_test (id integer);",
	})
	err := database.Migrate(context.Background(), db, files)
	var changed *database.ChangedError
	if !errors.As(err, &changed) {
		t.Fatalf("Migrate with an edited 004 = %v; want a *database.ChangedError", err)
	}
	for _, want := range []string{"004_hummer_description.sql", "new migration", "database/migrations/100_"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
	var edited, added int
	db.QueryRow(`SELECT count(*) FROM inventory WHERE inv_description = 'edited'`).Scan(&edited)
	db.QueryRow(`SELECT count(*) FROM schema_migrations WHERE name = '099_added.sql'`).Scan(&added)
	if edited != 0 || added != 1 {
		t.Errorf("edited rows %d, 099 recorded %d times; want 0 (an applied migration never runs again) and 1", edited, added)
	}
	// Restored, the files pass again.
	if err := database.Migrate(context.Background(), db, migrationsWith(t, map[string]string{"099_added.sql": "CREATE TABLE added_by_test (id integer);"})); err != nil {
		t.Errorf("Migrate with 004 restored: %v", err)
	}
}

// A database migrated before checksums were recorded takes the files as
// they are at its next start, and from then on notices an edit.
func TestMigrateRecordsChecksumsOfOlderDatabases(t *testing.T) {
	db, _ := dbtest.New(t, nil)
	if _, err := db.Exec(`ALTER TABLE schema_migrations DROP COLUMN checksum`); err != nil {
		t.Fatal(err)
	}
	if err := database.Migrate(context.Background(), db, database.Migrations); err != nil {
		t.Fatalf("Migrate on a database without checksums: %v", err)
	}
	var missing int
	db.QueryRow(`SELECT count(*) FROM schema_migrations WHERE checksum IS NULL OR length(checksum) <> 64`).Scan(&missing)
	if missing != 0 {
		t.Errorf("%d applied migrations without a checksum; want every one recorded", missing)
	}
	files := migrationsWith(t, map[string]string{"001_classification.sql": "-- edited\n"})
	if err := database.Migrate(context.Background(), db, files); err == nil || !strings.Contains(err.Error(), "001_classification.sql") {
		t.Errorf("Migrate with an edited 001 = %v; want it named", err)
	}
}
