package controllers

// The rules every form shares, written once. Each form is a type read from
// the request (newXForm), with one validate method that returns the errors
// to show above its fields; these are what the validate methods call.

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// problems collects the messages a form shows above its fields.
type problems []string

// check adds msg when ok is false.
func (p *problems) check(ok bool, msg string) {
	if !ok {
		*p = append(*p, msg)
	}
}

// unreadable is the message for a field holding what the text rules
// refuse (see plainLine).
func unreadable(field string) string {
	return "The " + field + " contains an invisible or control character, or bytes that are not text. Please type it again."
}

// plainLine reports whether s is text a person typed and can read back:
// valid UTF-8 (a browser never sends anything else, so other bytes are a
// script's, and PostgreSQL refuses them), without NUL or any other control
// character, and without invisible format characters (unicode.Cf: zero-width
// spaces and joiners, the word joiner, the byte-order mark, and the
// bidirectional embeddings, overrides and isolates that make "gpj.exe"
// read "exe.jpg"). Those let one name or email look exactly like another.
// Line and paragraph separators (U+2028, U+2029) are refused too.
func plainLine(s string) bool { return plain(s, false) }

// plainText is plainLine for a textarea: line breaks and tabs are text.
func plainText(s string) bool { return plain(s, true) }

func plain(s string, lines bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case lines && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
			return false
		}
	}
	return true
}

// length reports whether s has from min to max characters (code points,
// as a browser counts them against minlength and maxlength).
func length(s string, min, max int) bool {
	n := utf8.RuneCountInString(s)
	return n >= min && n <= max
}

// textarea reads a textarea's value as the browser counted it against
// maxlength: trimmed, each line break one character (browsers send \r\n).
func textarea(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// normalizeEmail trims and lower-cases an email, so the same person cannot
// register twice by changing case. Bytes that are not UTF-8 are kept as
// sent, for the rules to refuse: lower-casing would turn them silently
// into U+FFFD.
func normalizeEmail(s string) string {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return s
	}
	return strings.ToLower(s)
}

// checkEmail applies the course's "valid email": plain text, one bare
// address (no display name or comment), at most 254 bytes, a dot in the
// domain.
func (p *problems) checkEmail(email string) {
	if !plainLine(email) {
		*p = append(*p, unreadable("email"))
		return
	}
	addr, err := mail.ParseAddress(email)
	p.check(err == nil && addr.Address == email && len(email) <= 254 &&
		strings.Contains(email[strings.LastIndexByte(email, '@')+1:], "."), "A valid email is required.")
}

// PasswordPattern is the course's client-side password check, the pattern
// attribute of the registration and password-change fields. The browser
// anchors it and matches it per code point ('v' flag). checkPassword
// applies the same rule on the server, where it counts: the pattern only
// spares a round trip, and a browser without it (or a script) is still
// refused. routes/e2e_course_test.go checks the two agree in Chromium.
const PasswordPattern = `^(?=.*\d)(?=.*[a-z])(?=.*[A-Z])(?=.*[^a-zA-Z0-9])(?!.*\s).{12,}$`

// PasswordRequirements is the rule in words, shown next to password fields
// (and by public/js/password.js when the pattern refuses a password).
const PasswordRequirements = "At least 12 characters, with at least 1 capital letter, 1 lowercase letter, 1 number and 1 special character, and no spaces."

// checkPassword applies PasswordPattern (Go's regexp has no look-ahead,
// so it is spelled out: ASCII digit, lower and upper case letters, one
// character that is none of those, no white space, 12 code points), plus
// plainLine (an invisible character is a password nobody can type again)
// and bcrypt's 72-byte limit (a longer password would be silently cut).
func (p *problems) checkPassword(password string) {
	var upper, lower, digit, symbol, space bool
	for _, r := range password {
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
	case !plainLine(password) && !space:
		*p = append(*p, unreadable("password"))
	case !utf8.ValidString(password) || utf8.RuneCountInString(password) < 12 || !upper || !lower || !digit || !symbol || space:
		*p = append(*p, "Password does not meet requirements. "+PasswordRequirements)
	case len(password) > 72:
		*p = append(*p, "Password is too long: at most 72 bytes.")
	}
}

// jsSpace reports whether JavaScript's \s matches r: Unicode white space
// and the byte-order mark, but not U+0085, which Go counts as space.
func jsSpace(r rune) bool {
	return r == '\uFEFF' || (r != '\u0085' && unicode.IsSpace(r))
}

// passwordRule gives the templates the rule the server applies, so the
// page and the server cannot drift apart: embedded in the forms with a
// new password.
type passwordRule struct{}

// PasswordPattern is the pattern attribute's value.
func (passwordRule) PasswordPattern() string { return PasswordPattern }

// PasswordRequirements is the hint next to the field.
func (passwordRule) PasswordRequirements() string { return PasswordRequirements }
