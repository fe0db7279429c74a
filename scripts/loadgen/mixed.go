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

// mixed runs one third anonymous page views, one third logged-in page
// views (cookies from a file, one per line) and one third flash round
// trips on sessions of its own, until the deadline; then it drains the
// flashes still waiting and checks that every logged-in session survived.
func mixed(do doFunc, conns int, dur time.Duration, cookieFile string, sessions []*session) mixedResult {
	var r mixedResult
	raw, _ := os.ReadFile(cookieFile)
	var cookies []string
	for _, line := range strings.Fields(string(raw)) {
		cookies = append(cookies, "sessionId="+line)
	}
	var maxMs atomic.Int64
	count := func(res *http.Response, err error, needsSession bool, took time.Duration) {
		atomic.AddInt64(&r.Sent, 1)
		if err != nil {
			atomic.AddInt64(&r.Unanswered, 1)
			return
		}
		atomic.AddInt64(&r.Answered, 1)
		switch {
		case res.StatusCode == http.StatusServiceUnavailable:
			atomic.AddInt64(&r.Intended503, 1)
		case res.StatusCode >= 500:
			atomic.AddInt64(&r.Other5xx, 1)
		}
		if needsSession {
			if took > 2*time.Second {
				atomic.AddInt64(&r.SlowSession, 1)
			}
			for ms := took.Milliseconds(); ; {
				cur := maxMs.Load()
				if ms <= cur || maxMs.CompareAndSwap(cur, ms) {
					break
				}
			}
		}
	}
	pending := make([]int64, len(sessions)) // flashes stored and not yet shown, per session
	var mu sync.Mutex
	show := func(i int) {
		s := sessions[i]
		start := time.Now()
		res, page, err := do(http.MethodGet, "/", s.cookie, "")
		count(res, err, true, time.Since(start))
		if err == nil && res.StatusCode == http.StatusOK {
			n := int64(strings.Count(page, message))
			mu.Lock()
			pending[i] -= n
			mu.Unlock()
			atomic.AddInt64(&r.FlashesShown, n)
		}
	}
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			per := max(len(sessions)/conns, 1) // each worker owns its own flash sessions
			j := 0
			for i := w; time.Now().Before(deadline); i += conns {
				switch i % 3 {
				case 0:
					path := []string{"/", "/inv/type/1", "/inv/detail/3"}[i%9/3]
					start := time.Now()
					res, _, err := do(http.MethodGet, path, "", "")
					count(res, err, false, time.Since(start))
					if err != nil || res.StatusCode != http.StatusOK {
						atomic.AddInt64(&r.AnonymousFailed, 1)
					}
				case 1:
					start := time.Now()
					res, _, err := do(http.MethodGet, "/account/", cookies[i%len(cookies)], "")
					count(res, err, true, time.Since(start))
				case 2:
					k := (w*per + j%per) % len(sessions)
					j++
					s := sessions[k]
					start := time.Now()
					res, _, err := do(http.MethodPost, "/demo/session/flash", s.cookie, "csrf_token="+url.QueryEscape(s.token))
					count(res, err, true, time.Since(start))
					if err == nil && res.StatusCode == http.StatusSeeOther {
						mu.Lock()
						pending[k]++
						mu.Unlock()
						atomic.AddInt64(&r.FlashesStored, 1)
					}
					show(k)
				}
			}
		})
	}
	wg.Wait()
	// Drain: after the outage every stored flash must still be shown.
	for try := 0; try < 50; try++ {
		left := false
		for i := range sessions {
			mu.Lock()
			p := pending[i]
			mu.Unlock()
			if p > 0 {
				left = true
				show(i)
			}
		}
		if !left {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, p := range pending {
		if p > 0 {
			r.FlashesLost += p
		}
	}
	for _, c := range cookies {
		res, page, err := do(http.MethodGet, "/account/", c, "")
		if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(page, "Welcome") {
			r.SessionsLost++
		}
	}
	r.MaxSessionMs = float64(maxMs.Load())
	return r
}
