package routes_test

// Forged form posts are refused: missing, wrong or cross-site CSRF tokens, and the development hint for a form without its token.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCSRFRefusals(t *testing.T) {
	a := newApp(t, "development")
	b := a.staffBrowser("Employee")
	b.get("/inv/add-classification")
	token := csrfRE.FindStringSubmatch(b.last)[1]
	form := func(tok string) url.Values {
		return url.Values{"classification_name": {"Forged"}, "csrf_token": {tok}}
	}
	for name, send := range map[string]func() int{
		"no token": func() int {
			return b.post("/inv/add-classification", url.Values{"classification_name": {"Forged"}, "csrf_token": {""}}).Code
		},
		"forged token": func() int { return b.post("/inv/add-classification", form(strings.Repeat("A", 43))).Code },
		"cross-site": func() int {
			return b.postWith("/inv/add-classification", form(token), "cross-site", "http://evil.example")
		},
		"origin null": func() int { return b.postWith("/inv/add-classification", form(token), "", "null") },
		"look-alike": func() int {
			return b.postWith("/inv/add-classification", form(token), "", "http://example.com.evil.example")
		},
		"logout forged": func() int { return b.postWith("/account/logout", url.Values{}, "cross-site", "http://evil.example") },
	} {
		if code := send(); code != http.StatusForbidden {
			t.Errorf("%s: %d; want 403", name, code)
		}
	}
	if !strings.Contains(b.last, "nothing was changed") {
		t.Error("the refusal page does not say nothing was changed")
	}
	if n := a.count(`SELECT count(*) FROM classification WHERE classification_name = 'Forged'`); n != 0 {
		t.Error("a forged request added a classification")
	}
	if rec := b.get("/account/"); rec.Code != http.StatusOK {
		t.Errorf("a forged logout logged the user out (%d)", rec.Code)
	}
	if code := b.post("/inv/add-classification", form(token)); code.Code != http.StatusSeeOther {
		t.Errorf("the genuine form = %d; want 303", code.Code)
	}
}

func TestFormWithoutTokenHintInDevelopmentOnly(t *testing.T) {
	for env, hint := range map[string]bool{"development": true, "production": false} {
		a := newApp(t, env)
		b := a.staffBrowser("Client")
		rec := b.postWithoutToken("/account/update", url.Values{"account_firstname": {"X"}})
		body := rec.Body.String()
		if rec.Code != http.StatusForbidden || strings.Contains(body, `name="csrf_token" value="{{.CSRF}}"`) != hint {
			t.Errorf("%s: no csrf_token field = %d, hint shown = %v; want 403, %v", env, rec.Code, !hint, hint)
		}
		// A wrong token is not a missing field: no hint anywhere.
		rec = b.post("/account/update", url.Values{"account_firstname": {"X"}, "csrf_token": {"forged"}})
		if rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "Development hint") {
			t.Errorf("%s: a forged token = %d or shows the hint", env, rec.Code)
		}
	}
}
