package postgres

import (
	"encoding/json"
	"net/http"
	"slices"
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

// Rotate gives the session a new ID at its next save, keeping its data
// and its lifetime and deleting the old row: do it whenever privileges
// change (a password change, say) so an ID seen before cannot ride along.
// Use Renew at login. If the old row has ended meanwhile, only the values
// this request set are kept. A session without a row gets a new ID anyway.
func Rotate(s ginsessions.Session) {
	if gs := underlying(s); gs != nil {
		if st := stateOf(gs); st.status == loaded {
			st.status = rotating
		}
	}
}

// Renew is Rotate for a login: the session also starts a new absolute
// lifetime, which a plain rotation keeps. The new cookie is sent by the
// save that follows (Save, which the app's redirect calls).
func Renew(s ginsessions.Session) {
	if gs := underlying(s); gs != nil {
		if st := stateOf(gs); st.status == loaded || st.status == rotating {
			st.status = renewing
		}
	}
}

// Destroy ends the session now: its values are dropped, and at the next
// save its row is deleted and its cookie expired. Values set after Destroy
// (a "logged out" flash) start a new session with a new ID, whose cookie
// replaces the old one.
func Destroy(s ginsessions.Session) {
	if gs := underlying(s); gs != nil {
		st := stateOf(gs)
		clearValues(gs)
		if st.status == loaded || st.status == renewing {
			st.status = rotating
		}
	}
}

// Save saves s through its store even when gin-contrib/sessions thinks it
// is unchanged (it only tracks Set and Delete), so the store can slide the
// idle timeout and see changes made inside values. The store decides
// whether anything needs writing; call it before writing the response.
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

// ID returns the session's ID, "" while it has no row. Treat it like a
// password: it is the whole credential.
func ID(s ginsessions.Session) string {
	if gs := underlying(s); gs != nil {
		return gs.ID
	}
	return ""
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

// GetQueues returns a copy of the queue value stored at key (a key listed
// in Store.Queues, such as the flash messages), empty when there is none.
func GetQueues(s ginsessions.Session, key string) map[string][]string {
	out := map[string][]string{}
	if q, ok := s.Get(key).(map[string][]string); ok {
		for name, msgs := range q {
			out[name] = slices.Clone(msgs)
		}
	}
	return out
}
