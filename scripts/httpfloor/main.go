// Command httpfloor is the floor for `make bench` scenario 1: a bare
// net/http server (no gin, no middleware, no database) answering every
// request with the same bytes as the app's home page. What wrk measures
// against it on the same machine, in the same minute, is what any Go
// server can do there; the app's figures are read against it.
//
//	cd scripts && go run ./httpfloor -addr 127.0.0.1:5511 -body page.html
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5511", "listen address")
	file := flag.String("body", "", "file whose bytes every response carries")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpfloor:", err)
		os.Exit(1)
	}
	size := strconv.Itoa(len(body))
	err = http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Length", size)
		w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, "httpfloor:", err)
	os.Exit(1)
}
