package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSessionsFile: what -save-sessions writes, -use-sessions reads back,
// in order; a line without a token is refused.
func TestSessionsFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sessions.txt")
	want := []*session{{cookie: "sessionId=a.b", token: "t1"}, {cookie: "sessionId=c.d", token: "t2"}}
	if err := writeSessions(file, want); err != nil {
		t.Fatal(err)
	}
	got, err := readSessions(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d sessions; want %d", len(got), len(want))
	}
	for i := range want {
		if *got[i] != *want[i] {
			t.Errorf("session %d = %+v; want %+v", i, *got[i], *want[i])
		}
	}
	os.WriteFile(file, []byte("sessionId=a.b\n"), 0o600)
	if _, err := readSessions(file); err == nil {
		t.Error("a line without a token was accepted; want an error")
	}
}
