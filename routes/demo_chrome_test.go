package routes_test

// The session demo as an instructor projects it, in headless Chromium: the visitor's own bib, a second tab's request arriving as a checkpoint with its SQL, before and after each button, a destroyed session's page saying so, and axe-core clean in every state at 1280 px and at 200% zoom.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cse-motors/cse-motors/checkpoints"
)

// demoView is what the demo page shows, read from the DOM.
type demoView struct {
	Bib     string   `json:"bib"`
	Status  string   `json:"status"`
	Changes string   `json:"changes"`
	Marked  []string `json:"marked"` // the rows of "What changed" marked changed
	Items   []string `json:"items"`  // checkpoints, newest first: "GET / | SQL; SQL"
}

const readDemo = `(() => ({
	bib: (document.getElementById("bib-number") || {textContent: ""}).textContent.trim(),
	status: (document.getElementById("feed-status") || {textContent: ""}).textContent.trim(),
	changes: document.getElementById("changes").hidden ? "" : document.getElementById("changes").innerText,
	marked: [...document.querySelectorAll("#changes tr.is-changed th")].map(th => th.firstChild.textContent.trim()),
	items: [...document.querySelectorAll("#checkpoints .checkpoint")].map(li =>
		(li.querySelector(".cp-request") || {textContent: ""}).textContent + " | " +
		[...li.querySelectorAll(".cp-sql code")].map(c => c.textContent).join("; ")),
}))()`

func (c *chrome) demo() demoView {
	c.t.Helper()
	return eval[demoView](c, readDemo)
}

// waitDemo polls the page until ok, for at most within, and says how long
// it took.
func (c *chrome) waitDemo(within time.Duration, what string, ok func(demoView) bool) time.Duration {
	c.t.Helper()
	start := time.Now()
	for {
		v := c.demo()
		if ok(v) {
			return time.Since(start)
		}
		if time.Since(start) > within {
			c.fail("after %s the demo page does not show %s: %+v", within, what, v)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tab opens a second tab in the same browser: same cookies, as a student
// opening the home page beside the demo.
func (c *chrome) tab() *chrome {
	c.t.Helper()
	ctx, cancel := chromedp.NewContext(c.ctx)
	c.t.Cleanup(cancel)
	t := &chrome{t: c.t, ctx: ctx, base: c.base}
	t.run(chromedp.EmulateViewport(1280, 900))
	return t
}

// axeClean runs axe-core on the page at 1280 px and at 200% zoom (a
// 1280 px window zoomed to 200% lays the page out in 640 CSS pixels),
// failing on any violation or on a page wider than the window.
func (c *chrome) axeClean(src, state string) {
	c.t.Helper()
	defer c.run(chromedp.EmulateViewport(1280, 900))
	for _, zoom := range []float64{1, 2} {
		c.run(chromedp.EmulateViewport(int64(1280/zoom), int64(900/zoom), chromedp.EmulateScale(zoom)))
		if eval[bool](c, `document.documentElement.scrollWidth > window.innerWidth`) {
			c.fail("%s at %.0f%% zoom: the page is wider than the window", state, zoom*100)
		}
		r := c.axe(src)
		if len(r.Violations) == 0 {
			continue
		}
		var report strings.Builder
		for _, v := range r.Violations {
			fmt.Fprintf(&report, "\n  %s (%s): %s", v.ID, v.Impact, v.Help)
			for _, n := range v.Nodes {
				fmt.Fprintf(&report, "\n    %s %s %s", strings.Join(n.Target, " "), axeTruncate(n.HTML, 120), n.Summary)
			}
		}
		c.fail("%s at %.0f%% zoom: axe found %d violation(s):%s", state, zoom*100, len(r.Violations), report.String())
	}
}

// screenshot keeps the page as the class sees it, in tmp/demo/.
func (c *chrome) screenshot(name string) {
	c.t.Helper()
	png, err := chromedp.Run(c.ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		c.fail("screenshot: %v", err)
	}
	dir, _ := filepath.Abs(filepath.Join("..", "tmp", "demo"))
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

func has(items []string, prefix string, sql ...string) bool {
	for _, it := range items {
		if strings.HasPrefix(it, prefix+" | ") {
			for _, s := range sql {
				if !strings.Contains(it, s) {
					return false
				}
			}
			return true
		}
	}
	return false
}

func TestBrowserSessionDemoRace(t *testing.T) {
	src := axeSource(t)
	a := newApp(t, "development")
	c := newChrome(t, a)

	// A first visit: no cookie, no bib.
	c.open("/demo/session")
	c.waitDemo(5*time.Second, "no bib, and the live feed saying so", func(v demoView) bool {
		return v.Bib == "" && strings.Contains(v.Status, "you have no bib")
	})
	c.axeClean(src, "first visit")

	// Add a flash: a bib from the new ID, and what changed.
	c.submit(`form[action="/demo/session/flash"] button`, "/demo/session")
	id := sid(c.checkCookie().Value)
	c.waitDemo(2*time.Second, "the POST's checkpoint", func(v demoView) bool {
		return has(v.Items, "POST /demo/session/flash", "INSERT INTO session", "INSERT INTO flash")
	})
	got := c.demo()
	if got.Bib != checkpoints.Bib(id) || len(got.Bib) != 4 {
		c.fail("bib = %q; want %q, from the session ID", got.Bib, checkpoints.Bib(id))
	}
	if !strings.Contains(got.Changes, "A session started") || !strings.Contains(strings.Join(got.Marked, ","), "Cookie value") {
		c.fail("what changed after the first flash: %q, marked %v", got.Changes, got.Marked)
	}
	c.axeClean(src, "after adding a flash")

	// The home page in a second tab takes the flash: its checkpoint, with
	// the one statement that loaded the session and took (deleted) the
	// message, arrives on the demo page by itself.
	second := c.tab()
	second.open("/")
	if got := second.banner(); got != "This is a flash message." {
		second.fail("the second tab's banner = %q", got)
	}
	took := c.waitDemo(2*time.Second, "the second tab's GET / with its SQL", func(v demoView) bool {
		return has(v.Items, "GET /", "FROM session s WHERE s.sid = $1", "flash_take(s.sid, $3")
	})
	t.Logf("the second tab's checkpoint appeared %s after its page loaded", took.Round(time.Millisecond))
	c.screenshot("flash-round-trip")
	t.Logf("checkpoints during the flash round trip, newest first:\n\t%s", strings.Join(c.demo().Items, "\n\t"))
	c.axeClean(src, "live checkpoints")

	// Rotate (with a message waiting: a session with nothing left in it
	// ends rather than moving): a new bib from the new ID, the cookie and
	// the ID marked changed. (Reloaded first: "before" is what the page
	// showed, and the second tab has taken the message since.)
	c.open("/demo/session")
	c.submit(`form[action="/demo/session/flash"] button`, "/demo/session")
	if got := c.demo(); !strings.Contains(got.Changes, "Same ID and bib") || strings.Join(got.Marked, ",") != "Flash messages waiting" {
		c.fail("what changed after a second flash: %q, marked %v; want only the waiting count", got.Changes, got.Marked)
	}
	c.submit(`form[action="/demo/session/rotate"] button`, "/demo/session")
	newID := sid(c.checkCookie().Value)
	got = c.demo()
	if newID == id || got.Bib != checkpoints.Bib(newID) {
		c.fail("after rotation: ID changed %v, bib %q; want %q from the new ID", newID != id, got.Bib, checkpoints.Bib(newID))
	}
	if checkpoints.Bib(newID) == checkpoints.Bib(id) {
		t.Logf("the new ID happens to give the same bib (1 in 9000)")
	} else if !strings.Contains(strings.Join(got.Marked, ","), "Bib") {
		c.fail("what changed after rotation does not mark the bib: %v", got.Marked)
	}
	if !strings.Contains(strings.Join(got.Marked, ","), "Session ID") || !strings.Contains(got.Changes, "New ID, same data") {
		c.fail("what changed after rotation: %q, marked %v", got.Changes, got.Marked)
	}
	c.waitDemo(2*time.Second, "the rotation with its UPDATE of the sid", func(v demoView) bool {
		return has(v.Items, "POST /demo/session/rotate", "UPDATE session SET sid = $2")
	})
	c.axeClean(src, "after rotation")

	// Destroyed from the second tab: the first one's page says so.
	second.open("/demo/session")
	second.submit(`form[action="/demo/session/destroy"] button`, "/demo/session")
	c.waitDemo(2*time.Second, "that the session was destroyed", func(v demoView) bool {
		return strings.Contains(v.Status, "This session was destroyed")
	})
	c.axeClean(src, "destroyed from another tab")
	if got := second.demo(); !strings.Contains(got.Changes, "The session was destroyed") || got.Bib != "" {
		second.fail("the destroying tab shows %+v; want the destruction in what changed, and no bib", got)
	}
	second.axeClean(src, "after destroying")
}
