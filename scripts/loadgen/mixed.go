package main

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// mixedResult is what `make soak` reports for a run of steady mixed load:
// anonymous pages, logged-in pages and flash round trips.
type mixedResult struct {
	Sent            int64   `json:"sent"`
	Answered        int64   `json:"answered"`
	Unanswered      int64   `json:"unanswered"` // transport errors: refused, reset, timed out
	Intended503     int64   `json:"intended_503"`
	Other5xx        int64   `json:"other_5xx"`
	SlowSession     int64   `json:"session_requests_over_2s"`
	MaxSessionMs    float64 `json:"max_session_request_ms"`
	AnonymousFailed int64   `json:"anonymous_not_200"`
	FlashesStored   int64   `json:"flashes_stored"`
	FlashesShown    int64   `json:"flashes_shown"`
	FlashesLost     int64   `json:"flashes_lost"`
	SessionsLost    int64   `json:"sessions_lost"`
}

// mixedRun is the state the workers of a mixed run share. The counters in
// r are updated with sync/atomic while the workers run; r comes first so
// that its int64 fields stay 64-bit aligned on every platform.
type mixedRun struct {
	r        mixedResult
	do       doFunc
	sessions []*session // flash sessions, created by main
	cookies  []string   // logged-in sessions, "sessionId=..."
	maxMs    atomic.Int64
	mu       sync.Mutex // guards pending
	pending  []int64    // flashes stored and not yet shown, per session
}

// mixed runs one third anonymous page views, one third logged-in page
// views (cookies: Cookie header values) and one third flash round
// trips on sessions of its own, until the deadline; then it drains the
// flashes still waiting and checks that every logged-in session survived.
func mixed(do doFunc, conns int, dur time.Duration, cookies []string, sessions []*session) mixedResult {
	m := &mixedRun{do: do, sessions: sessions, cookies: cookies,
		pending: make([]int64, len(sessions))}
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() { m.worker(w, conns, deadline) })
	}
	wg.Wait()
	m.drain()
	m.r.FlashesLost = m.flashesLost()
	m.r.SessionsLost = m.sessionsLost()
	m.r.MaxSessionMs = float64(m.maxMs.Load())
	return m.r
}

// readCookies reads the session ids that scripts/soak.sh wrote, one per
// line, and turns each into a Cookie header value. A missing file gives
// no cookies, which main refuses.
func readCookies(cookieFile string) []string {
	raw, _ := os.ReadFile(cookieFile)
	var cookies []string
	for _, line := range strings.Fields(string(raw)) {
		cookies = append(cookies, "sessionId="+line)
	}
	return cookies
}

// worker is worker w. Request number i is an anonymous page, a logged-in
// page or a flash round trip according to i%3, so the three kinds of load
// stay in equal parts whatever the number of workers.
func (m *mixedRun) worker(w, conns int, deadline time.Time) {
	mine := owned(w, conns, len(m.sessions)) // flash sessions no other worker uses
	j := 0
	for i := w; time.Now().Before(deadline); i += conns {
		switch i % 3 {
		case 0:
			m.anonymous([]string{"/", "/inv/type/1", "/inv/detail/3"}[i%9/3])
		case 1:
			m.send(true, http.MethodGet, "/account/", m.cookies[i%len(m.cookies)], "")
		case 2:
			m.flash(mine[j%len(mine)])
			j++
		}
	}
}

// send sends one request, times it and counts it; see count.
func (m *mixedRun) send(needsSession bool, method, path, cookie, body string) (*http.Response, string, error) {
	start := time.Now()
	res, page, err := m.do(method, path, cookie, body)
	m.count(res, err, needsSession, time.Since(start))
	return res, page, err
}

// count records one request: whether it was answered, whether it was a
// 503 (what the server answers on purpose while the database is away) or
// another 5xx, and, for requests that need a session, how long it took.
func (m *mixedRun) count(res *http.Response, err error, needsSession bool, took time.Duration) {
	atomic.AddInt64(&m.r.Sent, 1)
	if err != nil {
		atomic.AddInt64(&m.r.Unanswered, 1)
		return
	}
	atomic.AddInt64(&m.r.Answered, 1)
	switch {
	case res.StatusCode == http.StatusServiceUnavailable:
		atomic.AddInt64(&m.r.Intended503, 1)
	case res.StatusCode >= 500:
		atomic.AddInt64(&m.r.Other5xx, 1)
	}
	if needsSession {
		if took > 2*time.Second {
			atomic.AddInt64(&m.r.SlowSession, 1)
		}
		m.recordMax(took.Milliseconds())
	}
}

// recordMax raises maxMs to ms if ms is larger. It loops because another
// worker may raise it between the Load and the CompareAndSwap.
func (m *mixedRun) recordMax(ms int64) {
	for {
		cur := m.maxMs.Load()
		if ms <= cur || m.maxMs.CompareAndSwap(cur, ms) {
			return
		}
	}
}

// anonymous views a page without a cookie; anything but 200 is a failure,
// since these pages must keep working while the database is away.
func (m *mixedRun) anonymous(path string) {
	res, _, err := m.send(false, http.MethodGet, path, "", "")
	if err != nil || res.StatusCode != http.StatusOK {
		atomic.AddInt64(&m.r.AnonymousFailed, 1)
	}
}

// flash stores a flash message in session k and then views the page that
// shows it. A stored message stays pending until a page shows it.
func (m *mixedRun) flash(k int) {
	s := m.sessions[k]
	res, _, err := m.send(true, http.MethodPost, "/demo/session/flash", s.cookie, "csrf_token="+url.QueryEscape(s.token))
	if err == nil && res.StatusCode == http.StatusSeeOther {
		m.mu.Lock()
		m.pending[k]++
		m.mu.Unlock()
		atomic.AddInt64(&m.r.FlashesStored, 1)
	}
	m.show(k)
}

// show views / with session i and subtracts the flash messages it shows
// from those pending.
func (m *mixedRun) show(i int) {
	s := m.sessions[i]
	res, page, err := m.send(true, http.MethodGet, "/", s.cookie, "")
	if err == nil && res.StatusCode == http.StatusOK {
		n := int64(strings.Count(page, message))
		m.mu.Lock()
		m.pending[i] -= n
		m.mu.Unlock()
		atomic.AddInt64(&m.r.FlashesShown, n)
	}
}

// drain views the page of every session with flashes pending, up to 50
// times 200 ms apart: after the outage every stored flash must still be
// shown, perhaps once the database is back.
func (m *mixedRun) drain() {
	for try := 0; try < 50; try++ {
		left := false
		for i := range m.sessions {
			m.mu.Lock()
			p := m.pending[i]
			m.mu.Unlock()
			if p > 0 {
				left = true
				m.show(i)
			}
		}
		if !left {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// flashesLost counts the flash messages stored and never shown.
func (m *mixedRun) flashesLost() int64 {
	var lost int64
	for _, p := range m.pending {
		if p > 0 {
			lost += p
		}
	}
	return lost
}

// sessionsLost counts the logged-in sessions whose account page no longer
// greets the visitor. These requests are not counted in the load.
func (m *mixedRun) sessionsLost() int64 {
	var lost int64
	for _, c := range m.cookies {
		res, page, err := m.do(http.MethodGet, "/account/", c, "")
		if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(page, "Welcome") {
			lost++
		}
	}
	return lost
}
