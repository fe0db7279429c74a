// Command loadgen drives the flash round trip for `make bench` (scenario
// 3): many workers, each owning some of the sessions alone (owner.go), POST
// a flash message (which redirects) and then GET the page that must show
// it, counting every message that does not come back. wrk cannot do this: its Lua scripts do
// not know which connection a response arrived on.
//
//	cd scripts && go run ./loadgen -url http://127.0.0.1:5510 -c 32 -d 10s -sessions 1000
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

// result is the JSON line of a flash run; scripts/bench.sh reads its
// fields by name, so the names are part of the interface.
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

// config holds the command-line flags, read once in main and then passed
// on, so that the functions below do not depend on global flag state.
type config struct {
	base       string
	conns      int
	dur        time.Duration
	nsess      int
	mode       string
	cookieFile string
	ready      string
	client     string
	saveTo     string // write the sessions made here, for a run against scripts/httpfloor
	reuse      string // drive these sessions instead of making new ones
}

func main() {
	cfg := parseFlags()
	do := newDo(cfg.base, cfg.conns)
	if cfg.client == "raw" {
		do = newRawDo(cfg.base, cfg.conns)
	}
	var cookies []string
	if cfg.mode == "mixed" {
		if cookies = readCookies(cfg.cookieFile); len(cookies) == 0 {
			fmt.Fprintf(os.Stderr, "loadgen: mixed mode needs logged-in session IDs in -cookies (%q has none)\n", cfg.cookieFile)
			os.Exit(1)
		}
	}
	sessions, err := setUp(do, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	if cfg.ready != "" {
		if err := waitForCaller(cfg.ready); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
	}
	if cfg.mode == "mixed" {
		json.NewEncoder(os.Stdout).Encode(mixed(do, cfg.conns, cfg.dur, cookies, sessions))
		return
	}
	report(flashRun(do, cfg.conns, cfg.dur, sessions))
}

// parseFlags reads the flags that scripts/bench.sh and scripts/soak.sh
// pass; their names and defaults are what those scripts rely on.
func parseFlags() config {
	var c config
	flag.StringVar(&c.base, "url", "http://127.0.0.1:5510", "server")
	flag.IntVar(&c.conns, "c", 32, "connections (workers)")
	flag.DurationVar(&c.dur, "d", 10*time.Second, "duration")
	flag.IntVar(&c.nsess, "sessions", 1000, "distinct sessions")
	flag.StringVar(&c.mode, "mode", "flash", "flash (round trips) or mixed (anonymous, logged-in and flash requests, for make soak)")
	flag.StringVar(&c.cookieFile, "cookies", "", "mixed mode: file of logged-in session cookies, one per line")
	flag.StringVar(&c.ready, "ready", "", "after creating the sessions, create this file and wait until it is removed (the caller resets its counters meanwhile)")
	flag.StringVar(&c.saveTo, "save-sessions", "", "write the sessions created (cookie and form token, one per line) to this file")
	flag.StringVar(&c.reuse, "use-sessions", "", "drive the sessions of this file (written by -save-sessions) instead of creating new ones: the floor of scripts/httpfloor cannot create them")
	flag.StringVar(&c.client, "client", "raw", "raw (HTTP/1.1 by hand, light as wrk) or nethttp (net/http's client); mixed mode always uses nethttp, which copes with a server that goes away")
	flag.Parse()
	if c.mode == "mixed" {
		c.client = "nethttp"
	}
	return c
}

// setUp returns the sessions of the run: read from cfg.reuse, or created
// (and then written to cfg.saveTo when set). It refuses fewer sessions than
// workers (checkOwnership).
func setUp(do doFunc, cfg config) ([]*session, error) {
	if cfg.reuse != "" {
		sessions, err := readSessions(cfg.reuse)
		if err == nil {
			err = checkOwnership(cfg.conns, len(sessions))
		}
		return sessions, err
	}
	if err := checkOwnership(cfg.conns, cfg.nsess); err != nil {
		return nil, err
	}
	sessions, failed := createSessions(do, cfg.conns, cfg.nsess)
	if failed > 0 {
		return nil, fmt.Errorf("%d sessions could not be created", failed)
	}
	if cfg.saveTo != "" {
		return sessions, writeSessions(cfg.saveTo, sessions)
	}
	return sessions, nil
}

// writeSessions writes each session's cookie and form token on a line.
func writeSessions(file string, sessions []*session) error {
	var b strings.Builder
	for _, s := range sessions {
		fmt.Fprintf(&b, "%s %s\n", s.cookie, s.token)
	}
	return os.WriteFile(file, []byte(b.String()), 0o600)
}

// readSessions reads a file written by -save-sessions.
func readSessions(file string) ([]*session, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var sessions []*session
	for line := range strings.Lines(string(raw)) {
		cookie, token, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			return nil, fmt.Errorf("%s: %q is not a cookie and a token", file, line)
		}
		sessions = append(sessions, &session{cookie: cookie, token: token})
	}
	return sessions, nil
}

// newDo returns the function every request goes through. The client keeps
// one connection per worker (so the load is conns connections, like wrk -c)
// and does not follow redirects, because the 303 after a POST is what we
// check. POSTs carry the headers the server's cross-site check wants.
func newDo(base string, conns int) doFunc {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	u, _ := url.Parse(base)
	origin := u.Scheme + "://" + u.Host

	return func(method, path, cookie, body string) (*http.Response, string, error) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
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
}

// createSessions makes n sessions with conns workers in parallel, so that
// setting up 1000 sessions does not take longer than the run itself. It
// returns the sessions and how many could not be created.
func createSessions(do doFunc, conns, n int) ([]*session, int64) {
	sessions := make([]*session, n)
	var setup sync.WaitGroup
	var failed atomic.Int64
	next := atomic.Int64{}
	for range conns {
		setup.Go(func() {
			for {
				i := int(next.Add(1)) - 1 // the next session nobody has claimed
				if i >= len(sessions) {
					return
				}
				s := newSession(do)
				if s == nil {
					failed.Add(1)
					continue
				}
				sessions[i] = s
			}
		})
	}
	setup.Wait()
	return sessions, failed.Load()
}

// newSession creates one session, or returns nil if the server refused:
// the first POST starts the session, the demo page gives its form token,
// and a GET of / shows the first flash so that it does not count later.
func newSession(do doFunc) *session {
	res, _, err := do(http.MethodPost, "/demo/session/flash", "", "")
	if err != nil || res.StatusCode != http.StatusSeeOther {
		return nil
	}
	c := res.Header.Get("Set-Cookie")
	s := &session{cookie: c[:strings.IndexByte(c, ';')]}
	_, page, err := do(http.MethodGet, "/demo/session", s.cookie, "")
	m := tokenRE.FindStringSubmatch(page)
	if err != nil || m == nil {
		return nil
	}
	s.token = m[1]
	do(http.MethodGet, "/", s.cookie, "") // show the first flash
	return s
}

// waitForCaller creates the file ready and waits until the caller removes
// it. Meanwhile scripts/bench.sh resets its counters, so the statements
// spent on creating the sessions are not counted in the measurement.
func waitForCaller(ready string) error {
	if err := os.WriteFile(ready, nil, 0o644); err != nil {
		return err
	}
	for {
		if _, err := os.Stat(ready); err != nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// flashCounts are the counters the flash workers share.
type flashCounts struct {
	rounds, errs, lost atomic.Int64
}

// flashRun runs the flash round trips on conns workers, each on sessions
// of its own, until the duration is over and summarises them. Each worker
// keeps its latencies to itself and hands them over at the end, so that no
// lock is taken per request.
func flashRun(do doFunc, conns int, dur time.Duration, sessions []*session) result {
	var (
		counts flashCounts
		mu     sync.Mutex
		lat    []time.Duration
	)
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			mine := flashWorker(do, w, conns, deadline, sessions, &counts)
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	return summarize(lat, secs, &counts)
}

// flashWorker is worker w: it takes the sessions it owns (owned) in turn,
// one round trip at a time, until the deadline. No other worker uses them,
// so a missing message is lost, not taken by a parallel GET. It returns
// the latency of every request it sent.
func flashWorker(do doFunc, w, conns int, deadline time.Time, sessions []*session, counts *flashCounts) []time.Duration {
	var lat []time.Duration
	mine := owned(w, conns, len(sessions))
	for j := 0; time.Now().Before(deadline); j++ {
		lat = roundTrip(do, sessions[mine[j%len(mine)]], lat, counts)
	}
	return lat
}

// roundTrip POSTs a flash message and GETs the page that must show it
// exactly once. A request that fails is an error; a page without the
// message is a lost flash. The latencies are appended to lat.
func roundTrip(do doFunc, s *session, lat []time.Duration, counts *flashCounts) []time.Duration {
	t0 := time.Now()
	res, _, err := do(http.MethodPost, "/demo/session/flash", s.cookie, "csrf_token="+url.QueryEscape(s.token))
	lat = append(lat, time.Since(t0))
	if err != nil || res.StatusCode != http.StatusSeeOther {
		counts.errs.Add(1)
		return lat
	}
	t1 := time.Now()
	res, page, err := do(http.MethodGet, "/", s.cookie, "")
	lat = append(lat, time.Since(t1))
	if err != nil || res.StatusCode != http.StatusOK {
		counts.errs.Add(1)
		return lat
	}
	if strings.Count(page, message) != 1 {
		counts.lost.Add(1)
	}
	counts.rounds.Add(1)
	return lat
}

// summarize turns the latencies of all requests and the counters into the
// result: rates per second and the 50th and 99th percentiles and maximum
// of the latency, in milliseconds.
func summarize(lat []time.Duration, secs float64, counts *flashCounts) result {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	r := result{RoundTrips: counts.rounds.Load(), Requests: int64(len(lat)), Seconds: secs,
		P50ms: pct(0.50), P99ms: pct(0.99), Errors: counts.errs.Load(), LostFlash: counts.lost.Load()}
	r.RPS, r.RTPS = float64(r.Requests)/secs, float64(r.RoundTrips)/secs
	if len(lat) > 0 {
		r.MaxMs = float64(lat[len(lat)-1].Microseconds()) / 1000
	}
	return r
}

// report prints the result as one line of JSON on standard output, which
// scripts/bench.sh reads.
func report(r result) {
	out := bufio.NewWriter(os.Stdout)
	json.NewEncoder(out).Encode(r)
	out.Flush()
}
