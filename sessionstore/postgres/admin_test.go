package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cse-motors/cse-motors/database/dbtest"
)

// IndexKey gives a key a generated column of its own: the sessions of an
// account are found through its index, the expression index of earlier
// versions is dropped, and queueing or showing flash messages never
// updates the session row (each message is a row of the flash table).
func TestIndexKeyAndFlashWritesLeaveTheRowAlone(t *testing.T) {
	h := newHarness(t)
	h.db.SetMaxOpenConns(1) // one backend, whose statistics the test reads
	ctx := context.Background()
	if _, err := h.db.Exec(`CREATE INDEX session_account_id_idx ON session ((sess->>'account_id'))`); err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		if err := h.store.IndexKey(ctx, "account_id"); err != nil {
			t.Fatal(err)
		}
	}
	var indexes []string
	rows, err := h.db.Query(`SELECT indexname FROM pg_indexes WHERE tablename = 'session' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		indexes = append(indexes, n)
	}
	rows.Close()
	if !slices.Contains(indexes, "session_by_account_id") || slices.Contains(indexes, "session_account_id_idx") {
		t.Errorf("indexes on session: %v; want session_by_account_id and no session_account_id_idx", indexes)
	}

	other := h.newSession("name", "Ada")
	r := h.get("/renew", h.newSession("name", "Grace")) // a login: account_id 7
	mine := r.cookie.Value
	var before int64
	h.db.Exec(`SELECT pg_stat_force_next_flush()`)
	h.db.QueryRow(`SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'session'`).Scan(&before)
	for range 5 {
		h.get("/flash?m=hello", mine)
		if got := h.get("/take", mine).body; got != "hello" {
			t.Fatalf("/take = %q; want hello", got)
		}
	}
	h.db.Exec(`SELECT pg_stat_force_next_flush()`)
	var after int64
	h.db.QueryRow(`SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'session'`).Scan(&after)
	if after != before {
		t.Errorf("5 flash round trips updated the session row %d times; want 0 (a message is a row of its own)", after-before)
	}

	n, err := h.store.DeleteSessionsWith(ctx, "account_id", "7", "")
	if err != nil || n != 1 || h.get("/get?k=name", other).body != "Ada" {
		t.Errorf("DeleteSessionsWith(account_id 7) = %d, %v; want 1 deleted and Ada's session kept", n, err)
	}
}

// A start that finds the session table busy does not wait for it behind
// the requests of other instances: after 5 s it goes on without the
// column, and a later start adds it.
func TestIndexKeyDoesNotWaitLongForABusyTable(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	tx := dbtest.LockTable(t, h.db, "session", "ACCESS SHARE") // a long read elsewhere
	start := time.Now()
	err := h.store.IndexKey(ctx, "account_id")
	took := time.Since(start)
	tx.Rollback()
	column := func() (n int) {
		h.db.QueryRow(`SELECT count(*) FROM pg_attribute WHERE attrelid = 'session'::regclass AND attname = 'account_id'`).Scan(&n)
		return n
	}
	if err != nil || took > 8*time.Second || column() != 0 {
		t.Errorf("IndexKey on a busy table = %v after %v, column added: %v; want nil within about 5 s, no column", err, took, column() == 1)
	}
	if err := h.store.IndexKey(ctx, "account_id"); err != nil || column() != 1 {
		t.Errorf("IndexKey once the table is free = %v, column added: %v; want nil and the column", err, column() == 1)
	}
}
