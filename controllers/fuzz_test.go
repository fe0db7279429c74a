package controllers

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzAccountForm feeds arbitrary values to the registration form's rules
// (the account update's are its details part, the login's a subset): they
// must never panic, and what they accept must be sane (valid UTF-8 without
// control or invisible characters, bounded, a bcrypt-sized password, a
// single plain address).
func FuzzAccountForm(f *testing.F) {
	f.Add("Ada", "Lovelace", "ada@example.com", "Sturdy!Passw0rd")
	f.Add("", "L", "not-an-email", "short")
	f.Add("\xff", "<script>", "\"a b\"@example.com", strings.Repeat("Aa1!", 30))
	f.Add("Ada", "Lovelace", "Ada <ada@example.com>", "ÄÖÜäöü123!!x")
	f.Add("Ada\u202e", "Love\u200blace", "ada\u200b@example.com", "Sturdy!Passw0rd\u2060")
	f.Add("Ada", "Lovelace", "ad\x00a@example.com", "Sturdy!\xffPassw0rd")
	f.Fuzz(func(t *testing.T, first, last, email, password string) {
		form := registerForm{detailsForm: detailsForm{FirstName: strings.TrimSpace(first), LastName: strings.TrimSpace(last),
			Email: normalizeEmail(email)}, password: password}
		errs := form.validate()
		if len(form.detailsForm.validate()) == 0 {
			for _, s := range []string{form.FirstName, form.LastName, form.Email} {
				if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0 {
					t.Fatalf("accepted %q", s)
				}
			}
			if utf8.RuneCountInString(form.LastName) < 2 || len(form.Email) > 254 ||
				strings.ContainsAny(form.Email, "<> ") || strings.Count(form.Email, "@") < 1 {
				t.Fatalf("accepted %+v", form.detailsForm)
			}
			if (len(errs) == 0) != (len((passwordForm{password: password}).validate()) == 0) {
				t.Fatalf("registration and password change disagree on %q", password)
			}
		}
		if len((passwordForm{password: password}).validate()) == 0 {
			if len(password) > 72 || utf8.RuneCountInString(password) < 12 || !utf8.ValidString(password) ||
				strings.IndexFunc(password, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0 {
				t.Fatalf("accepted password %q", password)
			}
		}
		if len((loginForm{Email: normalizeEmail(email)}).validate()) == 0 && strings.ContainsRune(email, 0) {
			t.Fatalf("login would look up %q", email)
		}
	})
}

// FuzzVehicleFields feeds arbitrary text to the price, miles and picture
// rules shared by the add and edit forms.
func FuzzVehicleFields(f *testing.F) {
	f.Add("$28,045", "41,205", "/images/vehicles/wrangler.svg")
	f.Add("-5", "9999999999999", "https://evil.example/x.png")
	f.Add("1e9", "0x10", "/images/vehicles/../../etc/passwd.svg")
	f.Fuzz(func(t *testing.T, price, miles, image string) {
		for _, n := range []string{wholeDollars(price), wholeNumber(miles)} {
			if digits.MatchString(n) && (len(n) > 9 || strings.Trim(n, "0123456789") != "") {
				t.Fatalf("number %q accepted", n)
			}
		}
		if imagePath.MatchString(image) {
			name, ok := strings.CutPrefix(image, "/images/vehicles/")
			if !ok || strings.ContainsAny(name, "/\\\x00") {
				t.Fatalf("picture path %q accepted", image)
			}
		}
	})
}

// FuzzClassificationName feeds arbitrary names to the add-classification
// rule: what it accepts is letters and digits only, at most 30.
func FuzzClassificationName(f *testing.F) {
	f.Add("Electric")
	f.Add("Two Words")
	f.Add("<script>")
	f.Add("Électrique")
	f.Fuzz(func(t *testing.T, name string) {
		if classificationName.MatchString(name) {
			if len(name) > 30 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
				t.Fatalf("accepted %q", name)
			}
		}
	})
}
