package routes_test

// What visitors get when the database is in trouble (pool exhausted, session table locked): a quick 503, never a logout or a lost session.

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/database/dbtest"
)

// With the pool taken by slow queries, requests that need the session get
// a 503 in bounded time, the pool never grows past its limit, and nothing
// leaks once the slow queries end.
func TestExhaustedPoolGives503InBoundedTime(t *testing.T) {
	a := newApp(t, "production")
	a.account("Ada", "ada@example.com", "Client")
	b := a.browser()
	b.login("ada@example.com", goodPassword)

	small, err := database.Open(context.Background(), database.Options{URL: a.dbURL, MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	tight := instance(t, small, a.dbURL, "production", testSecret)

	var slow sync.WaitGroup
	for range 2 { // both connections busy for 3 s
		slow.Go(func() { small.ExecContext(context.Background(), `SELECT pg_sleep(3)`) })
	}
	time.Sleep(200 * time.Millisecond)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes, worst := map[int]int{}, time.Duration(0)
	for range 10 {
		wg.Go(func() {
			record(&mu, codes, &worst, func() int { return tight.browserWith(b.cookie).get("/account/").Code })
		})
	}
	wg.Wait()
	// The store's statement deadline is 1.5 s; allow for a loaded CI machine.
	if codes[http.StatusServiceUnavailable] != 10 || worst > 3*time.Second {
		t.Errorf("with the pool exhausted: %v, slowest %v; want ten 503s within 3 s", codes, worst)
	}
	if open := small.Stats().OpenConnections; open > 2 {
		t.Errorf("%d connections open; the limit is 2", open)
	}
	slow.Wait()
	c := tight.browserWith(b.cookie)
	if rec := c.get("/account/"); rec.Code != http.StatusOK {
		t.Errorf("after the slow queries ended /account/ = %d; want 200", rec.Code)
	}
	if st := small.Stats(); st.InUse != 0 {
		t.Errorf("%d connections still in use: a leak", st.InUse)
	}
	t.Logf("pool of 2 exhausted: %v, slowest answer %v", codes, worst.Round(time.Millisecond))
}

// With the session table locked, a request with a session gets a 503 in
// bounded time instead of being treated as logged out, visitors without a
// cookie are served, and the session's data survives the lock.
func TestSessionStoreTroubleGives503NotALogout(t *testing.T) {
	a := newApp(t, "development")
	a.browser().get("/")
	c := sessionCookie(a.browser().get("/demo/flash"))

	tx := dbtest.LockTable(t, a.db, "session", "ACCESS EXCLUSIVE")
	start := time.Now()
	rec := a.browserWith(c.Value).get("/")
	took := time.Since(start)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("GET / with the session table locked = %d (Retry-After %q); want 503 with Retry-After",
			rec.Code, rec.Header().Get("Retry-After"))
	}
	if took > 2*time.Second {
		t.Errorf("the 503 took %v; want within 2s", took)
	}
	t.Logf("503 with a locked session table after %v", took.Round(time.Millisecond))
	if rec := a.browser().get("/"); rec.Code != http.StatusOK {
		t.Errorf("cookieless GET / while the session table is locked = %d; want 200", rec.Code)
	}
	tx.Rollback()
	if body := a.browserWith(c.Value).get("/").Body.String(); !strings.Contains(body, "This is a flash message.") {
		t.Error("after the lock, the flash waiting in the session was lost")
	}
}

// With the session table locked for 5 s, no request waits past its
// deadline, and afterwards no ended session has come back and no session
// has two rows.
func TestLockedSessionTable(t *testing.T) {
	a := newApp(t, "development")
	a.account("Ada", "ada@example.com", "Client")
	var live, ended []string
	for i := range 6 {
		b := a.browser()
		b.login("ada@example.com", goodPassword)
		if i%2 == 0 {
			live = append(live, b.cookie)
			continue
		}
		ended = append(ended, b.cookie)
		b.get("/account/") // a page with the logout form's token
		if rec := b.post("/account/logout", url.Values{}); rec.Code != http.StatusSeeOther {
			t.Fatalf("logout = %d", rec.Code)
		}
	}
	lock := dbtest.LockTable(t, a.db, "session", "ACCESS EXCLUSIVE")
	deadline := time.Now().Add(5 * time.Second)
	var wg sync.WaitGroup
	var mu sync.Mutex
	worst, codes := time.Duration(0), map[int]int{}
	for _, c := range append(append([]string{}, live...), ended...) {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				for _, path := range []string{"/account/", "/demo/flash"} {
					record(&mu, codes, &worst, func() int { return a.browserWith(c).get(path).Code })
				}
			}
		})
	}
	wg.Wait()
	lock.Rollback()
	if worst > 3*time.Second || codes[http.StatusServiceUnavailable] == 0 {
		t.Errorf("during the lock: %v, slowest %v; want 503s, none past its deadline", codes, worst)
	}
	for _, c := range ended {
		if n := a.count(`SELECT count(*) FROM session WHERE sid = $1`, sid(c)); n != 0 {
			t.Errorf("a logged-out session came back during the lock")
		}
	}
	for _, c := range live {
		if n := a.count(`SELECT count(*) FROM session WHERE sid = $1`, sid(c)); n != 1 {
			t.Errorf("a live session has %d rows; want 1", n)
		}
		b := a.browserWith(c)
		if rec := b.get("/account/"); rec.Code != http.StatusOK {
			t.Errorf("a live session no longer works after the lock (%d)", rec.Code)
		}
	}
	t.Logf("5 s lock: %v, slowest answer %v", codes, worst.Round(time.Millisecond))
}

// record times one request, counting its status in codes and keeping the
// slowest in worst, under mu (many goroutines record at once).
func record(mu *sync.Mutex, codes map[int]int, worst *time.Duration, request func() int) {
	start := time.Now()
	code := request()
	took := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	codes[code]++
	*worst = max(*worst, took)
}
