package routes_test

// The session demo's checkpoints (/demo/session and its live feed): each visitor sees their own requests with the SQL they sent, never another's; requests without a bib are only counted; production keeps no request log.

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/checkpoints"
	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/public"
	"github.com/cse-motors/cse-motors/routes"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/views"
)

// feedEvent is one event of /demo/session/feed, as the page's script reads it.
type feedEvent struct {
	Bib         string `json:"bib"`
	Ended       bool   `json:"ended"`
	Checkpoints []struct {
		Method string `json:"method"`
		Path   string `json:"path"`
		Status int    `json:"status"`
		Note   string `json:"note"`
		SQL    []struct {
			Query string `json:"query"`
		} `json:"sql"`
	} `json:"checkpoints"`
	Unnoted checkpoints.Unnoted `json:"unnoted"`
}

// feed opens the live feed with the browser's cookie, reads for a moment
// and returns its first data event and the raw stream.
func (b *browser) feed() (feedEvent, string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	req := httptest.NewRequest(http.MethodGet, "/demo/session/feed", nil).WithContext(ctx)
	rec := b.do(req)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/event-stream" {
		b.t.Fatalf("feed = %d %q; want 200 text/event-stream", rec.Code, rec.Header().Get("Content-Type"))
	}
	raw := rec.Body.String()
	for line := range strings.SplitSeq(raw, "\n") {
		if data, ok := strings.CutPrefix(line, "data: "); ok && data != "{}" {
			var ev feedEvent
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				b.t.Fatalf("feed event %q: %v", data, err)
			}
			return ev, raw
		}
	}
	b.t.Fatalf("the feed sent no event:\n%s", raw)
	return feedEvent{}, raw
}

func TestCheckpointsShowTheVisitorsOwnRequestsWithTheirSQL(t *testing.T) {
	a := newApp(t, "development")
	runner := a.browser()
	runner.get("/demo/session")
	runner.follow(runner.post("/demo/session/flash", url.Values{}))
	id := sid(runner.cookie)

	other := a.browser()
	other.get("/demo/flash")
	other.get("/inv/detail/2") // a path only the other visitor asks for
	other.get("/css/styles.css")

	runner.get("/") // shows the flash: one statement reads the session and takes the message
	ev, raw := runner.feed()
	if ev.Bib != checkpoints.Bib(id) || len(ev.Bib) != 4 {
		t.Errorf("feed bib = %q; want %q, four digits from the session ID", ev.Bib, checkpoints.Bib(id))
	}
	var got []string
	for _, cp := range ev.Checkpoints {
		var sql []string
		for _, s := range cp.SQL {
			sql = append(sql, s.Query)
		}
		got = append(got, cp.Method+" "+cp.Path+" ["+strings.Join(sql, " | ")+"]")
	}
	t.Logf("checkpoints, newest first:\n\t%s", strings.Join(got, "\n\t"))
	if len(ev.Checkpoints) != 3 {
		t.Fatalf("feed lists %d checkpoints; want 3 (POST flash, GET demo page, GET /)", len(ev.Checkpoints))
	}
	home, page, flash := ev.Checkpoints[0], ev.Checkpoints[1], ev.Checkpoints[2]
	if flash.Method != "POST" || flash.Path != "/demo/session/flash" || flash.Status != http.StatusSeeOther ||
		!strings.Contains(flash.Note, "issued bib "+ev.Bib) || len(flash.SQL) != 1 ||
		!strings.Contains(flash.SQL[0].Query, "INSERT INTO session") || !strings.Contains(flash.SQL[0].Query, "INSERT INTO flash") {
		t.Errorf("oldest checkpoint = %+v; want the POST that issued the bib, with its INSERT of the session and the message", flash)
	}
	if page.Path != "/demo/session" || len(page.SQL) < 2 || !strings.Contains(page.SQL[0].Query, "FROM session s WHERE s.sid = $1") ||
		!strings.Contains(page.SQL[1].Query, "jsonb_pretty(sess)") {
		t.Errorf("second checkpoint = %+v; want the demo page, loading the session then reading its row", page)
	}
	if home.Path != "/" || len(home.SQL) != 1 || !strings.Contains(home.SQL[0].Query, "flash_take(s.sid, $3") ||
		!strings.Contains(home.SQL[0].Query, "FROM session s WHERE s.sid = $1") {
		t.Errorf("newest checkpoint = %+v; want GET / with the one statement that read the session and took the flash", home)
	}
	for _, leak := range []string{"/inv/detail/2", id, runner.cookie, sid(other.cookie)} {
		if strings.Contains(raw, leak) {
			t.Errorf("the feed shows %q: another visitor's request or a session ID", leak)
		}
	}
	if ev.Unnoted.Static < 1 || ev.Unnoted.Pages < 1 {
		t.Errorf("unnoted = %+v; want the static file and the cookieless page counted", ev.Unnoted)
	}
	if page := runner.get("/demo/session").Body.String(); strings.Contains(page, "/inv/detail/2") ||
		!strings.Contains(flat(page), flat(`<strong class="cp-request">GET /</strong>`)) {
		t.Error("the demo page does not list the visitor's own checkpoints only")
	}
	if logs := a.logs.String(); strings.Contains(logs, id) {
		t.Error("a session ID reached the log")
	}
}

func TestCheckpointsFollowARotationAndEndWithTheSession(t *testing.T) {
	a := newApp(t, "development")
	b := a.browser()
	b.get("/demo/session")
	b.follow(b.post("/demo/session/flash", url.Values{}))
	before := b.cookie
	b.follow(b.post("/demo/session/rotate", url.Values{}))
	if b.cookie == before {
		t.Fatal("rotate kept the cookie")
	}
	page := b.last
	if bib := checkpoints.Bib(sid(b.cookie)); !strings.Contains(page, `<span class="bib-number" id="bib-number">`+bib+`</span>`) {
		t.Errorf("after rotation the page lacks bib %s from the new ID", bib)
	}
	ev, _ := b.feed()
	if ev.Bib != checkpoints.Bib(sid(b.cookie)) || len(ev.Checkpoints) != 4 {
		t.Fatalf("after rotation the feed has bib %q and %d checkpoints; want %q and 4 (the history follows the runner)",
			ev.Bib, len(ev.Checkpoints), checkpoints.Bib(sid(b.cookie)))
	}
	if rot := ev.Checkpoints[1]; rot.Path != "/demo/session/rotate" || !strings.Contains(rot.Note, "replaced by bib "+ev.Bib) {
		t.Errorf("rotation checkpoint = %+v; want its note naming the new bib", rot)
	}
	// The old cookie, replayed, sees none of it.
	if ev, _ := a.browserWith(before).feed(); ev.Bib != "" || len(ev.Checkpoints) != 0 {
		t.Errorf("the rotated-away cookie's feed shows bib %q and %d checkpoints; want none", ev.Bib, len(ev.Checkpoints))
	}

	// A feed following the session when it is destroyed says so, and ends.
	follower := a.browserWith(b.cookie)
	done := make(chan string)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req := httptest.NewRequest(http.MethodGet, "/demo/session/feed", nil).WithContext(ctx)
		req.AddCookie(&http.Cookie{Name: session.CookieName, Value: follower.cookie})
		rec := httptest.NewRecorder()
		a.router.ServeHTTP(rec, req)
		done <- rec.Body.String()
	}()
	time.Sleep(300 * time.Millisecond)
	gone := b.cookie
	b.post("/demo/session/destroy", url.Values{})
	select {
	case raw := <-done:
		if !strings.Contains(raw, `"ended":true`) || !strings.Contains(raw, "/demo/session/destroy") || !strings.Contains(raw, "withdrawn") {
			t.Errorf("the feed of a destroyed session did not say so:\n%s", raw)
		}
	case <-time.After(8 * time.Second):
		t.Fatal("the feed kept going after its session was destroyed")
	}
	if ev, _ := a.browserWith(gone).feed(); ev.Bib != "" || len(ev.Checkpoints) != 0 {
		t.Errorf("the destroyed session's cookie still sees bib %q and %d checkpoints", ev.Bib, len(ev.Checkpoints))
	}
}

// Production: no demo page, no feed, and no request log in memory, even
// with DEMO_ROUTES=true (the benchmark's setting).
func TestProductionKeepsNoRequestLog(t *testing.T) {
	db, dbURL := dbtest.New(t, &dbtest.Counter{Also: checkpoints.Observe})
	for _, demo := range []bool{false, true} {
		cfg := config.Config{Env: "production", Host: "localhost", Port: "5500", DatabaseURL: dbURL,
			SessionSecret: testSecret, IdleTimeout: time.Hour, Lifetime: 24 * time.Hour, DemoRoutes: demo}
		built, err := routes.NewApp(context.Background(), cfg, db, slog.New(slog.DiscardHandler),
			routes.Files{Views: views.Files, Public: public.Files}, bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		if built.Checkpoints != nil {
			t.Errorf("production (DEMO_ROUTES=%v) keeps a request log", demo)
		}
		a := &app{t: t, db: db, router: built.Router, store: built.Store}
		b := a.browser()
		b.get("/demo/flash")
		paths := []string{"/demo/session/feed"}
		if !demo {
			paths = append(paths, "/demo/session", "/demo/flash")
		}
		for _, p := range paths {
			if rec := b.get(p); rec.Code != http.StatusNotFound {
				t.Errorf("production (DEMO_ROUTES=%v) GET %s = %d; want 404", demo, p, rec.Code)
			}
		}
		if demo {
			if page := b.get("/demo/session").Body.String(); strings.Contains(page, `id="checkpoints"`) {
				t.Error("production's demo page lists checkpoints")
			}
		}
	}
}
