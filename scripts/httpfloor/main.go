// Command httpfloor is the floor of `make bench` scenarios 1, 2 and 3: a
// bare net/http server (no gin, no middleware, no templates) that sends the
// same bytes as the app and, for 2 and 3, the same SQL statements through
// lib/pq (statements.go). What the load measures against it on the same
// machine, in the same minute, is what any Go server doing that work can
// do there; scripts/bench.sh prints the app's ratio to it.
//
// Scenario 1 (every request answered with one file's bytes):
//
//	cd scripts && go run ./httpfloor -addr 127.0.0.1:5511 -body page.html
//
// Scenarios 2 and 3 (sessions of the app's database, responses captured
// from the app with curl -si):
//
//	cd scripts && go run ./httpfloor -addr 127.0.0.1:5511 -db "$DATABASE_URL" \
//		-account account.http -flash-post post.http -home home.http -home-flash home-flash.http
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"

	_ "github.com/lib/pq"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5511", "listen address")
	file := flag.String("body", "", "scenario 1: file whose bytes every response carries")
	dbURL := flag.String("db", "", "scenarios 2 and 3: the app's database (its session table)")
	async := flag.Bool("async", false, "scenario 3: save as the app does under SESSION_ASYNC_COMMIT=true")
	pool := flag.Int("pool", 16, "scenarios 2 and 3: open connections at most (the app's DB_MAX_OPEN_CONNS default)")
	files := map[string]string{}
	for name, usage := range map[string]string{
		"account":    "GET /account/ as the app answered it (curl -si)",
		"flash-post": "POST /demo/session/flash as the app answered it (curl -si)",
		"home":       "GET / with no message to show (curl -si)",
		"home-flash": "GET / showing the flash message (curl -si)",
	} {
		flag.Func(name, usage, func(v string) error { files[name] = v; return nil })
	}
	flag.Parse()
	h, err := handler(*file, *dbURL, *async, *pool, files)
	if err == nil {
		err = http.ListenAndServe(*addr, h)
	}
	fmt.Fprintln(os.Stderr, "httpfloor:", err)
	os.Exit(1)
}

// handler returns scenario 1's handler when body is set, else the session
// floor of scenarios 2 and 3 over dbURL.
func handler(body, dbURL string, async bool, pool int, files map[string]string) (http.Handler, error) {
	if body != "" {
		return staticFloor(body)
	}
	if dbURL == "" {
		return nil, fmt.Errorf("give -body (scenario 1) or -db with the captured responses (scenarios 2 and 3)")
	}
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(pool)
	db.SetMaxIdleConns(pool)
	return newSessionFloor(context.Background(), db, async, files)
}

// staticFloor answers every request with the file's bytes as a page.
func staticFloor(file string) (http.Handler, error) {
	body, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	size := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Length", size)
		w.Write(body)
	}), nil
}
