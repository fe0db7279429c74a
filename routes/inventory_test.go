package routes_test

// The inventory: role guards on management, classifications and vehicles added, edited and deleted, the seeded pages, and the SQL each page costs.

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRoleGuards(t *testing.T) {
	a := newApp(t, "development")
	client := a.staffBrowser("Client")
	employee := a.staffBrowser("Employee")
	admin := a.staffBrowser("Admin")
	paths := []string{"/inv/", "/inv/add-classification", "/inv/add-inventory", "/inv/getInventory/1",
		"/inv/edit/1", "/inv/delete/1"}
	for _, p := range paths {
		if rec := a.browser().get(p); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/login" {
			t.Errorf("logged out GET %s = %d to %q; want a redirect to login", p, rec.Code, rec.Header().Get("Location"))
		}
		rec := client.get(p)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "for CSE Motors employees") ||
			strings.Contains(rec.Body.String(), "Manage Inventory") {
			t.Errorf("Client GET %s = %d; want the 403 page", p, rec.Code)
		}
	}
	if rec := client.post("/inv/add-classification", url.Values{"classification_name": {"ByClient"}}); rec.Code != http.StatusForbidden {
		t.Errorf("Client POST add-classification = %d; want 403", rec.Code)
	}
	if rec := client.get("/inv/"); !strings.Contains(rec.Body.String(), "Welcome Client") {
		t.Error("the 403 page forgets who is logged in")
	}
	for _, b := range []*browser{employee, admin} {
		rec := b.get("/inv/")
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, `href="/inv/add-classification"`) ||
			!strings.Contains(body, `href="/inv/add-inventory"`) || !strings.Contains(body, `id="classificationList"`) {
			t.Errorf("staff GET /inv/ = %d, lacks the management links", rec.Code)
		}
		if acct := b.get("/account/").Body.String(); !strings.Contains(acct, "Inventory Management") {
			t.Error("staff account page lacks Inventory Management")
		}
	}
	if n := a.count(`SELECT count(*) FROM classification WHERE classification_name = 'ByClient'`); n != 0 {
		t.Error("a Client added a classification")
	}
}

func TestAddClassificationShowsInTheNavigation(t *testing.T) {
	a := newApp(t, "development")
	visitor := a.browser()
	visitor.get("/") // caches the navigation
	b := a.staffBrowser("Employee")
	b.get("/inv/add-classification")
	for _, bad := range []struct{ name, want string }{
		{"Two Words", "letters and digits only"}, {"<script>", "letters and digits only"},
		{"suv", "already exists"}, {"", "letters and digits only"},
	} {
		rec := b.post("/inv/add-classification", url.Values{"classification_name": {bad.name}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), bad.want) {
			t.Errorf("classification %q = %d; want 422 with %q", bad.name, rec.Code, bad.want)
		}
	}
	rec := b.post("/inv/add-classification", url.Values{"classification_name": {"Electric"}})
	if rec.Header().Get("Location") != "/inv/" {
		t.Fatalf("add classification = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "The Electric classification was successfully added.") {
		t.Errorf("banner = %q", got)
	}
	body := visitor.get("/").Body.String()
	var nav []string
	for _, m := range navRE.FindAllStringSubmatch(body, -1) {
		nav = append(nav, m[1])
	}
	if got := strings.Join(nav, ","); got != "Custom,Electric,Sedan,Sport,SUV,Truck" {
		t.Errorf("navigation after adding Electric = %s", got)
	}
	id := a.count(`SELECT classification_id FROM classification WHERE classification_name = 'Electric'`)
	page := visitor.get("/inv/type/" + itoa(id))
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Sorry, no matching vehicles could be found.") ||
		!strings.Contains(page.Body.String(), "<h1>Electric Vehicles</h1>") {
		t.Errorf("empty classification page = %d", page.Code)
	}
}

func TestVehicleAddEditDelete(t *testing.T) {
	a := newApp(t, "development")
	b := a.staffBrowser("Admin")
	vehicle := url.Values{"classification_id": {"2"}, "inv_make": {"Tesla"}, "inv_model": {"Roadster"},
		"inv_year": {"2008"}, "inv_description": {"Quick & quiet <b>electric</b> roadster."},
		"inv_image": {"/images/vehicles/no-image.svg"}, "inv_thumbnail": {"/images/vehicles/no-image-tn.svg"},
		"inv_price": {"$98,000"}, "inv_miles": {"12,345"}, "inv_color": {"Red"}}

	b.get("/inv/add-inventory")
	if !strings.Contains(b.last, `<select id="classification_id" name="classification_id" required>`) {
		t.Fatal("add-inventory page lacks the classification select list")
	}
	for field, bad := range map[string]string{"classification_id": "999", "inv_make": "", "inv_year": "20x8",
		"inv_price": "-5", "inv_miles": "lots", "inv_image": "https://evil.example/x.png", "inv_color": "",
		"inv_description": ""} {
		form := url.Values{}
		for k, v := range vehicle {
			form[k] = v
		}
		form.Set(field, bad)
		rec := b.post("/inv/add-inventory", form)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `<div role="alert">`) || !strings.Contains(body, `<ul class="notice">`) ||
			!strings.Contains(messages(body), "could not be added") {
			t.Errorf("%s=%q: %d; want 422 with the errors and a failure banner", field, bad, rec.Code)
		}
		if field != "inv_model" && !strings.Contains(body, `value="Roadster"`) {
			t.Errorf("%s=%q: fields did not stay filled", field, bad)
		}
	}
	visitor := a.browser()
	if strings.Contains(visitor.get("/inv/type/2").Body.String(), "Tesla") {
		t.Fatal("Tesla listed before it was added")
	}
	rec := b.post("/inv/add-inventory", vehicle)
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "The Tesla Roadster was successfully added.") {
		t.Fatalf("add banner = %q", got)
	}
	if !strings.Contains(visitor.get("/inv/type/2").Body.String(), "Tesla Roadster") {
		t.Error("a visitor's cached Sport page does not show the vehicle just added")
	}
	id := a.count(`SELECT inv_id FROM inventory WHERE inv_model = 'Roadster' AND inv_price = 98000 AND inv_miles = 12345`)

	// The JSON list, as the management page's script reads it.
	rec = b.get("/inv/getInventory/2")
	var list []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("getInventory = %d %v", rec.Code, err)
	}
	found := false
	for _, v := range list {
		found = found || v["inv_model"] == "Roadster" && v["inv_id"] == float64(id)
	}
	if !found || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Errorf("getInventory/2 lacks the new vehicle: %s", rec.Body)
	}
	if rec := b.get("/inv/getInventory/abc"); rec.Code != http.StatusBadRequest {
		t.Errorf("getInventory/abc = %d; want 400", rec.Code)
	}
	// Without JavaScript the same list comes from the page itself.
	if page := b.get("/inv/?classification_id=2").Body.String(); !strings.Contains(page, `href="/inv/edit/`+itoa(id)+`"`) {
		t.Error("the no-JS management list lacks the vehicle's Modify link")
	}

	detail := a.browser().get("/inv/detail/" + itoa(id)).Body.String()
	for _, want := range []string{"$98,000", "12,345 miles", "Quick &amp; quiet &lt;b&gt;electric&lt;/b&gt; roadster."} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}

	b.get("/inv/edit/" + itoa(id))
	if !strings.Contains(b.last, `value="Tesla"`) || !strings.Contains(b.last, `<option value="2" selected>`) {
		t.Error("edit page is not filled with the vehicle")
	}
	edit := url.Values{"inv_id": {itoa(id)}}
	for k, v := range vehicle {
		edit[k] = v
	}
	edit.Set("inv_price", "90000")
	rec = b.post("/inv/update/", edit)
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "The Tesla Roadster was successfully updated.") {
		t.Errorf("update banner = %q", got)
	}
	if n := a.count(`SELECT count(*) FROM inventory WHERE inv_id = $1 AND inv_price = 90000`, id); n != 1 {
		t.Error("the update did not reach the row")
	}

	if page := b.get("/inv/delete/" + itoa(id)).Body.String(); !strings.Contains(page, "Confirm deletion") {
		t.Error("delete asks for no confirmation")
	}
	rec = b.post("/inv/delete", url.Values{"inv_id": {itoa(id)}})
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "The Tesla Roadster was successfully deleted.") {
		t.Errorf("delete banner = %q", got)
	}
	if n := a.count(`SELECT count(*) FROM inventory WHERE inv_id = $1`, id); n != 0 {
		t.Error("the vehicle is still there")
	}
	for _, p := range []string{"/inv/detail/" + itoa(id), "/inv/edit/" + itoa(id), "/inv/detail/-1",
		"/inv/detail/01", "/inv/detail/+1", "/inv/type/01",
		"/inv/detail/99999999999999999999", "/inv/type/999"} {
		if rec := b.get(p); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", p, rec.Code)
		}
	}
}

func TestSeededInventoryPages(t *testing.T) {
	a := newApp(t, "development")
	b := a.browser()
	rec := b.get("/inv/type/1")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "<h1>Custom Vehicles</h1>") {
		t.Fatalf("GET /inv/type/1 = %d", rec.Code)
	}
	if n := strings.Count(body, `<span class="price">`); n != 6 {
		t.Errorf("Custom grid shows %d vehicles; want the 6 seeded", n)
	}
	for _, want := range []string{`<a href="/inv/detail/2">Batmobile Custom</a>`, `<span class="price">$65,000</span>`,
		`src="/images/vehicles/batmobile-tn.svg"`, `<span class="price">$700,000</span>`} {
		if !strings.Contains(body, want) {
			t.Errorf("Custom grid lacks %s", want)
		}
	}
	rec = b.get("/inv/detail/1")
	body = rec.Body.String()
	for _, want := range []string{"<h1>2018 Chevy Camaro</h1>", "Price: $25,000", "101,222 miles", "Silver",
		`src="/images/vehicles/camaro.svg"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Camaro detail lacks %q", want)
		}
	}
	if n := a.count(`SELECT count(*) FROM inventory`); n != 15 {
		t.Errorf("%d vehicles seeded; want 15", n)
	}
	if rec := b.get("/images/vehicles/camaro.svg"); rec.Code != http.StatusOK {
		t.Errorf("the Camaro's picture = %d", rec.Code)
	}
}

func TestStatementsPerPage(t *testing.T) {
	a := newApp(t, "development")
	a.browser().get("/") // the navigation cache is warm from here on
	b := a.staffBrowser("Client")
	for _, tc := range []struct {
		path   string
		cookie string
		want   int64
	}{
		{"/", "", 0},
		{"/inv/type/1", "", 1},
		{"/inv/detail/1", "", 2}, // the vehicle, then its reviews
		{"/inv/type/1", "", 0},   // cached for visitors without a session
		{"/inv/detail/1", "", 0},
		{"/", b.cookie, 1},
		{"/inv/type/1", b.cookie, 2}, // the session, then the vehicles
		{"/inv/detail/1", b.cookie, 3},
		{"/account/", b.cookie, 1},
	} {
		n, rec := a.statements(tc.path, tc.cookie)
		if rec.Code != http.StatusOK || n != tc.want {
			t.Errorf("GET %s (session: %v) = %d with %d statements; want 200 with %d", tc.path, tc.cookie != "", rec.Code, n, tc.want)
		}
	}
}
