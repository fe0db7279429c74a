package routes_test

// End-to-end tests in headless Chromium against the real router served
// over HTTP, and a real PostgreSQL: what a person sees, and what devtools
// shows of the session cookie. Chromium is required: `make test` installs
// it where it can, and these tests fail (never skip) without it.

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

	"github.com/cse-motors/cse-motors/routes"
)

// chrome is one fresh headless browser pointed at one server.
type chrome struct {
	t    *testing.T
	ctx  context.Context
	base string
}

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
		loc := eval[string](c, "(window.__leaving ? 'old ' : '') + location.pathname + ' ' + document.readyState")
		if loc == path+" complete" {
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
		if ck.Name == routes.SessionCookie {
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
	if js := eval[string](c, "document.cookie"); strings.Contains(js, routes.SessionCookie) {
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

func TestBrowserHomeAndFlashDemo(t *testing.T) {
	a := newApp(t, "development")
	c := newChrome(t, a)
	c.open("/")
	if h1 := eval[string](c, `document.querySelector("main h1").innerText`); h1 != "Welcome to CSE Motors!" {
		c.fail("h1 = %q", h1)
	}
	if nav := eval[string](c, `[...document.querySelectorAll("#main-nav a")].map(a => a.innerText).join(",")`); nav != "Home,Custom,Sedan,Sport,SUV,Truck" {
		c.fail("navigation = %q", nav)
	}
	if c.sessionCookie() != nil {
		c.fail("a first visit to / set a session cookie")
	}
	c.checkLayout(false)

	c.open("/demo/flash") // redirects to /
	if got := eval[string](c, "location.pathname"); got != "/" {
		c.fail("/demo/flash ended at %q; want /", got)
	}
	if got := c.banner(); got != "This is a flash message." {
		c.fail("banner = %q", got)
	}
	c.checkCookie()
	c.checkLayout(true)
	c.run(chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("footer")))
	if got := c.banner(); got != "" {
		c.fail("after a reload the banner still shows %q", got)
	}
}

func TestBrowserRegisterLoginLogout(t *testing.T) {
	a := newApp(t, "development")
	c := newChrome(t, a)
	c.open("/account/register")
	c.fill(map[string]string{"account_firstname": "Ada", "account_lastname": "Lovelace",
		"account_email": "ada@example.com", "account_password": goodPassword})
	c.submit("form.form button[type=submit]", "/account/login")
	if got := c.banner(); got != "Congratulations, you're registered Ada. Please log in." {
		c.fail("login page banner = %q", got)
	}
	c.checkLayout(true)
	before := c.checkCookie()

	// A failed login shows the error banner.
	c.fill(map[string]string{"account_email": "ada@example.com", "account_password": "Wrong!Passw0rd"})
	c.submit("form.form button[type=submit]", "/account/login")
	if got := c.banner(); got != "Please check your credentials and try again." {
		c.fail("failed login banner = %q", got)
	}

	c.fill(map[string]string{"account_email": "ada@example.com", "account_password": goodPassword})
	c.submit("form.form button[type=submit]", "/account/")
	after := c.checkCookie()
	if after.Value == before.Value {
		c.fail("the sessionId cookie did not change at login")
	}
	if got := eval[string](c, `document.querySelector("#tools a").innerText`); got != "Welcome Ada" {
		c.fail("header = %q; want Welcome Ada", got)
	}
	c.checkLayout(false)

	c.submit("form.logout button", "/")
	if got := c.banner(); got != "You have been logged out." {
		c.fail("after logout the banner = %q", got)
	}
	if ck := c.sessionCookie(); ck != nil && ck.Value == after.Value {
		c.fail("the logged-in cookie survived the logout")
	}
	if n := a.count(`SELECT count(*) FROM session WHERE sid = $1`, sid(after.Value)); n != 0 {
		c.fail("the logged-in session row survived the logout")
	}
	c.open("/account/")
	if got := eval[string](c, "location.pathname"); got != "/account/login" {
		c.fail("after logout /account/ ended at %q; want the login page", got)
	}
}

func TestBrowserEmployeeAndClient(t *testing.T) {
	a := newApp(t, "development")
	a.account("Emma", "emma@example.com", "Employee")
	a.account("Carl", "carl@example.com", "Client")

	c := newChrome(t, a)
	c.open("/account/login")
	c.fill(map[string]string{"account_email": "emma@example.com", "account_password": goodPassword})
	c.submit("form.form button[type=submit]", "/account/")
	c.checkCookie()
	c.open("/inv/add-classification")
	c.fill(map[string]string{"classification_name": "Electric"})
	c.submit("form.form button[type=submit]", "/inv/")
	if got := c.banner(); got != "The Electric classification was successfully added." {
		c.fail("banner = %q", got)
	}
	if nav := eval[string](c, `[...document.querySelectorAll("#main-nav a")].map(a => a.innerText).join(",")`); !strings.Contains(nav, "Electric") {
		c.fail("navigation lacks Electric: %q", nav)
	}
	// The management list, loaded by the page's script from the JSON endpoint.
	c.run(chromedp.SetValue(chromedp.CSS("#classificationList"), "1"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("classificationList").dispatchEvent(new Event("change"))`),
		chromedp.WaitVisible(chromedp.CSS("#inventoryDisplay tbody tr")))
	if rows := eval[int](c, `document.querySelectorAll("#inventoryDisplay tbody tr").length`); rows != 6 {
		c.fail("the script's table shows %d Custom vehicles; want 6", rows)
	}
	// A student's own script in the course's style (ids #classificationList
	// and #inventoryDisplay, the JSON's inv_ fields, rows set as HTML) finds
	// everything it expects.
	studentRows, err := chromedp.Run(c.ctx, chromedp.Evaluate[int](`(async () => {
		const classificationList = document.getElementById("classificationList");
		const inventoryDisplay = document.getElementById("inventoryDisplay");
		const data = await (await fetch("/inv/getInventory/" + classificationList.value)).json();
		let html = "<thead><tr><th>Vehicle Name</th><td></td><td></td></tr></thead><tbody>";
		for (const v of data) {
			html += "<tr><td>" + v.inv_make + " " + v.inv_model + "</td><td><a href='/inv/edit/" + v.inv_id + "'>Modify</a></td>" +
				"<td><a href='/inv/delete/" + v.inv_id + "'>Delete</a></td></tr>";
		}
		inventoryDisplay.innerHTML = html + "</tbody>";
		return inventoryDisplay.querySelectorAll("tbody tr").length;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || studentRows != 6 {
		c.fail("a course-style script filled %d rows (%v); want 6", studentRows, err)
	}

	client := newChrome(t, a)
	client.open("/account/login")
	client.fill(map[string]string{"account_email": "carl@example.com", "account_password": goodPassword})
	client.submit("form.form button[type=submit]", "/account/")
	client.open("/inv/")
	if h1 := eval[string](client, `document.querySelector("main h1").innerText`); h1 != "Forbidden" {
		client.fail("a Client at /inv/ sees %q; want the Forbidden page", h1)
	}
	if strings.Contains(eval[string](client, "document.body.innerText"), "Add New Classification") {
		client.fail("a Client sees the management links")
	}
	client.checkLayout(false)
}

func TestBrowserFlashBannerShowsMarkupAsText(t *testing.T) {
	a := newApp(t, "development")
	c := newChrome(t, a)
	payload := `<img src=x onerror="document.title='pwned'">` // 44 characters: a valid first name
	c.open("/account/register")
	c.fill(map[string]string{"account_firstname": payload, "account_lastname": "Tester",
		"account_email": "xss@example.com", "account_password": goodPassword})
	c.submit("form.form button[type=submit]", "/account/login")
	if got := c.banner(); got != "Congratulations, you're registered "+payload+". Please log in." {
		c.fail("banner = %q; want the name shown as text", got)
	}
	if n := eval[int](c, `document.querySelectorAll("#messages img, #messages script").length`); n != 0 {
		c.fail("the banner holds %d injected elements", n)
	}
	if title := eval[string](c, "document.title"); title == "pwned" {
		c.fail("an injected script ran")
	}
}
