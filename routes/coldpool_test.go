package routes_test

// A new instance on a pool of one connection: the first login and logout answer at once (a statement prepared on first use inside a transaction must not wait for a second connection, which a busy pool may never free).

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/database/dbtest"
)

func TestColdInstanceOnAOneConnectionPool(t *testing.T) {
	_, dbURL := dbtest.New(t, nil)
	one, err := database.Open(context.Background(), database.Options{URL: dbURL, MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	a := instance(t, one, dbURL, "development", testSecret)
	a.account("Ada", "ada@example.com", "Client")
	b := a.browser()
	start := time.Now()
	if rec := b.login("ada@example.com", goodPassword); rec.Header().Get("Location") != "/account/" {
		t.Fatalf("login on a cold one-connection pool = %d to %q; want 303 to /account/", rec.Code, rec.Header().Get("Location"))
	}
	if rec := b.get("/account/"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<h2>Welcome Ada</h2>") {
		t.Errorf("account page after login = %d, without its welcome", rec.Code)
	}
	if rec := b.post("/account/logout", url.Values{}); rec.Header().Get("Location") != "/" {
		t.Errorf("logout = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the journey took %v: a statement waited for a second connection", took)
	}
	if logged := a.logs.String(); strings.Contains(logged, "level=ERROR") {
		t.Errorf("logged:\n%s", logged)
	}
}
