package routes_test

// What a person sees in headless Chromium (home, flash banner, register, login, logout, staff and client pages), and the session cookie as devtools shows it.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

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
