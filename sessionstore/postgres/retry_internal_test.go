package postgres

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// A GET whose instance died after taking the messages, with the page
// unsent, is retried by the load balancer on another instance with the
// same request ID: the retry takes the same messages again. A page with
// another ID is a new page: it deletes what an earlier page showed.
func TestRetriedGetTakesTheMessagesAgain(t *testing.T) {
	st, db, _ := storeWithRow(t, `{}`)
	id := newID() // a cookie carries a full-length ID
	if _, err := db.Exec(`UPDATE session SET sid = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO flash (sid, type, message) VALUES ($1, 'notice', 'hello')`, id); err != nil {
		t.Fatal(err)
	}
	cookie := &http.Cookie{Name: "sessionId", Value: st.encodeCookie("sessionId", id)}
	page := func(requestID string) []Flash {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(cookie)
		r.Header.Set(RequestIDHeader, requestID)
		return stateOf(st.get(r, "sessionId", true, requestKey(r))).flashes // then nothing: the process died
	}
	if got := page("try-1"); len(got) != 1 || got[0].Text != "hello" {
		t.Fatalf("first try took %v; want hello", got)
	}
	if got := page("try-1"); len(got) != 1 || got[0].Text != "hello" {
		t.Errorf("the retry (same request ID) took %v; want hello again", got)
	}
	if got := page("the next page"); len(got) != 0 {
		t.Errorf("the next page took %v; want nothing (the retry showed it)", got)
	}
	var left int
	db.QueryRow(`SELECT count(*) FROM flash`).Scan(&left)
	if left != 0 {
		t.Errorf("%d flash rows left after the next page; want 0", left)
	}
	// Without a request ID no retry can be told apart: the take deletes.
	db.Exec(`INSERT INTO flash (sid, type, message) VALUES ($1, 'notice', 'again')`, id)
	if got := page(""); len(got) != 1 || got[0].Text != "again" {
		t.Errorf("a page without a request ID took %v; want again", got)
	}
	db.QueryRow(`SELECT count(*) FROM flash`).Scan(&left)
	if left != 0 {
		t.Errorf("%d flash rows left after a page without a request ID; want 0", left)
	}
}
