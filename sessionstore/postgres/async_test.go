package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/cse-motors/cse-motors/database/dbtest"
)

// The statements AsyncCommit uses really turn synchronous_commit off for
// their own transaction, and only for it.
func TestAsyncWriteTurnsSynchronousCommitOff(t *testing.T) {
	db, _ := dbtest.New(t, nil)
	st := NewStore(db, []byte("async-secret-async-secret-async-secret"))
	st.AsyncCommit = true
	ctx := context.Background()
	if err := st.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO session VALUES ('s1', '{}', now() + interval '1 hour')`); err != nil {
		t.Fatal(err)
	}
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
		tx.Rollback()
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
