package routes_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/cse-motors/cse-motors/database"
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
			c := tight.browser()
			c.cookie = b.cookie
			start := time.Now()
			code := c.get("/account/").Code
			took := time.Since(start)
			mu.Lock()
			codes[code]++
			worst = max(worst, took)
			mu.Unlock()
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
	c := tight.browser()
	c.cookie = b.cookie
	if rec := c.get("/account/"); rec.Code != http.StatusOK {
		t.Errorf("after the slow queries ended /account/ = %d; want 200", rec.Code)
	}
	if st := small.Stats(); st.InUse != 0 {
		t.Errorf("%d connections still in use: a leak", st.InUse)
	}
	t.Logf("pool of 2 exhausted: %v, slowest answer %v", codes, worst.Round(time.Millisecond))
}
