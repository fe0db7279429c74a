package controllers

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalizeEmail trims and lower-cases an email, so the same person cannot
// register twice by changing case.
func normalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// validText checks a required text field: present, valid UTF-8, no control
// characters, at most max characters.
func validText(s string, min, max int) bool {
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || n < min || n > max {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}

// validateDetails applies the course's rules to names and email.
func validateDetails(f accountForm) []string {
	var errs []string
	if !validText(f.FirstName, 1, 50) {
		errs = append(errs, "Please provide a first name.")
	}
	if !validText(f.LastName, 2, 50) {
		errs = append(errs, "Please provide a last name (at least 2 characters).")
	}
	if addr, err := mail.ParseAddress(f.Email); err != nil || addr.Address != f.Email ||
		len(f.Email) > 254 || !strings.Contains(f.Email[strings.LastIndexByte(f.Email, '@')+1:], ".") {
		errs = append(errs, "A valid email is required.")
	}
	return errs
}

// validatePassword applies the course's password rules, plus bcrypt's
// 72-byte limit (a longer password would be silently cut).
func validatePassword(p string) []string {
	var upper, lower, digit, symbol bool
	for _, r := range p {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' ':
			symbol = true
		}
	}
	switch {
	case !utf8.ValidString(p) || utf8.RuneCountInString(p) < 12 || !upper || !lower || !digit || !symbol:
		return []string{"Password does not meet requirements: at least 12 characters, with at least 1 capital letter, 1 number and 1 special character."}
	case len(p) > 72:
		return []string{"Password is too long: at most 72 bytes."}
	}
	return nil
}
