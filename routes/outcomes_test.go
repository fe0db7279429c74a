package routes_test

// A save that fails answers by name: the form again (500) with the error
// banner and what was typed, or back to the confirmation; a row gone
// meanwhile is the 404 page; a save that works flashes and redirects.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// breakWrites makes PostgreSQL refuse every write to table, as a full disk
// or a constraint added by hand would: reads still work.
func (a *app) breakWrites(table string) {
	a.t.Helper()
	for _, q := range []string{
		`CREATE OR REPLACE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'writes refused'; END $$`,
		`CREATE TRIGGER refuse_write BEFORE INSERT OR UPDATE OR DELETE ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION refuse_write()`,
	} {
		if _, err := a.db.Exec(q); err != nil {
			a.t.Fatal(err)
		}
	}
}

func TestFailedSavesKeepWhatWasTyped(t *testing.T) {
	a := newApp(t, "development")
	client, staff := a.staffBrowser("Client"), a.staffBrowser("Admin")
	if rec := client.review("1", "4", "Solid and roomy"); rec.Code != http.StatusSeeOther {
		t.Fatalf("first review = %d", rec.Code)
	}
	a.breakWrites("review")
	a.breakWrites("inventory")
	a.breakWrites("classification")

	body := client.review("1", "5", "Kept <i>text</i>").Body.String()
	if !strings.Contains(messages(body), "Sorry, the review could not be saved.") || !strings.Contains(body, "Kept &lt;i&gt;text&lt;/i&gt;</textarea>") ||
		!strings.Contains(body, "Solid and roomy") {
		t.Errorf("a review that could not be saved: banner %q; want the detail page again with the text and the reviews", messages(body))
	}
	client.get("/review/edit/1")
	rec := client.post("/review/update", url.Values{"review_id": {"1"}, "review_rating": {"2"}, "review_text": {"Changed my mind"}})
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "Changed my mind</textarea>") ||
		!strings.Contains(messages(rec.Body.String()), "Sorry, the review could not be updated.") {
		t.Errorf("a review update that could not be saved = %d; want 500 with the form as typed", rec.Code)
	}
	client.get("/review/delete/1")
	rec = client.post("/review/delete", url.Values{"review_id": {"1"}})
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || loc != "/review/delete/1" ||
		!strings.Contains(messages(client.follow(rec).Body.String()), "Sorry, the delete failed.") {
		t.Errorf("a delete that failed = %d to %q; want back to the confirmation with the banner", rec.Code, loc)
	}

	if n := a.count(`SELECT count(*) FROM review`); n != 1 {
		t.Errorf("%d reviews after refused writes; want the first one only", n)
	}

	staff.get("/inv/add-classification")
	rec = staff.post("/inv/add-classification", url.Values{"classification_name": {"Electric"}})
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `value="Electric"`) ||
		!strings.Contains(messages(rec.Body.String()), "Sorry, adding the classification failed.") {
		t.Errorf("a classification that could not be added = %d; want 500 with the name kept", rec.Code)
	}
	staff.get("/inv/edit/1")
	rec = staff.post("/inv/update/", url.Values{"inv_id": {"1"}, "classification_id": {"1"}, "inv_make": {"Jeep"}, "inv_model": {"Renamed"},
		"inv_year": {"2019"}, "inv_description": {"Kept."}, "inv_image": {"/images/vehicles/no-image.svg"},
		"inv_thumbnail": {"/images/vehicles/no-image-tn.svg"}, "inv_price": {"1"}, "inv_miles": {"1"}, "inv_color": {"Blue"}})
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `value="Renamed"`) ||
		!strings.Contains(messages(rec.Body.String()), "Sorry, the insert failed.") {
		t.Errorf("a vehicle update that could not be saved = %d; want 500 with the fields kept", rec.Code)
	}
}

func TestSavingARowGoneMeanwhileIs404(t *testing.T) {
	a := newApp(t, "development")
	client := a.staffBrowser("Client")
	client.review("1", "4", "Solid and roomy")
	client.get("/review/edit/1")
	var id int
	a.db.QueryRow(`SELECT review_id FROM review`).Scan(&id)
	// The author edits in one tab while the row is deleted in another:
	// review() found it, the UPDATE then matches nothing.
	if _, err := a.db.Exec(`CREATE RULE gone AS ON UPDATE TO review DO INSTEAD NOTHING`); err != nil {
		t.Fatal(err)
	}
	rec := client.post("/review/update", url.Values{"review_id": {itoa(id)}, "review_rating": {"2"}, "review_text": {"Changed my mind"}})
	if rec.Code != http.StatusNotFound {
		t.Errorf("updating a review that went meanwhile = %d; want 404", rec.Code)
	}
	if got := a.count(`SELECT count(*) FROM review WHERE review_text = 'Solid and roomy'`); got != 1 {
		t.Error("the review changed")
	}
}
