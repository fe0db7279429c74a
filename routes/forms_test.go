package routes_test

// Every form refuses what a person cannot type or see (NUL, bytes that are
// not UTF-8, control characters, zero-width and bidirectional characters)
// with a message in the form, never a 500; the login answers it as any
// failed login, without asking the database.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// hidden names the characters each form must refuse, by what they do.
var hidden = []struct{ name, value string }{
	{"NUL byte", "\x00"},
	{"invalid UTF-8", "\xff"},
	{"control character", "\x1b"},
	{"zero-width space", "\u200b"},
	{"zero-width joiner", "\u200d"},
	{"word joiner", "\u2060"},
	{"byte-order mark", "\ufeff"},
	{"right-to-left override", "\u202e"},
	{"left-to-right isolate", "\u2066"},
	{"soft hyphen (a format character)", "\u00ad"},
}

// with returns a copy of form with field set to value.
func with(form url.Values, field, value string) url.Values {
	changed := url.Values{}
	for k, v := range form {
		changed[k] = v
	}
	changed.Set(field, value)
	return changed
}

const unreadableText = "contains an invisible or control character, or bytes that are not text. Please type it again."

func TestLoginWithAnImpossibleEmailIsAFailedLogin(t *testing.T) {
	a := newApp(t, "development")
	a.account("Ada", "ada@example.com", "Client")
	for _, h := range []struct{ name, value string }{{"NUL byte", "\x00"}, {"invalid UTF-8", "\xff"}, {"zero-width space", "\u200b"}} {
		before := len(a.counter.Queries())
		b := a.browser()
		rec := b.login("ada"+h.value+"@example.com", goodPassword)
		body := rec.Body.String()
		if rec.Code != http.StatusUnauthorized || !strings.Contains(messages(body), "Please check your credentials and try again.") ||
			!strings.Contains(body, `action="/account/login"`) {
			t.Errorf("%s in the login email = %d, banner %q; want 401, the credentials message and the form", h.name, rec.Code, messages(body))
		}
		for _, q := range a.counter.Queries()[before:] {
			if strings.Contains(q, "FROM account") {
				t.Errorf("%s: the login asked the database about the email: %s", h.name, q)
			}
		}
	}
	if logs := a.logs.String(); strings.Contains(logs, "invalid byte sequence") || strings.Contains(logs, "level=ERROR") {
		t.Errorf("an impossible email was logged as an error:\n%s", logs)
	}
	// It counts against the limit, as any failed login does.
	b := a.browser()
	var last *http.Response
	for range 11 {
		last = b.login("ada\x00@example.com", goodPassword).Result()
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the 11th NUL-byte login = %d; want 429", last.StatusCode)
	}
}

func TestRegistrationRefusesHiddenCharacters(t *testing.T) {
	a := newApp(t, "development")
	a.account("Existing", "taken@example.com", "Client")
	valid := url.Values{"account_firstname": {"Grace"}, "account_lastname": {"Hopper"},
		"account_email": {"grace@example.com"}, "account_password": {goodPassword}}
	for _, h := range hidden {
		for _, f := range []struct{ field, value, want string }{
			{"account_email", "taken" + h.value + "@example.com", "The email " + unreadableText},
			{"account_firstname", "Gr" + h.value + "ace", "The first name " + unreadableText},
			{"account_lastname", h.value + "Hopper", "The last name " + unreadableText},
			{"account_password", goodPassword + h.value, "The password " + unreadableText},
		} {
			if f.field == "account_password" && h.value == "\ufeff" {
				f.want = "Password does not meet requirements" // JavaScript's \s: the pattern refuses it too
			}
			b := a.browser()
			b.get("/account/register")
			rec := b.post("/account/register", with(valid, f.field, f.value))
			if body := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "<li>"+f.want) {
				t.Errorf("%s in %s = %d; want 422 listing %q", h.name, f.field, rec.Code, f.want)
			}
		}
	}
	if n := a.count(`SELECT count(*) FROM account`); n != 1 {
		t.Errorf("%d accounts; want only the existing one", n)
	}
}

func TestAccountUpdateRefusesHiddenCharacters(t *testing.T) {
	a := newApp(t, "development")
	a.account("Other", "other@example.com", "Client")
	b := a.staffBrowser("Client")
	b.get("/account/update")
	for _, h := range hidden {
		rec := b.post("/account/update", url.Values{"account_firstname": {"Ada" + h.value}, "account_lastname": {"Lovelace"},
			"account_email": {"other" + h.value + "@example.com"}})
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "<li>The email "+unreadableText) ||
			!strings.Contains(body, "<li>The first name "+unreadableText) {
			t.Errorf("%s in the update = %d; want 422 listing the email and the first name", h.name, rec.Code)
		}
		rec = b.post("/account/password", url.Values{"current_password": {goodPassword}, "account_password": {"Another!Passw0rd" + h.value}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Password") {
			t.Errorf("%s in a new password = %d; want 422", h.name, rec.Code)
		}
	}
	if n := a.count(`SELECT count(*) FROM account WHERE account_email = 'client@example.com' AND account_firstname = 'Client'`); n != 1 {
		t.Error("a refused update changed the account")
	}
	if rec := a.browser().login("client@example.com", goodPassword); rec.Code != http.StatusSeeOther {
		t.Error("a refused password change changed the password")
	}
}

func TestReviewAndVehicleFormsRefuseHiddenCharacters(t *testing.T) {
	a := newApp(t, "development")
	client, staff := a.staffBrowser("Client"), a.staffBrowser("Employee")
	staff.get("/inv/add-inventory")
	for _, h := range hidden {
		rec := client.review("1", "4", "Great "+h.value+"car")
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "<li>The review "+unreadableText) {
			t.Errorf("%s in a review = %d; want 422 with the message", h.name, rec.Code)
		}
		form := url.Values{"classification_id": {"1"}, "inv_make": {"Jeep" + h.value}, "inv_model": {"Wrangler"}, "inv_year": {"2020"},
			"inv_description": {"A car."}, "inv_image": {"/images/vehicles/no-image.svg"},
			"inv_thumbnail": {"/images/vehicles/no-image-tn.svg"}, "inv_price": {"1"}, "inv_miles": {"1"}, "inv_color": {"Red" + h.value}}
		rec = staff.post("/inv/add-inventory", form)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "<li>The make "+unreadableText) ||
			!strings.Contains(body, "<li>The color "+unreadableText) {
			t.Errorf("%s in the vehicle form = %d; want 422 listing the make and the color", h.name, rec.Code)
		}
		rec = staff.post("/inv/add-classification", url.Values{"classification_name": {"Sedan" + h.value}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "<li>Please provide a classification name") {
			t.Errorf("%s in a classification name = %d; want 422", h.name, rec.Code)
		}
	}
	if n := a.count(`SELECT count(*) FROM review`) + a.count(`SELECT count(*) FROM inventory WHERE inv_make LIKE 'Jeep_%'`); n != 0 {
		t.Errorf("%d refused rows were stored", n)
	}
	// Line breaks and tabs are text in a textarea.
	if rec := client.review("1", "4", "Great\r\n\tcar"); rec.Code != http.StatusSeeOther {
		t.Errorf("a review with a line break and a tab = %d; want 303", rec.Code)
	}
}
