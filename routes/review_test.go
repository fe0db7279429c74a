package routes_test

// Reviews: written, shown, edited and deleted by their author, deleted by staff, refused when bad, and removed with their vehicle or account.

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// review posts a review of vehicle invID from its detail page.
func (b *browser) review(invID, rating, text string) *httptest.ResponseRecorder {
	b.t.Helper()
	b.get("/inv/detail/" + invID)
	return b.post("/review/add", url.Values{"inv_id": {invID}, "review_rating": {rating}, "review_text": {text}})
}

func TestReviewWrittenShownEditedAndDeletedByItsAuthor(t *testing.T) {
	a := newApp(t, "development")
	visitor := a.browser()
	if body := visitor.get("/inv/detail/5").Body.String(); !strings.Contains(body, "No reviews yet.") ||
		!strings.Contains(flat(body), flat(`<a href="/account/login">Log in</a> to write a review.`)) || strings.Contains(body, `action="/review/add"`) {
		t.Fatal("a visitor's detail page should say there are no reviews and offer to log in, without the form")
	}
	b := a.staffBrowser("Client") // first name "Client", last name "Tester"
	rec := b.review("5", "4", "Climbed every trail I tried.\nThe yellow never gets old.")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inv/detail/5#reviews" {
		t.Fatalf("posting a review = %d to %q; want 303 to the vehicle's reviews", rec.Code, rec.Header().Get("Location"))
	}
	page := b.follow(rec).Body.String()
	if got := messages(page); !strings.Contains(got, "Thank you for reviewing the Jeep Wrangler.") {
		t.Errorf("banner = %q", got)
	}
	for _, want := range []string{"<strong>Client T.</strong>", "4 out of 5", "Climbed every trail I tried.\nThe yellow never gets old."} {
		if !strings.Contains(page, want) {
			t.Errorf("the detail page lacks %q", want)
		}
	}
	// A visitor without a session sees it at once: the page cache was cleared.
	if body := visitor.get("/inv/detail/5").Body.String(); !strings.Contains(body, "Climbed every trail") {
		t.Error("a visitor without a session still sees the page without the review")
	}
	var id string
	if err := a.db.QueryRow(`SELECT review_id::text FROM review`).Scan(&id); err != nil {
		t.Fatalf("the review was not stored: %v", err)
	}

	mine := b.get("/account/reviews").Body.String()
	if !strings.Contains(mine, "2019 Jeep Wrangler") || !strings.Contains(mine, `href="/review/edit/`+id+`"`) {
		t.Fatalf("My Reviews lacks the review or its edit link:\n%s", mine)
	}
	if !strings.Contains(b.get("/account/").Body.String(), `href="/account/reviews"`) {
		t.Error("the account page does not link to My Reviews")
	}

	edit := b.get("/review/edit/" + id)
	if edit.Code != http.StatusOK || !strings.Contains(edit.Body.String(), `<option value="4" selected>`) {
		t.Fatalf("edit page = %d, or the rating is not selected", edit.Code)
	}
	rec = b.post("/review/update", url.Values{"review_id": {id}, "review_rating": {"5"}, "review_text": {"Even better after a year."}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/reviews" {
		t.Fatalf("update = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "Your review of the 2019 Jeep Wrangler was updated.") {
		t.Errorf("banner = %q", got)
	}
	if n := a.count(`SELECT count(*) FROM review WHERE review_rating = 5 AND review_text = 'Even better after a year.'`); n != 1 {
		t.Error("the update was not stored")
	}

	b.get("/review/delete/" + id)
	rec = b.post("/review/delete", url.Values{"review_id": {id}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/reviews" {
		t.Fatalf("delete = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if got := messages(b.follow(rec).Body.String()); !strings.Contains(got, "The review of the 2019 Jeep Wrangler was deleted.") {
		t.Errorf("banner = %q", got)
	}
	if a.count(`SELECT count(*) FROM review`) != 0 {
		t.Error("the review survived its deletion")
	}
	if body := visitor.get("/inv/detail/5").Body.String(); strings.Contains(body, "Even better") {
		t.Error("a visitor without a session still sees the deleted review")
	}
}

func TestBadReviewComesBackWithItsErrorsAndFields(t *testing.T) {
	a := newApp(t, "development")
	b := a.staffBrowser("Client")
	for _, bad := range []struct{ rating, text, want string }{
		{"", "A fine car <b>really</b>", "Please choose a rating from 1 to 5 stars."},
		{"6", "A fine car <b>really</b>", "Please choose a rating from 1 to 5 stars."},
		{"05", "A fine car <b>really</b>", "Please choose a rating from 1 to 5 stars."},
		{"3", "ok", "Please write your review (3 to 2000 characters)."},
		{"3", strings.Repeat("x", 2001), "Please write your review (3 to 2000 characters)."},
	} {
		rec := b.review("1", bad.rating, bad.text)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "<li>"+bad.want+"</li>") {
			t.Errorf("rating %q text %.20q = %d; want 422 listing %q", bad.rating, bad.text, rec.Code, bad.want)
		}
		if !strings.Contains(messages(body), "Sorry, your review could not be posted.") {
			t.Errorf("rating %q: no error banner", bad.rating)
		}
		if bad.text != "ok" && len(bad.text) < 100 && !strings.Contains(body, "A fine car &lt;b&gt;really&lt;/b&gt;</textarea>") {
			t.Errorf("rating %q: the text was not kept (escaped) in the form", bad.rating)
		}
	}
	if rec := b.review("1", "3", "ok"); !strings.Contains(rec.Body.String(), `<option value="3" selected>`) {
		t.Error("the chosen rating was not kept")
	}
	for _, inv := range []string{"999999", "abc", "-1", ""} {
		if rec := b.post("/review/add", url.Values{"inv_id": {inv}, "review_rating": {"5"}, "review_text": {"Lovely"}}); rec.Code != http.StatusNotFound {
			t.Errorf("a review of vehicle %q = %d; want 404", inv, rec.Code)
		}
	}
	if n := a.count(`SELECT count(*) FROM review`); n != 0 {
		t.Errorf("%d bad reviews were stored", n)
	}
}

func TestReviewsAreChangedOnlyByTheirAuthorAndDeletedByStaff(t *testing.T) {
	a := newApp(t, "development")
	author := a.staffBrowser("Client")
	author.review("2", "5", "Holy resale value, Batman.")
	var id string
	if err := a.db.QueryRow(`SELECT review_id::text FROM review`).Scan(&id); err != nil {
		t.Fatalf("the review was not stored: %v", err)
	}

	a.account("Other", "other@example.com", "Client")
	other := a.browser()
	other.login("other@example.com", goodPassword)
	if body := other.get("/inv/detail/2").Body.String(); strings.Contains(body, `href="/review/edit/`+id+`"`) || strings.Contains(body, `href="/review/delete/`+id+`"`) {
		t.Error("another Client sees edit or delete links on someone else's review")
	}
	other.get("/account/") // a page with this session's form token
	for _, try := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/review/edit/" + id, nil},
		{"GET", "/review/delete/" + id, nil},
		{"POST", "/review/update", url.Values{"review_id": {id}, "review_rating": {"1"}, "review_text": {"Hijacked"}}},
		{"POST", "/review/delete", url.Values{"review_id": {id}}},
	} {
		var rec *httptest.ResponseRecorder
		if try.method == "GET" {
			rec = other.get(try.path)
			other.get("/account/")
		} else {
			rec = other.post(try.path, try.form)
		}
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Sorry, you can only change your own reviews.") {
			t.Errorf("another Client: %s %s = %d; want the 403 page", try.method, try.path, rec.Code)
		}
	}
	if n := a.count(`SELECT count(*) FROM review WHERE review_text = 'Holy resale value, Batman.' AND review_rating = 5`); n != 1 {
		t.Fatal("another Client changed or deleted the review")
	}
	for _, p := range []string{"/review/edit/" + id, "/account/reviews"} {
		if rec := a.browser().get(p); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/login" {
			t.Errorf("logged out GET %s = %d; want a redirect to login", p, rec.Code)
		}
	}

	employee := a.staffBrowser("Employee")
	if body := employee.get("/inv/detail/2").Body.String(); strings.Contains(body, `href="/review/edit/`+id+`"`) || !strings.Contains(body, `href="/review/delete/`+id+`"`) {
		t.Error("an Employee should see a delete link and no edit link on a Client's review")
	}
	if rec := employee.get("/review/edit/" + id); rec.Code != http.StatusForbidden {
		t.Errorf("an Employee editing a Client's review = %d; want 403", rec.Code)
	}
	employee.get("/review/delete/" + id)
	rec := employee.post("/review/delete", url.Values{"review_id": {id}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inv/detail/2#reviews" {
		t.Fatalf("an Employee deleting = %d to %q; want 303 to the vehicle", rec.Code, rec.Header().Get("Location"))
	}
	if got := messages(employee.follow(rec).Body.String()); !strings.Contains(got, "The review of the 2007 Batmobile Custom was deleted.") {
		t.Errorf("banner = %q", got)
	}
	if a.count(`SELECT count(*) FROM review`) != 0 {
		t.Error("the Employee's delete did not remove the review")
	}
}

func TestReviewsGoWithTheirVehicleAndAccount(t *testing.T) {
	a := newApp(t, "development")
	b := a.staffBrowser("Client")
	b.review("3", "3", "Nobody noticed me parking it.")
	b.review("4", "2", "Smells a little of dog.")
	b.review("4", "5", "But the dog is included!")
	body := a.browser().get("/inv/detail/4").Body.String()
	if i, j := strings.Index(body, "But the dog"), strings.Index(body, "Smells a little"); i < 0 || j < 0 || i > j {
		t.Error("the detail page should list reviews newest first")
	}
	if _, err := a.db.Exec(`DELETE FROM inventory WHERE inv_id = 3`); err != nil {
		t.Fatal(err)
	}
	if n := a.count(`SELECT count(*) FROM review`); n != 2 {
		t.Errorf("after deleting the vehicle %d reviews remain; want 2", n)
	}
	if _, err := a.db.Exec(`DELETE FROM account WHERE account_email = 'client@example.com'`); err != nil {
		t.Fatal(err)
	}
	if n := a.count(`SELECT count(*) FROM review`); n != 0 {
		t.Errorf("after deleting the account %d reviews remain; want 0", n)
	}
}

// A reviewer who changes their name is shown by the new one at once, also
// to visitors served from the page cache.
func TestReviewerNameChangeShowsAtOnce(t *testing.T) {
	a := newApp(t, "development")
	b := a.staffBrowser("Client")
	b.review("5", "5", "A fine yellow car.")
	visitor := a.browser()
	if body := visitor.get("/inv/detail/5").Body.String(); !strings.Contains(body, "Client T.") {
		t.Fatal("the review does not show its reviewer")
	}
	b.get("/account/update")
	rec := b.post("/account/update", url.Values{"account_firstname": {"Renamed"}, "account_lastname": {"Person"},
		"account_email": {"client@example.com"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("update = %d", rec.Code)
	}
	if body := visitor.get("/inv/detail/5").Body.String(); !strings.Contains(body, "Renamed P.") || strings.Contains(body, "Client T.") {
		t.Error("a visitor without a session still sees the old name")
	}
}

// Browsers count a line break as one character against maxlength and
// send it as \r\n: a review the browser allowed is accepted and stored
// with \n line breaks.
func TestReviewLineBreaksCountAsTheBrowserCounts(t *testing.T) {
	a := newApp(t, "development")
	b := a.staffBrowser("Client")
	text := strings.Repeat("123456789\r\n", 200) // 2,000 characters as the browser counts them
	if rec := b.review("3", "4", text); rec.Code != http.StatusSeeOther {
		t.Fatalf("a review of 2,000 characters with line breaks = %d; want 303", rec.Code)
	}
	if n := a.count(`SELECT count(*) FROM review WHERE review_text NOT LIKE '%' || chr(13) || '%' AND length(review_text) = 1999`); n != 1 {
		t.Error("the review was not stored with \\n line breaks (trimmed)")
	}
}
