package controllers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/checkpoints"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// feedFor is how long one live feed connection lasts. The browser
// reconnects on its own (EventSource), with the cookie it then holds;
// ending well inside the server's WriteTimeout (30 s) keeps the write
// deadline from cutting an event in half.
const feedFor = 20 * time.Second

// feedView is the demo page's checkpoint list, as the template renders it
// and as the live feed sends it (public/js/demo-session.js draws the same
// markup from it).
type feedView struct {
	Bib         string              `json:"bib"`
	Ended       bool                `json:"ended"`
	Checkpoints []checkpointView    `json:"checkpoints"`
	Unnoted     checkpoints.Unnoted `json:"unnoted"`
	Limit       int                 `json:"-"` // checkpoints kept per session
}

type checkpointView struct {
	Time   string    `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	Took   string    `json:"took"`
	Note   string    `json:"note"`
	SQL    []sqlView `json:"sql"`
	More   int       `json:"more"`
}

type sqlView struct {
	Query string `json:"query"`
	Took  string `json:"took"`
	Err   string `json:"err"`
}

func newFeedView(s checkpoints.Snapshot) feedView {
	v := feedView{Bib: s.Bib, Ended: s.Ended, Unnoted: s.Unnoted, Checkpoints: []checkpointView{},
		Limit: checkpoints.MaxCheckpoints}
	for _, cp := range s.Checkpoints {
		cv := checkpointView{Time: cp.At.Local().Format("15:04:05.000"), Method: cp.Method, Path: cp.Path,
			Status: cp.Status, Took: millis(cp.Took), Note: cp.Note, More: cp.More, SQL: []sqlView{}}
		for _, st := range cp.Statements {
			cv.SQL = append(cv.SQL, sqlView{Query: strings.Join(strings.Fields(st.Query), " "), Took: millis(st.Took), Err: st.Err})
		}
		v.Checkpoints = append(v.Checkpoints, cv)
	}
	return v
}

// millis is a duration as the page shows it: "1.25 ms".
func millis(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// Feed streams the visitor's own checkpoints to the demo page as
// server-sent events: a full list at once and after every change, for the
// session the request carries and no other. It ends when that session
// ends or changes ID (the browser reconnects with its new cookie), and
// after feedFor. The feed itself is not a checkpoint.
func (d *Demo) Feed(c *gin.Context) {
	checkpoints.Skip(c)
	if !d.log.Join() {
		c.Header("Retry-After", "5")
		c.Status(http.StatusServiceUnavailable)
		return
	}
	defer d.log.Leave()
	id := postgres.ID(sessions.Default(c))
	startStream(c)
	lasts := feedFor
	if id == "" {
		// No session to follow: reconnect soon, so that a session started
		// in another tab (its cookie sent with the next connection) shows.
		lasts = 3 * time.Second
	}
	d.stream(c, id, lasts)
}

// startStream sends the headers of an event stream and the browser's
// reconnection delay.
func startStream(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy must not hold events back
	c.Status(http.StatusOK)
	fmt.Fprint(c.Writer, "retry: 1000\n\n")
	c.Writer.Flush()
}

// stream sends bib id's checkpoints as they change, for lasts at most.
func (d *Demo) stream(c *gin.Context, id string, lasts time.Duration) {
	ctx := c.Request.Context()
	stop := time.NewTimer(lasts)
	defer stop.Stop()
	followed, sent := false, ""
	for {
		changed := d.log.Changed()
		snap := d.log.Snapshot(id)
		if followed && !snap.Followed {
			// Another bib now, or forgotten: the browser reconnects with
			// the cookie it holds and gets the truth.
			fmt.Fprint(c.Writer, "event: changed\ndata: {}\n\n")
			c.Writer.Flush()
			return
		}
		followed = snap.Followed
		body, err := json.Marshal(newFeedView(snap))
		if err != nil {
			return
		}
		if string(body) != sent {
			sent = string(body)
			fmt.Fprintf(c.Writer, "data: %s\n\n", body)
			c.Writer.Flush()
		}
		if snap.Ended {
			return
		}
		select {
		case <-changed:
		case <-stop.C:
			return
		case <-ctx.Done():
			return
		}
		// A burst of requests (a page and its files) sends one event.
		select {
		case <-time.After(150 * time.Millisecond):
		case <-ctx.Done():
			return
		}
	}
}
