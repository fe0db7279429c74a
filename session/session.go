// Package session is the app's vocabulary for what a visitor's session
// holds: who is logged in, the flash messages waiting to be shown and the
// page to come back to after logging in. It is the only code outside
// sessionstore/ that reads the session's values or calls the store's
// session functions, so handlers say what they mean (session.AccountOf(c),
// session.Flash(c, ...)) instead of naming keys and types of the store.
package session

// CookieName is the session cookie's name, as in the course.
const CookieName = "sessionId"

// AccountIDKey is the session key of the logged-in account's id: the
// store indexes it, and ending an account's sessions (a password change,
// promote) deletes the rows that hold it.
const AccountIDKey = "account_id"

// The other session keys of the login state. What the header and the
// account page show is kept in the session at login, so those pages cost
// no query beyond loading the session.
const (
	keyFirstName   = "account_firstname"
	keyAccountType = "account_type"
	keyReturnTo    = "return_to"
)
