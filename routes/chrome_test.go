package routes_test

// The Chromium driver the browser tests use: a fresh headless browser per test, pointed at the real router served over HTTP.

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/cse-motors/cse-motors/session"
)

// chrome is one fresh headless browser pointed at one server.
type chrome struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// findChromium is the browser to drive. Chromium is required: `make test`
// installs it where it can, and the browser tests fail (never skip)
// without it.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found for the browser tests: install it with `apt-get install -y chromium` (make test does so when run as root)")
	return ""
}

func newChrome(t *testing.T, a *app) *chrome {
	t.Helper()
	srv := httptest.NewServer(a.router)
	t.Cleanup(srv.Close)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(findChromium(t)),
		chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	// Generous: under make test's parallel packages and -race a page can
	// take seconds, and TestAxe walks many pages in one browser.
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	c := &chrome{t: t, ctx: ctx, base: srv.URL}
	c.run(chromedp.EmulateViewport(1280, 900))
	return c
}

// fail saves a screenshot and the page's HTML, says where, and stops.
func (c *chrome) fail(format string, args ...any) {
	c.t.Helper()
	dir, _ := filepath.Abs(filepath.Join("..", "tmp", "e2e", strings.ReplaceAll(c.t.Name(), "/", "_")))
	os.MkdirAll(dir, 0o755)
	var png []byte
	var html string
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Steps(
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			var err error
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(90))
			return err
		}),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			var err error
			html, err = chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
			return err
		}),
	)); err == nil {
		os.WriteFile(filepath.Join(dir, "page.jpg"), png, 0o644)
		os.WriteFile(filepath.Join(dir, "page.html"), []byte(html), 0o644)
		c.t.Logf("screenshot and HTML saved in %s", dir)
	}
	c.t.Fatalf(format, args...)
}

func (c *chrome) run(steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	if err := chromedp.Do(c.ctx, steps...); err != nil {
		c.fail("browser: %v", err)
	}
}

func eval[T any](c *chrome, js string) T {
	c.t.Helper()
	v, err := chromedp.Run(c.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		c.fail("evaluate %s: %v", js, err)
	}
	return v
}

func (c *chrome) open(path string) {
	c.t.Helper()
	c.run(chromedp.Navigate(c.base+path), chromedp.WaitReady(chromedp.CSS("footer")))
}

// fill sets form fields by id.
func (c *chrome) fill(fields map[string]string) {
	c.t.Helper()
	for id, v := range fields {
		c.run(chromedp.SetValue(chromedp.CSS("#"+id), v))
	}
}

// submit clicks the button and waits for the browser to arrive at path.
func (c *chrome) submit(button, path string) {
	c.t.Helper()
	// Mark this document, so the wait below sees the next one even when
	// it has the same path (a failed login comes back to the login page).
	c.run(chromedp.Evaluate[chromedp.Void](`window.__leaving = true`))
	c.run(chromedp.Click(chromedp.CSS(button)))
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		// While the next document replaces this one, an evaluation can
		// fail ("Inspected target navigated or closed"): ask again.
		loc, err := chromedp.Run(c.ctx, chromedp.Evaluate[string]("(window.__leaving ? 'old ' : '') + location.pathname + ' ' + document.readyState"))
		if err == nil && loc == path+" complete" {
			c.run(chromedp.WaitReady(chromedp.CSS("footer")))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.fail("after clicking %s the browser is at %q; want %s", button, eval[string](c, "location.pathname"), path)
}

// banner is the text of the flash messages block, "" when there is none.
func (c *chrome) banner() string {
	return eval[string](c, `(document.getElementById("messages") || {innerText: ""}).innerText.trim()`)
}

// sessionCookie is the sessionId cookie as devtools lists it, or nil.
func (c *chrome) sessionCookie() *network.Cookie {
	c.t.Helper()
	res, err := chromedp.Call(c.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{c.base}})
	if err != nil {
		c.fail("Network.getCookies: %v", err)
	}
	for _, ck := range res.Cookies {
		if ck.Name == session.CookieName {
			return ck
		}
	}
	return nil
}

// checkCookie checks what devtools shows: HttpOnly, SameSite=Lax, and
// invisible to page scripts.
func (c *chrome) checkCookie() *network.Cookie {
	c.t.Helper()
	ck := c.sessionCookie()
	if ck == nil {
		c.fail("no sessionId cookie in the browser")
	}
	if !ck.HTTPOnly || ck.SameSite != network.CookieSameSiteLax || ck.Path != "/" {
		c.fail("sessionId cookie: HttpOnly %v, SameSite %q, Path %q; want true, Lax, /", ck.HTTPOnly, ck.SameSite, ck.Path)
	}
	if js := eval[string](c, "document.cookie"); strings.Contains(js, session.CookieName) {
		c.fail("document.cookie shows the session cookie: %q", js)
	}
	return ck
}

type layout struct {
	Overflow    bool    `json:"overflow"`
	H1Bottom    float64 `json:"h1Bottom"`
	HasMessages bool    `json:"hasMessages"`
	MsgTop      float64 `json:"msgTop"`
	MsgBottom   float64 `json:"msgBottom"`
	Height      float64 `json:"height"`
}

// checkLayout checks at phone and desktop widths that nothing overflows
// sideways and that the banner, if any, sits under the h1 in view.
func (c *chrome) checkLayout(wantBanner bool) {
	c.t.Helper()
	for _, w := range []int64{375, 1280} {
		c.run(chromedp.EmulateViewport(w, 800))
		l := eval[layout](c, `(() => {
			const h1 = document.querySelector("main h1").getBoundingClientRect();
			const m = document.getElementById("messages");
			const r = m ? m.getBoundingClientRect() : {top: 0, bottom: 0};
			return {overflow: document.documentElement.scrollWidth > window.innerWidth,
				h1Bottom: h1.bottom, hasMessages: !!m, msgTop: r.top, msgBottom: r.bottom, height: window.innerHeight};
		})()`)
		if l.Overflow {
			c.fail("at %dpx the page overflows horizontally", w)
		}
		if wantBanner && (!l.HasMessages || l.MsgTop < l.H1Bottom || l.MsgBottom > l.Height) {
			c.fail("at %dpx the banner is not visible under the h1: %+v", w, l)
		}
	}
	c.run(chromedp.EmulateViewport(1280, 900))
}
