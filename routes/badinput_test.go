package routes_test

// Hostile input is harmless: markup in any echoed field or flash is shown as text, SQL is stored as text, and oversize forms are refused.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// xssPayloads are classic markup injections; none may reach a page as
// markup, whichever field echoes it.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'><svg onload=alert(1)>`,
	`</textarea><script>alert(1)</script>`,
	`</title><script>alert(1)</script>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<iframe srcdoc="<script>alert(1)</script>">`,
	`<<script>script>alert(1)<</script>/script>`,
	`<style>*{display:none}</style>`,
	`<!--<script>alert(1)//-->`,
}

func TestEchoedFieldsNeverRenderMarkup(t *testing.T) {
	a := newApp(t, "development")
	staff := a.staffBrowser("Admin")
	tried, rendered := 0, 0
	check := func(where, payload, body string) {
		tried++
		if strings.Contains(body, payload) {
			rendered++
			t.Errorf("%s rendered %q as markup", where, payload)
		}
	}
	for i, p := range xssPayloads {
		// Sticky registration fields (the password is too short, so the
		// form comes back) and the registration flash with the first name.
		b := a.browser()
		b.get("/account/register")
		body := b.post("/account/register", url.Values{"account_firstname": {p}, "account_lastname": {p},
			"account_email": {p}, "account_password": {"short"}}).Body.String()
		check("register form", p, body)
		rec := b.post("/account/register", url.Values{"account_firstname": {p}, "account_lastname": {"Tester"},
			"account_email": {"x" + itoa(i) + "@example.com"}, "account_password": {goodPassword}})
		check("registration flash", p, b.follow(rec).Body.String())

		// The vehicle form's fields, the detail page and the edit form.
		color := p
		if len(color) > 30 { // the color field's limit
			color = color[:30]
		}
		staff.get("/inv/add-inventory")
		form := url.Values{"classification_id": {"1"}, "inv_make": {p}, "inv_model": {p}, "inv_year": {"2020"},
			"inv_description": {p}, "inv_image": {"/images/vehicles/no-image.svg"},
			"inv_thumbnail": {"/images/vehicles/no-image-tn.svg"}, "inv_price": {"1"}, "inv_miles": {"1"}, "inv_color": {color}}
		rec = staff.post("/inv/add-inventory", form)
		check("add-vehicle flash", p, staff.follow(rec).Body.String())
		var id int
		a.db.QueryRow(`SELECT max(inv_id) FROM inventory`).Scan(&id)
		check("vehicle detail", p, a.browser().get("/inv/detail/"+itoa(id)).Body.String())
		check("vehicle grid", p, a.browser().get("/inv/type/1").Body.String())
		check("edit form", p, staff.get("/inv/edit/"+itoa(id)).Body.String())
		form.Set("inv_year", "bad")
		check("sticky vehicle form", p, staff.post("/inv/add-inventory", form).Body.String())
		// The classification form echoes its field too.
		staff.get("/inv/add-classification")
		check("classification form", p, staff.post("/inv/add-classification", url.Values{"classification_name": {p}}).Body.String())
		// And the JSON list must not turn it into markup either.
		raw := staff.get("/inv/getInventory/1").Body.String()
		check("JSON list", p, raw)
	}
	t.Logf("XSS: %d payload placements tried, %d rendered as markup", tried, rendered)
}

func TestFlashIsEscaped(t *testing.T) {
	a := newApp(t, "development")
	a.router.GET("/test/xss", postgres.Sessions(session.CookieName, a.store, func(c *gin.Context) { c.AbortWithStatus(http.StatusServiceUnavailable) }), func(c *gin.Context) {
		session.Flash(c, `x"><script>alert(1)</script>`, `<script>alert("hi")</script><b>bold</b>`)
		c.Redirect(http.StatusSeeOther, "/")
	})
	c := sessionCookie(a.browser().get("/test/xss"))
	body := a.browserWith(c.Value).get("/").Body.String()
	if strings.Contains(body, "<script>") || strings.Contains(body, "<b>bold") {
		t.Errorf("flash rendered as markup:\n%s", body)
	}
	if !strings.Contains(body, `<ul class="notice">`) ||
		!strings.Contains(body, "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;") {
		t.Errorf("flash not shown escaped under a safe class:\n%s", body)
	}
}

// SQL in any field is stored and shown as the text it is.
func TestSQLPayloadsAreJustText(t *testing.T) {
	a := newApp(t, "development")
	for i, p := range []string{`Robert'); DROP TABLE account;--`, `' OR '1'='1`, `1; DELETE FROM session`, `\'; SELECT pg_sleep(5);--`} {
		b := a.browser()
		b.get("/account/register")
		rec := b.post("/account/register", url.Values{"account_firstname": {p}, "account_lastname": {p},
			"account_email": {"sql" + itoa(i) + "@example.com"}, "account_password": {goodPassword}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("registering %q = %d", p, rec.Code)
		}
		var first string
		a.db.QueryRow(`SELECT account_firstname FROM account WHERE account_email = $1`, "sql"+itoa(i)+"@example.com").Scan(&first)
		if first != p {
			t.Errorf("stored first name %q; want %q verbatim", first, p)
		}
		b.follow(rec) // the login page, with its form token
		login := b.post("/account/login", url.Values{"account_email": {`' OR '1'='1`}, "account_password": {p}})
		if login.Code != http.StatusUnauthorized {
			t.Errorf("SQL in the login form = %d; want 401", login.Code)
		}
	}
	if n := a.count(`SELECT count(*) FROM account`); n != 4 {
		t.Errorf("%d accounts; want the 4 registered", n)
	}
}

func TestOversizeAndUnreadableForms(t *testing.T) {
	a := newApp(t, "development")
	b := a.browser()
	b.get("/account/login")
	rec := b.post("/account/login", url.Values{"account_email": {strings.Repeat("a", 70<<10)}})
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("70 KB login form = %d; want 413", rec.Code)
	}
	rec = b.post("/account/login", url.Values{"account_email": {"%zz"}}) // encoded once more: fine
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("odd but valid form = %d; want 401", rec.Code)
	}
}
