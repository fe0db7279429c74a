package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// The throughput rows' sizes: visitors in parallel, each on a session of
// its own (so a missing message is a lost one, not one shown to another
// request), for throughputFor per store. They run after the race checks
// (row 12), so no compiler runs beside them.
const (
	throughputVisitors = 8
	throughputFor      = 3 * time.Second
)

// pagesThroughput measures pages per second for logged-in visitors: each
// GET /page loads the session and reads its flash messages, as every page
// of an app does.
func pagesThroughput(ctx context.Context, s *subject) string {
	rate, _, errs, msg := measure(s, func(v *visitor) (bool, bool) {
		return failed(v.get("/page")) == "", false
	})
	if msg != "" {
		return msg
	}
	return fmt.Sprintf("%.0f pages/s (%d errors)", rate, errs)
}

// flashThroughput measures flash round trips per second: a POST queueing
// a message the store's way, then the page that takes it, which must show
// exactly one.
func flashThroughput(ctx context.Context, s *subject) string {
	rate, lost, errs, msg := measure(s, func(v *visitor) (bool, bool) {
		if failed(v.post("/queue", url.Values{"m": {"This is a flash message."}})) != "" {
			return false, false
		}
		r := v.get("/show")
		return failed(r) == "", r.body != "1"
	})
	if msg != "" {
		return msg
	}
	return fmt.Sprintf("%.0f round trips/s = %.0f requests/s (%d lost, %d errors)", rate, 2*rate, lost, errs)
}

// measure logs in throughputVisitors visitors, then has each repeat one
// turn (it reports whether the turn succeeded and whether a message was
// lost) until throughputFor is over. It returns successful turns per
// second (lost ones included), lost and failed turns, or a cell's error
// message.
func measure(s *subject, turn func(*visitor) (ok, lost bool)) (rate float64, lost, errs int64, msg string) {
	tr := &http.Transport{MaxIdleConnsPerHost: throughputVisitors}
	defer tr.CloseIdleConnections()
	visitors := make([]*visitor, throughputVisitors)
	for i := range visitors {
		v, _, msg := login(s)
		if msg != "" {
			return 0, 0, 0, msg
		}
		v.client.Transport = tr
		visitors[i] = v
	}
	var done, lostN, errN atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(throughputFor)
	for _, v := range visitors {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				ok, l := turn(v)
				switch {
				case !ok:
					errN.Add(1)
				case l:
					lostN.Add(1)
					done.Add(1) // a round trip all the same
				default:
					done.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds(), lostN.Load(), errN.Load(), ""
}
