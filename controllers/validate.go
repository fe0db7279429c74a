package controllers

// Form rules shared by the account forms and the others: what the course's
// express-validator chains check, as plain functions.

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// accountForm is the sticky part of the account forms: never the password.
type accountForm struct {
	FirstName string
	LastName  string
	Email     string
	Errors    []string
}

// PasswordPattern and PasswordRequirements give the templates the rule the
// server applies, so the page and the server cannot drift apart.
func (accountForm) PasswordPattern() string { return PasswordPattern }

// PasswordRequirements: see PasswordPattern.
func (accountForm) PasswordRequirements() string { return PasswordRequirements }

func readAccountForm(c *gin.Context) accountForm {
	return accountForm{
		FirstName: strings.TrimSpace(c.PostForm("account_firstname")),
		LastName:  strings.TrimSpace(c.PostForm("account_lastname")),
		Email:     normalizeEmail(c.PostForm("account_email")),
	}
}

// textarea reads a textarea's value as the browser counted it against
// maxlength: trimmed, each line break one character (browsers send \r\n).
func textarea(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

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

// PasswordPattern is the course's client-side password check, the pattern
// attribute of the registration and password-change fields. The browser
// anchors it and matches it per code point ('v' flag). validatePassword
// applies the same rule on the server, where it counts: the pattern only
// spares a round trip, and a browser without it (or a script) is still
// refused. routes/e2e_test.go checks the two agree in Chromium.
const PasswordPattern = `^(?=.*\d)(?=.*[a-z])(?=.*[A-Z])(?=.*[^a-zA-Z0-9])(?!.*\s).{12,}$`

// PasswordRequirements is the rule in words, shown next to password fields
// (and by public/js/password.js when the pattern refuses a password).
const PasswordRequirements = "At least 12 characters, with at least 1 capital letter, 1 lowercase letter, 1 number and 1 special character, and no spaces."

// validatePassword applies PasswordPattern (Go's regexp has no look-ahead,
// so it is spelled out: ASCII digit, lower and upper case letters, one
// character that is none of those, no white space, 12 code points), plus
// bcrypt's 72-byte limit (a longer password would be silently cut).
func validatePassword(p string) []string {
	var upper, lower, digit, symbol, space bool
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case jsSpace(r):
			space = true
		default:
			symbol = true
		}
	}
	switch {
	case !utf8.ValidString(p) || utf8.RuneCountInString(p) < 12 || !upper || !lower || !digit || !symbol || space:
		return []string{"Password does not meet requirements. " + PasswordRequirements}
	case len(p) > 72:
		return []string{"Password is too long: at most 72 bytes."}
	}
	return nil
}

// jsSpace reports whether JavaScript's \s matches r: Unicode white space
// and the byte-order mark, but not U+0085, which Go counts as space.
func jsSpace(r rune) bool {
	return r == '\uFEFF' || (r != '\u0085' && unicode.IsSpace(r))
}
