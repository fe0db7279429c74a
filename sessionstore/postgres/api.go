package postgres

import (
	"encoding/json"
	"net/http"
	"strconv"

	ginsessions "github.com/gin-contrib/sessions"
	"github.com/gorilla/sessions"
)

// gorilla is implemented by gin-contrib/sessions' session type: it gives
// access to the underlying gorilla session that this store fills.
type gorilla interface{ Session() *sessions.Session }

func underlying(s ginsessions.Session) *sessions.Session {
	if g, ok := s.(gorilla); ok {
		return g.Session()
	}
	return nil
}

// Err reports why the session could not be loaded (wrapping ErrUnavailable),
// or nil. A request whose session failed to load must not be answered as if
// the visitor were anonymous: answer 503 and let them retry.
func Err(s ginsessions.Session) error {
	if gs := underlying(s); gs != nil {
		if st, ok := gs.Values[stateKey{}].(*state); ok && st.status == failed {
			return st.err
		}
	}
	return nil
}

// Rotate gives the session a new ID, keeping its data and its lifetime:
// do it whenever privileges change (a password change, say) so an ID seen
// before cannot ride along. Use Renew at login. The new ID is the
// session's at once (a page can put its CSRF token in a form); at the
// save, the row moves to it with its flash messages. If the old row has
// ended meanwhile, only the values this request set are kept. A session
// without a row gets a new ID when it is first stored anyway.
func Rotate(s ginsessions.Session) {
	if gs := underlying(s); gs != nil {
		if st := stateOf(gs); st.status == loaded {
			st.status, gs.ID = rotating, newID()
		}
	}
}

// Renew is Rotate for a login: the session also starts a new absolute
// lifetime, which a plain rotation keeps.
func Renew(s ginsessions.Session) {
	if gs := underlying(s); gs != nil {
		switch st := stateOf(gs); st.status {
		case loaded:
			st.status, gs.ID = renewing, newID()
		case rotating:
			st.status = renewing
		}
	}
}

// Destroy ends the session now: its values and its waiting flash messages
// are dropped, and at the save its row is deleted and its cookie expired.
// What is stored afterwards (a "logged out" flash) starts a new session
// with a new ID, whose cookie replaces the old one.
func Destroy(s ginsessions.Session) {
	if gs := underlying(s); gs != nil {
		end(gs)
	}
}

func end(s *sessions.Session) {
	st := stateOf(s)
	clearValues(s)
	st.flashes, st.shown = nil, nil
	switch st.status {
	case loaded, rotating, renewing:
		st.status = ending
	}
	if s.Options != nil && s.Options.MaxAge < 0 {
		s.Options.MaxAge = 0 // ended once: what follows is a fresh session
	}
	s.ID, s.IsNew = "", true
}

// Save saves s through its store now, even when gin-contrib/sessions
// thinks it is unchanged (it only tracks Set and Delete). Under Sessions
// there is no need: the session saves itself before the response's first
// byte. It is for handlers served by gin-contrib's own sessions.Sessions.
func Save(s ginsessions.Session, r *http.Request, w http.ResponseWriter) error {
	if gs := underlying(s); gs != nil {
		return gs.Save(r, w)
	}
	return s.Save()
}

// clearValues deletes the app's values from s, keeping the store's state.
func clearValues(s *sessions.Session) {
	for k := range s.Values {
		if _, ok := k.(string); ok {
			delete(s.Values, k)
		}
	}
}

// ID returns the session's ID: the one its row has or, once it holds
// something to store, the one it will be stored under. It is "" for a
// visitor with nothing stored. Treat it like a password: it is the whole
// credential.
func ID(s ginsessions.Session) string {
	gs := underlying(s)
	if gs == nil {
		return ""
	}
	if st := stateOf(gs); gs.ID == "" && st.status == fresh && (len(gs.Values) > 1 || len(st.flashes) > 0) {
		gs.ID = newID() // the state is one of the values
	}
	return gs.ID
}

// Typed access to session values. A value reads the same whether this
// request set it or it was loaded from the row (where JSON has turned
// numbers into json.Number and slices into []any), so callers never
// type-switch on what decoding produced.

// GetString returns the string stored at key, "" when there is none.
func GetString(s ginsessions.Session, key string) string {
	v, _ := s.Get(key).(string)
	return v
}

// GetInt returns the integer stored at key, 0 when there is none.
func GetInt(s ginsessions.Session, key string) int {
	switch n := s.Get(key).(type) {
	case int:
		return n
	case json.Number:
		if i, err := strconv.ParseInt(string(n), 10, 0); err == nil {
			return int(i)
		}
	}
	return 0
}
