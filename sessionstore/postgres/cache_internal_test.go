package postgres

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"github.com/cse-motors/cse-motors/database/dbtest"
)

// A row read or written by this process is kept decoded: while it keeps
// its version, PostgreSQL sends no sess and the request starts from the
// kept values; once it changes (here by hand, as another app instance
// would), it is read and decoded in full again.
func TestKeptRowIsNotSentAgainUntilItChanges(t *testing.T) {
	st, db, version := storeWithRow(t, `{"name": "Ada", "cookie": {"created": "2026-11-27T00:00:00Z"}}`)
	ctx := context.Background()
	for since, wantSess := range map[string]bool{version: false, "0": true} {
		var raw []byte
		var expire any
		var got string
		if err := db.QueryRow(selectRow, "s1", since).Scan(&raw, &expire, &got, new([]byte)); err != nil {
			t.Fatal(err)
		}
		if (raw != nil) != wantSess || got != version {
			t.Errorf("selectRow since %s: sess %q, version %s; want sess sent %v, version %s", since, raw, got, wantSess, version)
		}
	}

	load := func() *sessions.Session {
		t.Helper()
		s := sessions.NewSession(st, "sessionId")
		if err := st.load(ctx, s, "s1", false, ""); err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := load()
	kept := st.rows.get("s1", time.Now())
	if first.Values["name"] != "Ada" || kept == nil || kept.version != version {
		t.Fatalf("first load: name %v, kept %+v; want Ada, kept at version %s", first.Values["name"], kept, version)
	}
	second := load()
	if second.Values["name"] != "Ada" || !sameMap(stateOf(second).orig, kept.orig) {
		t.Errorf("second load of an unchanged row: name %v, decoded anew %v; want Ada from the kept row",
			second.Values["name"], !sameMap(stateOf(second).orig, kept.orig))
	}
	if _, err := db.Exec(`UPDATE session SET sess = jsonb_set(sess, '{name}', '"Grace"') WHERE sid = 's1'`); err != nil {
		t.Fatal(err)
	}
	if third := load(); third.Values["name"] != "Grace" || stateOf(third).version == version {
		t.Errorf("load after a change made elsewhere: name %v, version %s; want Grace at a new version", third.Values["name"], stateOf(third).version)
	}
}

func sameMap(a, b any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// storeWithRow returns a store over a throwaway database whose session
// table holds one live row, "s1", with sess, and that row's version.
func storeWithRow(t *testing.T, sess string) (*Store, *sql.DB, string) {
	t.Helper()
	db, _ := dbtest.New(t, nil)
	st := NewStore(db, []byte("internal-test-secret-internal-test-secret"))
	if err := st.CreateTable(context.Background()); err != nil {
		t.Fatal(err)
	}
	var version string
	if err := db.QueryRow(`INSERT INTO session VALUES ('s1', $1, now() + interval '1 hour') RETURNING xmin::text`,
		sess).Scan(&version); err != nil {
		t.Fatal(err)
	}
	return st, db, version
}
