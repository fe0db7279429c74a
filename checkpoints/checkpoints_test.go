package checkpoints

// The notebook's bounds and bookkeeping: how many sessions, checkpoints and statements it keeps, how a bib moves with a rotation, and the bib itself. (The router-level behaviour is in routes/demo_live_test.go.)

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestBibIsFourDigitsFromTheID(t *testing.T) {
	if Bib("") != "" {
		t.Errorf("Bib(\"\") = %q; want none", Bib(""))
	}
	seen := map[string]bool{}
	for i := range 200 {
		id := "session-" + strconv.Itoa(i)
		b := Bib(id)
		if n, err := strconv.Atoi(b); err != nil || n < 1000 || n > 9999 || Bib(id) != b {
			t.Fatalf("Bib(%q) = %q; want the same four digits every time", id, b)
		}
		seen[b] = true
	}
	if len(seen) < 150 {
		t.Errorf("200 IDs gave only %d different bibs", len(seen))
	}
}

func TestLogKeepsFixedNumbers(t *testing.T) {
	l := New()
	for i := range MaxSessions + 5 {
		id := "id-" + strconv.Itoa(i)
		for j := range MaxCheckpoints + 3 {
			l.note(true, true, id, id, Checkpoint{Path: "/" + strconv.Itoa(j)})
		}
	}
	if len(l.runners) != MaxSessions {
		t.Errorf("following %d sessions; want %d", len(l.runners), MaxSessions)
	}
	if s := l.Snapshot("id-0"); s.Followed {
		t.Error("the least recently seen session was not forgotten")
	}
	s := l.Snapshot("id-" + strconv.Itoa(MaxSessions+4))
	if len(s.Checkpoints) != MaxCheckpoints || s.Checkpoints[0].Path != "/"+strconv.Itoa(MaxCheckpoints+2) {
		t.Errorf("kept %d checkpoints, newest %q; want %d, newest first", len(s.Checkpoints), s.Checkpoints[0].Path, MaxCheckpoints)
	}
	for k := range l.runners {
		if strings.Contains(string(k[:]), "id-") {
			t.Fatal("a session is filed under its ID")
		}
	}
}

func TestObserveKeepsBoundedStatementsOfItsOwnRequest(t *testing.T) {
	col := &collector{}
	ctx := context.WithValue(context.Background(), collectorKey{}, col)
	Observe(context.Background(), "SELECT 1", time.Millisecond, nil) // no request: ignored
	Observe(ctx, strings.Repeat("x", 5000), time.Millisecond, errors.New("boom"))
	for range MaxStatements + 4 {
		Observe(ctx, "SELECT 2", time.Millisecond, nil)
	}
	if len(col.statements) != MaxStatements || col.more != 5 {
		t.Errorf("kept %d statements, counted %d more; want %d and 5", len(col.statements), col.more, MaxStatements)
	}
	if first := col.statements[0]; len(first.Query) > MaxQuery+len("…") || first.Err != "boom" {
		t.Errorf("a long statement kept %d bytes, error %q", len(first.Query), first.Err)
	}
	col.done = true
	Observe(ctx, "SELECT 3", time.Millisecond, nil)
	if col.more != 5 {
		t.Error("a statement sent after the request was filed was counted as its own")
	}
}

func TestRotationMovesTheHistoryAndDestroyEndsIt(t *testing.T) {
	l := New()
	l.note(true, true, "", "a", Checkpoint{Path: "/issue"})
	l.note(true, true, "a", "b", Checkpoint{Path: "/rotate"})
	if l.Snapshot("a").Followed {
		t.Error("the old ID still has a history")
	}
	s := l.Snapshot("b")
	if len(s.Checkpoints) != 2 || !strings.Contains(s.Checkpoints[0].Note, "replaced by bib "+Bib("b")) ||
		!strings.Contains(s.Checkpoints[1].Note, "issued bib "+Bib("a")) {
		t.Errorf("after rotation: %+v", s.Checkpoints)
	}
	l.note(true, true, "b", "", Checkpoint{Path: "/destroy"})
	if s := l.Snapshot("b"); !s.Ended || !strings.Contains(s.Checkpoints[0].Note, "withdrawn") {
		t.Errorf("after destroy: ended %v, %+v", s.Ended, s.Checkpoints)
	}
	l.note(false, false, "", "", Checkpoint{Path: "/css/styles.css"})
	l.note(true, true, "", "", Checkpoint{Path: "/", Statements: []Statement{{Query: "SELECT"}}})
	if u := l.Snapshot("").Unnoted; u != (Unnoted{Static: 1, Pages: 1, Statements: 1}) {
		t.Errorf("unnoted = %+v", u)
	}
}
