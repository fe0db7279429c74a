package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/lib/pq"
)

// The statements AsyncCommit uses really turn synchronous_commit off for
// their own transaction, and only for it; their durable twins do not.
func TestAsyncWriteTurnsSynchronousCommitOff(t *testing.T) {
	_, db, _ := storeWithRow(t, `{}`)
	db.SetMaxOpenConns(1) // the last SHOW runs on the connection the writes used
	ctx := context.Background()
	flash := []any{"s1", pq.Array([]int64{0}), pq.Array([]string{"notice"}), pq.Array([]string{"hi"})}
	for _, w := range []struct {
		query string
		args  []any
		async bool
	}{
		{refreshAsync, []any{"s1", time.Now().Add(time.Hour)}, true},
		{refreshRow, []any{"s1", time.Now().Add(time.Hour)}, false},
		{insertFlashesAsync, flash, true},
		{insertFlashes, flash, false},
		{takeRowAsync, []any{"s1", "0", "key"}, true},
		{takeRow, []any{"s1", "0", "key"}, false},
	} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := tx.Query(w.query, w.args...)
		if err != nil {
			t.Fatalf("%s: %v", w.query, err)
		}
		rows.Close()
		var setting string
		if err := tx.QueryRow(`SHOW synchronous_commit`).Scan(&setting); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil { // a rollback would undo a session-wide setting too
			t.Fatal(err)
		}
		if want := map[bool]string{true: "off", false: "on"}[w.async]; setting != want {
			t.Errorf("after %s: synchronous_commit %s; want %s", w.query, setting, want)
		}
	}
	var setting string
	db.QueryRow(`SHOW synchronous_commit`).Scan(&setting)
	if setting != "on" {
		t.Errorf("synchronous_commit is %s outside those transactions; want on", setting)
	}
}
