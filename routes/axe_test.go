package routes_test

// Accessibility: axe-core, the engine behind Lighthouse and the axe browser
// extension, run in headless Chromium on every page of the site, as each
// kind of visitor sees it, at desktop and phone widths. Any violation of
// WCAG 2.0/2.1 A and AA or of axe's best practices fails the test.
//
// axe-core is not in the repository: scripts/axe.sh (run by `make test`)
// fetches a pinned release into .cache/axe/axe.min.js. The page's
// Content-Security-Policy (script-src 'self') does not apply to scripts
// evaluated through devtools, so axe is injected that way.

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axePage is one page to check: who visits it ("" for an anonymous
// visitor, or an account type) and its path; for a page that only a form
// submission shows, then takes the browser from path to it and name says
// what it shows. want is text that must be on the page checked, so that a
// redirect elsewhere (to the login form, say) cannot pass for it.
type axePage struct {
	who  string
	path string
	name string
	then func(c *chrome)
	want string
}

// axePages is every page axe checks, one line each, grouped by visitor.
var axePages = []axePage{
	{who: "", path: "/"},
	{who: "", path: "/inv/type/1"},
	{who: "", path: "/inv/detail/1"},
	{who: "", path: "/account/login"},
	{who: "", path: "/account/register"},
	{who: "", path: "/no-such-page", name: "404", want: "lost that page"},
	{who: "", path: "/demo/flash", name: "notice banner", want: "This is a flash message."},
	{who: "", path: "/account/register", name: "form errors", then: registerWithErrors, want: "A valid email is required."},
	{who: "", path: "/account/login", name: "failed login", then: failedLogin, want: "Please check your credentials"},

	{who: "Client", path: "/account/"},
	{who: "Client", path: "/account/update"},
	{who: "Client", path: "/inv/", name: "403", want: "for CSE Motors employees"},
	{who: "Client", path: "/inv/detail/1", name: "review posted", then: postReview, want: "Thank you for reviewing"},
	{who: "Client", path: "/inv/detail/1", name: "review form errors", then: postBadReview, want: "Please choose a rating"},
	{who: "Client", path: "/account/reviews", want: "out of 5"},
	{who: "Client", path: "/review/edit/1", want: "Update Review"},
	{who: "Client", path: "/review/delete/1", want: "Delete Review"},
	{who: "Client", path: "/account/update", name: "form without csrf_token (development hint)", then: postWithoutToken, want: "Development hint"},

	{who: "Employee", path: "/inv/"},
	{who: "Employee", path: "/inv/?classification_id=1", want: "Click to update"},
	{who: "Employee", path: "/inv/detail/1", name: "staff review links", want: `href="/review/delete/1"`},
	{who: "Employee", path: "/inv/add-classification"},
	{who: "Employee", path: "/inv/add-inventory"},
	{who: "Employee", path: "/inv/edit/1"},
	{who: "Employee", path: "/inv/delete/1"},
	{who: "Employee", path: "/inv/add-classification", name: "success banner", then: addClassification, want: "classification was successfully added"},
	{who: "Employee", path: "/inv/add-inventory", name: "error banner and form errors", then: addBadVehicle, want: "Please provide a 4-digit year"},
}

// axeWidths are the viewport widths each page is checked at.
var axeWidths = []int64{1280, 375}

// axeTags are the rule sets axe runs.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]`

// registerWithErrors submits the registration form with an email and a
// password the server refuses; it re-renders the form with the errors.
// The browser's own checks are turned off, as in a browser without them,
// to reach the server's.
func registerWithErrors(c *chrome) {
	c.fill(map[string]string{"account_firstname": "Ada", "account_lastname": "Lovelace",
		"account_email": "ada@localhost", "account_password": "weakpassword"})
	c.run(chromedp.Evaluate[chromedp.Void](`document.querySelector("form.form").noValidate = true`))
	c.submit("form.form button[type=submit]", "/account/register")
}

// failedLogin shows the login form again with its notice banner.
func failedLogin(c *chrome) {
	c.fill(map[string]string{"account_email": "nobody@example.com", "account_password": goodPassword})
	c.submit("form.form button[type=submit]", "/account/login")
}

// addClassification adds one and lands on the management page with the
// success banner.
func addClassification(c *chrome) {
	c.fill(map[string]string{"classification_name": "Electric"})
	c.submit("form.form button[type=submit]", "/inv/")
}

// addBadVehicle submits a vehicle the server refuses: the form comes back
// with the error banner and the list of errors.
func addBadVehicle(c *chrome) {
	c.run(chromedp.SetValue(chromedp.CSS("#classification_id"), "1"))
	c.fill(map[string]string{"inv_make": "Tesla", "inv_model": "Model 3", "inv_year": "1800",
		"inv_description": "A car.", "inv_image": "/nowhere.png", "inv_thumbnail": "/nowhere-tn.png",
		"inv_price": "lots", "inv_miles": "few", "inv_color": "Red"})
	c.run(chromedp.Evaluate[chromedp.Void](`document.querySelector("form.form").noValidate = true`))
	c.submit("form.form button[type=submit]", "/inv/add-inventory")
}

// postReview writes a review on the detail page: it shows with its banner
// and the author's edit and delete links.
func postReview(c *chrome) {
	c.run(chromedp.SetValue(chromedp.CSS("#review_rating"), "4"))
	c.fill(map[string]string{"review_text": "Turns heads at every light."})
	c.submit("#reviews form button[type=submit]", "/inv/detail/1")
}

// postBadReview sends a review without a rating past the browser's checks:
// the form comes back with its errors.
func postBadReview(c *chrome) {
	c.fill(map[string]string{"review_text": "No stars given."})
	c.run(chromedp.Evaluate[chromedp.Void](`document.querySelector("#reviews form").noValidate = true`))
	c.submit("#reviews form button[type=submit]", "/review/add")
}

// postWithoutToken sends the account form with its csrf_token field
// removed, as a student's new form might: the development 403 page says
// what to add.
func postWithoutToken(c *chrome) {
	c.run(chromedp.Evaluate[chromedp.Void](`document.querySelector("main form.form input[name=csrf_token]").remove()`))
	c.submit("main form.form button[type=submit]", "/account/update")
}

// axeFile is where scripts/axe.sh puts axe-core, relative to the project:
// outside air's tmp_dir, which `make dev` deletes when it stops.
var axeFile = filepath.Join(".cache", "axe", "axe.min.js")

// axeSource is axe-core's source, which scripts/axe.sh fetches.
func axeSource(t *testing.T) string {
	t.Helper()
	path, _ := filepath.Abs(filepath.Join("..", axeFile))
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `scripts/axe.sh` (or `make test`), which fetches it into %s", err, path)
	}
	return string(src)
}

// TestAxeOutlivesMakeDev: stopping `make dev` (air, clean_on_exit) deletes
// air's tmp_dir; the downloaded axe-core must not be in it, or the next
// focused test run fails.
func TestAxeOutlivesMakeDev(t *testing.T) {
	conf, err := os.ReadFile(filepath.Join("..", ".air.toml"))
	if err != nil {
		t.Fatal(err)
	}
	tmpDir := ""
	for line := range strings.Lines(string(conf)) {
		if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "tmp_dir" {
			tmpDir = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	if tmpDir == "" {
		t.Fatal(".air.toml sets no tmp_dir; want the folder air wipes named")
	}
	if rel, err := filepath.Rel(filepath.Clean(tmpDir), axeFile); err == nil && !strings.HasPrefix(rel, "..") {
		t.Errorf("axe-core is fetched into %s, inside air's tmp_dir %q, which `make dev` deletes when it stops", axeFile, tmpDir)
	}
	script, err := os.ReadFile(filepath.Join("..", "scripts", "axe.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(script), "dest="+filepath.ToSlash(axeFile)+"\n") {
		t.Errorf("scripts/axe.sh does not fetch into %s, where this test reads it", axeFile)
	}
}

type axeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	URL    string    `json:"helpUrl"`
	Nodes  []axeNode `json:"nodes"`
}

type axeResult struct {
	Version    string         `json:"version"`
	Violations []axeViolation `json:"violations"`
	Incomplete []string       `json:"incomplete"`
	CSP        []string       `json:"csp"` // policy violations while axe ran
}

// axeRun is the script that runs axe on the document and keeps what the
// report needs (a target inside a shadow root or frame is a list).
const axeRun = `(async () => {
	const csp = [];
	const onCSP = e => csp.push(e.violatedDirective + " " + e.blockedURI);
	document.addEventListener("securitypolicyviolation", onCSP);
	try {
		const r = await axe.run(document, {runOnly: {type: "tag", values: ` + axeTags + `}});
		await new Promise(resolve => setTimeout(resolve, 0)); // lets policy reports arrive
		const sel = t => Array.isArray(t) ? t.join(" >>> ") : String(t);
		return {
			version: axe.version,
			violations: r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
				nodes: v.nodes.map(n => ({target: n.target.map(sel), html: n.html, summary: n.failureSummary || ""}))})),
			incomplete: r.incomplete.flatMap(v => v.nodes.map(n => v.id + ": " + n.target.map(sel).join(" ") +
				" (" + [...n.any, ...n.all, ...n.none].map(c => c.message).filter(Boolean).join("; ") + ")")),
			csp,
		};
	} finally {
		document.removeEventListener("securitypolicyviolation", onCSP);
	}
})()`

// axe injects axe-core into the page shown and runs it.
func (c *chrome) axe(src string) axeResult {
	c.t.Helper()
	const loaded = `typeof window.axe?.run === "function"`
	if !eval[bool](c, loaded) {
		c.run(chromedp.Evaluate[chromedp.Void](src))
		if !eval[bool](c, loaded) {
			c.fail("axe-core did not load into the page")
		}
	}
	// Let CSS transitions (hover and focus colours) finish, so colour
	// contrast is measured on the colours that stay.
	deadline := time.Now().Add(5 * time.Second)
	for eval[int](c, `document.getAnimations().filter(a => a.playState === "running").length`) > 0 {
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	r, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		c.fail("axe.run: %v", err)
	}
	if len(r.CSP) > 0 {
		c.fail("running axe broke the Content-Security-Policy: %v", r.CSP)
	}
	return r
}

// axePageName names a page's subtest: its visitor, path and name.
func axePageName(p axePage) string {
	return strings.TrimSpace(cmp.Or(p.who, "anonymous") + " " + p.path + " " + p.name)
}

func TestAxe(t *testing.T) {
	src := axeSource(t)
	a := newApp(t, "development")

	// A browser for each kind of visitor, started at its first page (the
	// table is grouped by visitor: each browser has newChrome's time
	// limit), and logged in through the form as a new account of its type.
	browsers := map[string]*chrome{}
	for _, p := range axePages {
		b := browsers[p.who]
		if b == nil {
			b = newChrome(t, a)
			if p.who != "" {
				email := strings.ToLower(p.who) + "@example.com"
				a.account(p.who, email, p.who)
				b.open("/account/login")
				b.fill(map[string]string{"account_email": email, "account_password": goodPassword})
				b.submit("form.form button[type=submit]", "/account/")
			}
			browsers[p.who] = b
		}
		t.Run(axePageName(p), func(t *testing.T) {
			c := &chrome{t: t, ctx: b.ctx, base: b.base}
			defer c.run(chromedp.EmulateViewport(1280, 900))
			c.open(p.path)
			if p.then != nil {
				p.then(c)
			}
			if p.want != "" && !strings.Contains(eval[string](c, "document.documentElement.outerHTML"), p.want) {
				c.fail("the page at %s does not show %q", eval[string](c, "location.pathname + location.search"), p.want)
			}
			// The same finding at both widths is reported once.
			type finding struct {
				v      axeViolation
				widths []string
			}
			var findings []*finding
			seen := map[string]*finding{}
			for _, w := range axeWidths {
				c.run(chromedp.EmulateViewport(w, 900))
				r := c.axe(src)
				if len(r.Incomplete) > 0 {
					t.Logf("at %dpx axe %s could not decide (check these by hand):\n\t%s", w, r.Version, strings.Join(r.Incomplete, "\n\t"))
				}
				for _, v := range r.Violations {
					key := v.ID
					for _, n := range v.Nodes {
						key += "|" + strings.Join(n.Target, " ")
					}
					if f := seen[key]; f != nil {
						f.widths = append(f.widths, fmt.Sprint(w, "px"))
						continue
					}
					f := &finding{v: v, widths: []string{fmt.Sprint(w, "px")}}
					seen[key] = f
					findings = append(findings, f)
				}
			}
			if len(findings) == 0 {
				return
			}
			var report strings.Builder
			fmt.Fprintf(&report, "axe found %d accessibility violation(s) on %s:", len(findings), p.path)
			for _, f := range findings {
				v := f.v
				fmt.Fprintf(&report, "\n\n  %s (%s) at %s: %s\n    %s", v.ID, v.Impact, strings.Join(f.widths, ", "), v.Help, v.URL)
				for i, n := range v.Nodes {
					if i == 3 {
						fmt.Fprintf(&report, "\n    ... and %d more", len(v.Nodes)-3)
						break
					}
					fmt.Fprintf(&report, "\n    - %s\n      %s", strings.Join(n.Target, " "), axeTruncate(n.HTML, 160))
					if i == 0 && n.Summary != "" {
						fmt.Fprintf(&report, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
					}
				}
			}
			c.fail("%s", report.String())
		})
	}
}

func axeTruncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
