package postgres_test

import (
	"context"
	"testing"

	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// An upgrade from the version that kept flash messages inside the row
// moves the waiting ones into the flash table, in their order, once.
func TestUpgradeMovesWaitingMessagesIntoTheFlashTable(t *testing.T) {
	db, _ := dbtest.New(t, nil)
	ctx := context.Background()
	for _, q := range []string{
		`CREATE TABLE session (sid text PRIMARY KEY, sess jsonb NOT NULL, expire timestamptz NOT NULL)`,
		`INSERT INTO session VALUES ('s1', '{"name": "Ada", "flash": {"notice": ["first", "second"], "error": ["oops"]}}', now() + interval '1 hour'),
			('s2', '{"flash": "not a queue"}', now() + interval '1 hour')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	store := postgres.NewStore(db, secret)
	for range 2 { // the second start finds the table and moves nothing again
		if err := store.CreateTable(ctx); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.Query(`SELECT sid, type, message FROM flash ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var sid, typ, msg string
		rows.Scan(&sid, &typ, &msg)
		got = append(got, sid+" "+typ+" "+msg)
	}
	rows.Close()
	want := []string{"s1 error oops", "s1 notice first", "s1 notice second"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("flash rows after the upgrade = %q; want %q", got, want)
	}
	var left int
	db.QueryRow(`SELECT count(*) FROM session WHERE sess ? 'flash'`).Scan(&left)
	var name string
	db.QueryRow(`SELECT sess->>'name' FROM session WHERE sid = 's1'`).Scan(&name)
	if left != 0 || name != "Ada" {
		t.Errorf("after the upgrade %d rows still hold flash, s1's name is %q; want 0 and Ada", left, name)
	}
}
