package postgres

import (
	"encoding/json"
	"time"

	"github.com/gorilla/sessions"
)

// status is where a session stands between loading and saving. Save is
// one switch over it; Rotate, Renew and Destroy only change it.
type status int

const (
	// fresh: no row. Written, under a new ID, once it holds a value.
	fresh status = iota
	// loaded: its row as read. Rewritten only when a value changed;
	// otherwise at most the idle expiry slides forward.
	loaded
	// rotating: its row moves to a new ID at the next save, same
	// lifetime (Rotate). The new ID is the session's ID at once.
	rotating
	// renewing: rotating, and the new row starts a new lifetime (Renew, at
	// login).
	renewing
	// ending: its row is deleted at the next save, with its waiting
	// flash messages (Destroy). Whatever is stored afterwards starts a
	// new session, as a fresh one does.
	ending
	// failed: it could not be loaded. It is never saved: that would
	// overwrite a session the store could not read.
	failed
)

// stateKey is the private key under which each session carries its
// state; no other package can name it, and Save never stores it.
type stateKey struct{}

// state is what the store remembers of a session between Get and Save.
type state struct {
	status  status
	id      string                     // the row's sid; "" when there is no row
	version string                     // the row's xmin when read: a change detector
	created time.Time                  // start of the absolute lifetime
	expire  time.Time                  // the row's expire column
	orig    map[string]json.RawMessage // each value as loaded, to find what changed
	scalars map[string]any             // the strings and numbers among them, as loaded
	err     error                      // why the session could not be loaded

	ended   bool    // the row ended meanwhile (a logout elsewhere): nothing more is written to it
	flashes []Flash // waiting: taken from the table at load, then queued here
	shown   []Flash // taken by TakeFlashes, for the page being answered
	// hooked: the session is saved by Sessions' hook, which stores the
	// flash messages once the response shows whether they were shown; a
	// Save the handler calls itself then writes the values only.
	hooked bool
}

// meta is the store's own entry in the stored JSON, next to the app's
// values, named "cookie" as express-session names it.
type meta struct {
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"` // the absolute end, as the cookie's Max-Age says
}

const metaKey = "cookie"

// stateOf returns the session's state. gin-contrib's Clear deletes every
// key, the state's too; a session cleared that way ends at its next save,
// as a destroyed one does, and one that failed to load stays failed.
func stateOf(s *sessions.Session) *state {
	if st, ok := s.Values[stateKey{}].(*state); ok {
		return st
	}
	st := &state{}
	switch {
	case !s.IsNew && s.ID != "":
		st.status, st.id = ending, s.ID
		s.ID = ""
	case !s.IsNew:
		// Get marks a session it could not load as not new but without
		// an ID, so the failure outlives a Clear of every value.
		st.status, st.err = failed, ErrUnavailable
	}
	s.Values[stateKey{}] = st
	return st
}
