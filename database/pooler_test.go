package database_test

// Behind PgBouncer in transaction mode: statements, prepared ones, JSON bodies passed as []byte and migrations all work, with no prepared statement left on a server connection.

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/database/dbtest"
)

// openPooled opens a pool through a fresh PgBouncer in front of a new
// database, with or without the transaction-pooler setting.
func openPooled(t *testing.T, transaction bool) (pooled *sql.DB, direct *sql.DB) {
	t.Helper()
	direct, dbURL := dbtest.New(t, nil)
	via := dbtest.PgBouncer(t, dbURL, 2)
	pooled, err := database.Open(context.Background(), database.Options{URL: via, MaxOpenConns: 8, TransactionPooler: transaction})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pooled.Close() })
	return pooled, direct
}

// hammer runs the statements the app runs most (a prepared query from a
// Stmts cache, a query with a []byte JSON argument into jsonb, a
// transaction) from 8 goroutines and returns the errors.
func hammer(db *sql.DB) []error {
	ctx := context.Background()
	stmts := database.NewStmts(db)
	db.Exec(`CREATE TABLE IF NOT EXISTS doc (id int PRIMARY KEY, body jsonb NOT NULL)`)
	var mu sync.Mutex
	var errs []error
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				var n int
				rows, err := stmts.QueryContext(ctx, `SELECT count(*) FROM classification WHERE classification_id > $1`, i%3)
				if err == nil {
					for rows.Next() {
						err = rows.Scan(&n)
					}
					rows.Close()
					err = firstErr(err, rows.Err())
				}
				if err != nil {
					fail(err)
					continue
				}
				id := g*100 + i
				if _, err := db.ExecContext(ctx, `INSERT INTO doc (id, body) VALUES ($1, $2)`, id, []byte(`{"flash":["hello"]}`)); err != nil {
					fail(err)
					continue
				}
				tx, err := db.BeginTx(ctx, nil)
				if err == nil {
					var got string
					err = tx.QueryRowContext(ctx, `SELECT body->'flash'->>0 FROM doc WHERE id = $1`, id).Scan(&got)
					if err == nil && got != "hello" {
						err = sql.ErrNoRows
					}
					err = firstErr(err, tx.Commit())
				}
				if err != nil {
					fail(err)
				}
			}
		})
	}
	wg.Wait()
	return errs
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestTransactionPoolerRunsEveryKindOfStatement(t *testing.T) {
	pooled, direct := openPooled(t, true)
	if errs := hammer(pooled); len(errs) > 0 {
		t.Errorf("%d errors behind PgBouncer in transaction mode; the first: %v", len(errs), errs[0])
	}
	var docs int
	direct.QueryRow(`SELECT count(*) FROM doc WHERE body = '{"flash":["hello"]}'`).Scan(&docs)
	if docs != 200 {
		t.Errorf("%d JSON rows stored; want 200", docs)
	}
	// Nothing was left prepared on the server connections PgBouncer holds.
	var prepared int
	if err := pooled.QueryRow(`SELECT count(*) FROM pg_prepared_statements`).Scan(&prepared); err != nil || prepared != 0 {
		t.Errorf("pg_prepared_statements on a pooled server connection: %d (%v); want 0", prepared, err)
	}
}

// Without the setting, the named statements of the Stmts cache collide on
// the shared server connections: this is the failure the setting removes,
// and proof that the test above can fail.
func TestWithoutTheSettingPreparedStatementsBreak(t *testing.T) {
	pooled, _ := openPooled(t, false)
	errs := hammer(pooled)
	if len(errs) == 0 {
		t.Fatal("no error behind PgBouncer in transaction mode without TransactionPooler; the test above proves nothing")
	}
	t.Logf("without TransactionPooler: %d errors in 200 rounds, such as: %v", len(errs), errs[0])
}

// Migrations run once through the pooler, however many instances start at
// once: their advisory lock is the transaction's, which a transaction
// pooler keeps on one server connection.
func TestMigrateThroughTransactionPooler(t *testing.T) {
	dbURL := dbtest.Empty(t)
	pooled, err := database.Open(context.Background(), database.Options{URL: dbtest.PgBouncer(t, dbURL, 2), TransactionPooler: true})
	if err != nil {
		t.Fatal(err)
	}
	defer pooled.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- database.Migrate(context.Background(), pooled, database.Migrations) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Migrate through the pooler: %v", err)
		}
	}
	var names string
	pooled.QueryRow(`SELECT string_agg(classification_name, ',' ORDER BY classification_id) FROM classification`).Scan(&names)
	if names != "Custom,Sport,SUV,Truck,Sedan" {
		t.Errorf("classifications = %s; want the five seed rows once, in id order", names)
	}
}
