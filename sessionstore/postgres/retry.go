package postgres

import (
	"context"
	"sync"
	"time"
)

// A request that took its session's flash messages from the table and
// then could not show them must put them back. If the database went away
// in between (the put-back fails, and the visitor gets the 503 page), the
// messages wait here and are put back as soon as it answers again, so an
// outage loses none. The wait is bounded in time and in size; a process
// that stops meanwhile loses what is still waiting, and says so.
const (
	retryEvery   = time.Second
	retryFor     = 10 * time.Minute
	retryMaxRows = 10000
)

type putBack struct {
	sid   string
	msgs  []Flash
	since time.Time
}

type retries struct {
	mu      sync.Mutex
	pending []putBack
	rows    int
	running bool
}

// retryLater keeps msgs for session sid until they can be put back.
func (st *Store) retryLater(sid string, msgs []Flash) {
	r := &st.retries
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rows+len(msgs) > retryMaxRows {
		st.logger().Error("flash messages lost: too many waiting to be put back", "sid_hash", IDHash(sid), "messages", len(msgs))
		return
	}
	r.pending = append(r.pending, putBack{sid: sid, msgs: msgs, since: time.Now()})
	r.rows += len(msgs)
	if !r.running {
		r.running = true
		go st.retryLoop()
	}
}

// retryLoop puts back what waits, every retryEvery, until nothing does.
func (st *Store) retryLoop() {
	r := &st.retries
	for {
		time.Sleep(retryEvery)
		r.mu.Lock()
		batch := r.pending
		r.pending, r.rows = nil, 0
		r.mu.Unlock()
		var again []putBack
		for _, p := range batch {
			err := st.writeFlashes(context.Background(), run{st: st}, p.sid, p.msgs)
			switch {
			case err == nil:
			case time.Since(p.since) > retryFor:
				st.logger().Error("flash messages lost: the database did not come back in time",
					"sid_hash", IDHash(p.sid), "messages", len(p.msgs), "err", err)
			default:
				again = append(again, p)
			}
		}
		r.mu.Lock()
		for _, p := range again {
			r.pending = append(r.pending, p)
			r.rows += len(p.msgs)
		}
		if len(r.pending) == 0 {
			r.running = false
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
	}
}

// Waiting reports how many flash messages wait to be put back after a
// failed save: 0 once the database has answered again.
func (st *Store) Waiting() int {
	st.retries.mu.Lock()
	defer st.retries.mu.Unlock()
	return st.retries.rows
}
