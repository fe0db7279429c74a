package postgres

import (
	"context"
	"testing"
	"time"
)

// The statements AsyncCommit uses really turn synchronous_commit off for
// their own transaction, and only for it.
func TestAsyncWriteTurnsSynchronousCommitOff(t *testing.T) {
	st, db, _ := storeWithRow(t, `{}`)
	st.AsyncCommit = true
	db.SetMaxOpenConns(1) // the last SHOW runs on the connection the writes used
	ctx := context.Background()
	for _, async := range []bool{true, false} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var version, setting string
		query := st.write(refreshRow, async)
		if err := tx.QueryRow(query, "s1", time.Now().Add(time.Hour)).Scan(&version); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		if err := tx.QueryRow(`SHOW synchronous_commit`).Scan(&setting); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil { // a rollback would undo a session-wide setting too
			t.Fatal(err)
		}
		if want := map[bool]string{true: "off", false: "on"}[async]; setting != want {
			t.Errorf("after %s: synchronous_commit %s; want %s", query, setting, want)
		}
	}
	var setting string
	db.QueryRow(`SHOW synchronous_commit`).Scan(&setting)
	if setting != "on" {
		t.Errorf("synchronous_commit is %s outside those transactions; want on", setting)
	}
}
