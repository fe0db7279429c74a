// Package dbtest gives each test its own throwaway PostgreSQL database,
// created from TEST_DATABASE_URL (set by `make test`) and dropped when the
// test ends, so test packages running in parallel never share rows.
package dbtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/cse-motors/cse-motors/database"
)

// Counter counts the statements a pool sends; use its Observe as the
// database.Options Observer.
type Counter struct {
	// Also, when set, is told about each statement after it is counted:
	// the session demo's checkpoints.Observe, as main installs it.
	Also database.Observer

	n       atomic.Int64
	mu      sync.Mutex
	queries []string
}

// Observe implements database.Observer.
func (c *Counter) Observe(ctx context.Context, query string, took time.Duration, err error) {
	if c.Also != nil {
		defer c.Also(ctx, query, took, err)
	}
	c.n.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queries) < 10000 {
		c.queries = append(c.queries, query)
	}
}

// Count returns the statements seen so far.
func (c *Counter) Count() int64 { return c.n.Load() }

// Queries returns the text of the statements seen so far (the first
// 10,000), for tests that check which statement a request sent.
func (c *Counter) Queries() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.queries...)
}

// AdminURL returns TEST_DATABASE_URL or fails the test: tests never skip
// silently for want of a database.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		t.Fatal("TEST_DATABASE_URL is not set: run `make test`, which starts PostgreSQL and sets it")
	}
	return u
}

// New creates a fresh, migrated database and returns a pool on it and its
// URL. The Counter (may be nil) sees every statement of the pool.
func New(t testing.TB, counter *Counter) (*sql.DB, string) {
	t.Helper()
	ctx := context.Background()
	dbURL := Empty(t)
	opts := database.Options{URL: dbURL, MaxOpenConns: 8}
	if counter != nil {
		opts.Observer = counter.Observe
	}
	db, err := database.Open(ctx, opts)
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := database.Migrate(ctx, db, database.Migrations); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return db, dbURL
}

// Empty creates a fresh database without any table, dropped when the test
// ends, and returns its URL.
func Empty(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)
	adminDB, err := sql.Open("postgres", admin)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	defer adminDB.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "cse_test_" + hex.EncodeToString(b)
	if _, err := adminDB.ExecContext(context.Background(), "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("postgres", admin)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(name) + " WITH (FORCE)")
	})
	return WithDatabase(t, admin, name)
}

// LockTable locks table in mode (say "ACCESS EXCLUSIVE") in a transaction
// of its own, as a long statement elsewhere would, and returns it: roll it
// back to release the lock. The test's end rolls it back in any case.
func LockTable(t testing.TB, db *sql.DB, table, mode string) *sql.Tx {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatalf("dbtest: lock %s: %v", table, err)
	}
	t.Cleanup(func() { tx.Rollback() })
	if _, err := tx.Exec(`LOCK TABLE ` + table + ` IN ` + mode + ` MODE`); err != nil {
		t.Fatalf("dbtest: lock %s: %v", table, err)
	}
	return tx
}

// WithDatabase returns url with its database name replaced.
func WithDatabase(t testing.TB, rawURL, name string) string {
	t.Helper()
	if strings.HasPrefix(rawURL, "postgres://") || strings.HasPrefix(rawURL, "postgresql://") {
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatalf("dbtest: TEST_DATABASE_URL: %v", err)
		}
		u.Path = "/" + name
		return u.String()
	}
	return rawURL + " dbname=" + name
}

// Logs collects what a server under test logs: safe for its goroutines to
// write while the test reads.
type Logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
