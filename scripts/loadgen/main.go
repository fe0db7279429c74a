// Command loadgen drives the flash round trip for `make bench` (scenario
// 3): many workers, each owning some of the sessions, POST a flash message
// (which redirects) and then GET the page that must show it, counting every
// message that does not come back. wrk cannot do this: its Lua scripts do
// not know which connection a response arrived on.
//
//	go run ./scripts/loadgen -url http://127.0.0.1:5510 -c 32 -d 10s -sessions 1000
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// doFunc sends one request and returns the response with its body read.
type doFunc func(method, path, cookie, body string) (*http.Response, string, error)

type session struct {
	cookie string // sessionId=...
	token  string // the form token bound to the session
}

type result struct {
	RoundTrips int64   `json:"round_trips"`
	Requests   int64   `json:"requests"`
	Seconds    float64 `json:"seconds"`
	RPS        float64 `json:"requests_per_second"`
	RTPS       float64 `json:"round_trips_per_second"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	Errors     int64   `json:"errors"`
	LostFlash  int64   `json:"lost_flashes"`
}

var tokenRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

const message = "This is a flash message."

func main() {
	base := flag.String("url", "http://127.0.0.1:5510", "server")
	conns := flag.Int("c", 32, "connections (workers)")
	dur := flag.Duration("d", 10*time.Second, "duration")
	nsess := flag.Int("sessions", 1000, "distinct sessions")
	mode := flag.String("mode", "flash", "flash (round trips) or mixed (anonymous, logged-in and flash requests, for make soak)")
	cookieFile := flag.String("cookies", "", "mixed mode: file of logged-in session cookies, one per line")
	ready := flag.String("ready", "", "after creating the sessions, create this file and wait until it is removed (the caller resets its counters meanwhile)")
	flag.Parse()

	tr := &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	u, _ := url.Parse(*base)
	origin := u.Scheme + "://" + u.Host

	var do doFunc = func(method, path, cookie, body string) (*http.Response, string, error) {
		req, _ := http.NewRequest(method, *base+path, strings.NewReader(body))
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", origin)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		res, err := client.Do(req)
		if err != nil {
			return nil, "", err
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b), err
	}

	// Create the sessions: the first POST starts one, the demo page gives
	// its form token.
	sessions := make([]*session, *nsess)
	var setup sync.WaitGroup
	var failed atomic.Int64
	next := atomic.Int64{}
	for range *conns {
		setup.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(sessions) {
					return
				}
				res, _, err := do(http.MethodPost, "/demo/session/flash", "", "")
				if err != nil || res.StatusCode != http.StatusSeeOther {
					failed.Add(1)
					continue
				}
				c := res.Header.Get("Set-Cookie")
				s := &session{cookie: c[:strings.IndexByte(c, ';')]}
				_, page, err := do(http.MethodGet, "/demo/session", s.cookie, "")
				m := tokenRE.FindStringSubmatch(page)
				if err != nil || m == nil {
					failed.Add(1)
					continue
				}
				s.token = m[1]
				do(http.MethodGet, "/", s.cookie, "") // show the first flash
				sessions[i] = s
			}
		})
	}
	setup.Wait()
	if failed.Load() > 0 {
		fmt.Fprintf(os.Stderr, "loadgen: %d sessions could not be created\n", failed.Load())
		os.Exit(1)
	}

	if *ready != "" {
		if err := os.WriteFile(*ready, nil, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		for {
			if _, err := os.Stat(*ready); err != nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	if *mode == "mixed" {
		json.NewEncoder(os.Stdout).Encode(mixed(do, *conns, *dur, *cookieFile, sessions))
		return
	}

	var (
		rounds, errs, lost atomic.Int64
		mu                 sync.Mutex
		lat                []time.Duration
	)
	deadline := time.Now().Add(*dur)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range *conns {
		wg.Go(func() {
			var mine []time.Duration
			for i := w; time.Now().Before(deadline); i += *conns {
				s := sessions[i%len(sessions)]
				t0 := time.Now()
				res, _, err := do(http.MethodPost, "/demo/session/flash", s.cookie, "csrf_token="+url.QueryEscape(s.token))
				mine = append(mine, time.Since(t0))
				if err != nil || res.StatusCode != http.StatusSeeOther {
					errs.Add(1)
					continue
				}
				t1 := time.Now()
				res, page, err := do(http.MethodGet, "/", s.cookie, "")
				mine = append(mine, time.Since(t1))
				if err != nil || res.StatusCode != http.StatusOK {
					errs.Add(1)
					continue
				}
				if strings.Count(page, message) != 1 {
					lost.Add(1)
				}
				rounds.Add(1)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	r := result{RoundTrips: rounds.Load(), Requests: int64(len(lat)), Seconds: secs,
		P50ms: pct(0.50), P99ms: pct(0.99), Errors: errs.Load(), LostFlash: lost.Load()}
	r.RPS, r.RTPS = float64(r.Requests)/secs, float64(r.RoundTrips)/secs
	if len(lat) > 0 {
		r.MaxMs = float64(lat[len(lat)-1].Microseconds()) / 1000
	}
	out := bufio.NewWriter(os.Stdout)
	json.NewEncoder(out).Encode(r)
	out.Flush()
}
