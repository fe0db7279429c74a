package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
)

// metaKey holds the store's own bookkeeping inside the stored JSON, next to
// the app's values, named as in express-session so the row looks familiar.
const metaKey = "cookie"

// FlashKey is the session key of the flash messages, stored in the
// connect-flash shape {"<type>": ["message", ...]}. The store merges it
// message by message when parallel requests change the same session.
const FlashKey = "flash"

// stateKey is the private key under which each session carries the store's
// view of its row; no other package can name it, and Save never stores it.
type stateKey struct{}

// state is what the store remembers between loading a session and saving it.
type state struct {
	id      string                     // the row's sid; "" when there is no row
	version string                     // the row's xmin when read: a change detector
	created time.Time                  // start of the absolute lifetime
	expire  time.Time                  // the row's expire column
	orig    map[string]json.RawMessage // each value as loaded, to find what changed
	err     error                      // the load failed: the session is unknown, not empty
	rotate  bool                       // give the session a new ID at the next save
	renew   bool                       // ...and start a new lifetime (a login)
}

type meta struct {
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"` // the absolute end, as the cookie's Max-Age says
}

func stateOf(s *sessions.Session) *state {
	if st, ok := s.Values[stateKey{}].(*state); ok {
		return st
	}
	// gin-contrib's Clear deletes every key, ours too: a session cleared of
	// everything gets a new ID when it is saved, like a fresh one.
	st := &state{}
	switch {
	case !s.IsNew && s.ID != "":
		st.id, st.rotate = s.ID, true
	case !s.IsNew:
		// Get marks a session it could not load as not new but without
		// an ID, so the failure outlives a Clear of every value.
		st.err = ErrUnavailable
	}
	s.Values[stateKey{}] = st
	return st
}

// load reads a live session row into s. No row (unknown, expired, destroyed)
// leaves s new and empty: the ID is never reused.
func (st *Store) load(ctx context.Context, s *sessions.Session, id string) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	var (
		raw     []byte
		expire  time.Time
		version string
	)
	err := st.queryRow(ctx,
		`SELECT sess, expire, xmin::text FROM session WHERE sid = $1 AND expire > now()`, id,
	).Scan(&raw, &expire, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	values, m, err := decode(raw)
	if err != nil {
		// A row we cannot read is treated like a missing one; it expires.
		st.logger().Warn("unreadable session row ignored", "sid_hash", IDHash(id), "err", err)
		return nil
	}
	for k, v := range values {
		s.Values[k] = v
	}
	// What the values encode to now is the baseline Save compares with:
	// PostgreSQL's own text for them differs in places (key order, escapes).
	orig, err := encodeValues(s.Values)
	if err != nil {
		return nil
	}
	s.ID, s.IsNew = id, false
	*stateOf(s) = state{id: id, version: version, created: m.Created, expire: expire, orig: orig}
	return nil
}

// Save writes the session if it holds something new, and sends the cookie
// when the browser needs a new one. It is cheap to call on every response:
//   - a new session with no data writes nothing and sends no cookie;
//   - an unchanged session costs nothing, or one expiry refresh a minute;
//   - a changed one costs one UPDATE, merged with any parallel change;
//   - MaxAge < 0 destroys the session: row deleted, cookie expired.
//
// It must be called before the response's headers are written.
func (st *Store) Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	ss := stateOf(s)
	if ss.err != nil {
		return fmt.Errorf("postgres: session not saved, it could not be loaded: %w", ss.err)
	}
	if s.Options != nil && s.Options.MaxAge < 0 {
		return st.destroy(r.Context(), w, s, ss)
	}
	cur, err := encodeValues(s.Values)
	if err != nil {
		return err
	}
	now := time.Now()
	switch {
	case ss.id == "" || ss.rotate:
		switch {
		case len(cur) > 0:
			return st.insert(r.Context(), w, s, ss, cur, now)
		case ss.id != "":
			return st.destroy(r.Context(), w, s, ss) // rotated away with nothing left: ended
		default:
			return nil // nothing stored, nothing written
		}
	case equalValues(cur, ss.orig):
		return st.refresh(r.Context(), ss, now)
	default:
		return st.update(r.Context(), s, ss, cur, now)
	}
}

// errGone reports, inside insert, that the row being rotated had ended.
var errGone = errors.New("postgres: session gone")

// changedOnly keeps the values of cur that differ from orig.
func changedOnly(cur, orig map[string]json.RawMessage) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range cur {
		if o, ok := orig[k]; !ok || !bytes.Equal(o, v) {
			out[k] = v
		}
	}
	return out
}

// expiry is when a session last used now should end: after the idle
// timeout, but never past its absolute lifetime.
func (st *Store) expiry(created, now time.Time) time.Time {
	idle, end := now.Add(st.IdleTimeout), created.Add(st.Lifetime)
	if end.Before(idle) {
		return end
	}
	return idle
}

// insert stores the session under a new ID and sends its cookie. When the
// session is being rotated, the old row goes in the same transaction.
func (st *Store) insert(ctx context.Context, w http.ResponseWriter, s *sessions.Session, ss *state, cur map[string]json.RawMessage, now time.Time) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	id := newID()
	created := now.UTC().Truncate(time.Second)
	if ss.id != "" && !ss.renew && !ss.created.IsZero() {
		created = ss.created // a new ID is not a new lifetime; a login is
	}
	m := meta{Created: created, Expires: created.Add(st.Lifetime)}
	expire := st.expiry(m.Created, now)
	var version string
	const insertRow = `INSERT INTO session (sid, sess, expire) VALUES ($1, $2, $3) RETURNING xmin::text`
	var err error
	if ss.id == "" {
		var body []byte
		if body, err = encodeRow(cur, m); err != nil {
			return err
		}
		err = st.queryRow(ctx, insertRow, id, body, expire).Scan(&version)
	} else {
		err = st.inTx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM session WHERE sid = $1`, ss.id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				// The session ended meanwhile (a logout, a password change
				// elsewhere): what this request loaded must not come back.
				// Only what it set itself goes on, under the new ID.
				cur = changedOnly(cur, ss.orig)
				if len(cur) == 0 {
					return errGone
				}
			}
			body, err := encodeRow(cur, m)
			if err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, insertRow, id, body, expire).Scan(&version)
		})
	}
	if errors.Is(err, errGone) {
		st.logger().Info("session ended by another request; this request's changes dropped", "sid_hash", IDHash(ss.id))
		*ss = state{}
		s.ID, s.IsNew = "", true
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	*ss = state{id: id, version: version, created: m.Created, expire: expire, orig: cur}
	s.ID, s.IsNew = id, false
	http.SetCookie(w, st.cookie(s, id, m.Created, now))
	return nil
}

// refresh slides the idle timeout forward, at most once per refreshEvery.
func (st *Store) refresh(ctx context.Context, ss *state, now time.Time) error {
	expire := st.expiry(ss.created, now)
	if expire.Sub(ss.expire) < refreshEvery {
		return nil
	}
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	var version string
	err := st.queryRow(ctx,
		`UPDATE session SET expire = $2 WHERE sid = $1 AND expire > now() RETURNING xmin::text`,
		ss.id, expire).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil // ended meanwhile (logout elsewhere): nothing to keep alive
	case err != nil:
		return unavailable(err)
	}
	ss.expire, ss.version = expire, version
	return nil
}

// update writes a changed session. The UPDATE only applies if the row is
// still the version this request read; otherwise another request changed
// it meanwhile, and this request's changes are merged into the current row
// under a row lock. If the row is gone (logged out, rotated, expired), the
// changes are dropped: an ended session is never brought back.
func (st *Store) update(ctx context.Context, s *sessions.Session, ss *state, cur map[string]json.RawMessage, now time.Time) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	m := meta{Created: ss.created, Expires: ss.created.Add(st.Lifetime)}
	body, err := encodeRow(cur, m)
	if err != nil {
		return err
	}
	expire := st.expiry(ss.created, now)
	var version string
	err = st.queryRow(ctx,
		`UPDATE session SET sess = $2, expire = $3
		 WHERE sid = $1 AND xmin = $4::text::xid AND expire > now() RETURNING xmin::text`,
		ss.id, body, expire, ss.version).Scan(&version)
	if err == nil {
		ss.version, ss.expire, ss.orig = version, expire, cur
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return unavailable(err)
	}

	var merged map[string]json.RawMessage
	gone := false
	err = st.inTx(ctx, func(tx *sql.Tx) error {
		var raw []byte
		err := tx.QueryRowContext(ctx,
			`SELECT sess FROM session WHERE sid = $1 AND expire > now() FOR UPDATE`, ss.id).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			gone = true
			return nil
		}
		if err != nil {
			return err
		}
		fresh, _, err := splitRow(raw)
		if err != nil {
			return err
		}
		merged = merge(fresh, ss.orig, cur)
		body, err := encodeRow(merged, m)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx,
			`UPDATE session SET sess = $2, expire = $3 WHERE sid = $1 RETURNING xmin::text`,
			ss.id, body, expire).Scan(&version)
	})
	if err != nil {
		return unavailable(err)
	}
	if gone {
		st.logger().Info("session ended by another request; this request's changes dropped", "sid_hash", IDHash(ss.id))
		return nil
	}
	ss.version, ss.expire, ss.orig = version, expire, merged
	// Show the merged data to the rest of this request too.
	for k := range s.Values {
		if _, ok := k.(string); ok {
			delete(s.Values, k)
		}
	}
	for k, v := range merged {
		var val any
		if err := unmarshal(v, &val); err == nil {
			s.Values[k] = val
		}
	}
	return nil
}

// destroy deletes the row and expires the cookie with the attributes it was
// set with; the session object becomes new and empty, so a later Save in
// the same request (say, a "logged out" flash) starts a fresh session.
func (st *Store) destroy(ctx context.Context, w http.ResponseWriter, s *sessions.Session, ss *state) error {
	if ss.id != "" {
		ctx, cancel := st.ctx(ctx)
		defer cancel()
		if _, err := st.db.ExecContext(ctx, `DELETE FROM session WHERE sid = $1`, ss.id); err != nil {
			return unavailable(err)
		}
	}
	opts := st.options
	http.SetCookie(w, &http.Cookie{
		Name: s.Name(), Value: "", Path: opts.Path, Domain: opts.Domain,
		MaxAge: -1, Expires: time.Unix(1, 0),
		Secure: opts.Secure, HttpOnly: opts.HttpOnly, SameSite: opts.SameSite,
	})
	for k := range s.Values {
		delete(s.Values, k)
	}
	*s.Options = st.options
	s.ID, s.IsNew = "", true
	s.Values[stateKey{}] = &state{}
	return nil
}

// cookie builds the session cookie from the session's options. A positive
// MaxAge is capped by the session's remaining lifetime, so the browser
// forgets the cookie no later than the server does.
func (st *Store) cookie(s *sessions.Session, id string, created, now time.Time) *http.Cookie {
	o := s.Options
	c := &http.Cookie{
		Name: s.Name(), Value: st.encodeCookie(s.Name(), id),
		Path: o.Path, Domain: o.Domain, Secure: o.Secure, HttpOnly: o.HttpOnly,
		SameSite: o.SameSite, Partitioned: o.Partitioned,
	}
	if o.MaxAge > 0 {
		left := min(time.Duration(o.MaxAge)*time.Second, created.Add(st.Lifetime).Sub(now))
		c.MaxAge = max(int(left/time.Second), 1)
		c.Expires = now.Add(left).UTC()
	}
	return c
}

func (st *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// --- encoding ---

// encodeValues encodes each app value on its own, so Save can tell which
// keys changed. Keys must be strings: the row is a JSON object. HTML
// characters are not escaped, so an unchanged value encodes to the bytes
// PostgreSQL returned for it (see decode).
func encodeValues(values map[any]any) (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(values))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for k, v := range values {
		if _, ok := k.(stateKey); ok {
			continue
		}
		key, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("postgres: session keys must be strings, got %T", k)
		}
		if key == metaKey {
			return nil, fmt.Errorf("postgres: session key %q is reserved by the store", metaKey)
		}
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("postgres: session value %q: %w", key, err)
		}
		out[key] = bytes.Clone(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}))
	}
	return out, nil
}

func equalValues(a, b map[string]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}

// encodeRow builds the stored JSON: the app's values plus the store's meta.
func encodeRow(values map[string]json.RawMessage, m meta) ([]byte, error) {
	mb, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	row := make(map[string]json.RawMessage, len(values)+1)
	for k, v := range values {
		row[k] = v
	}
	row[metaKey] = mb
	return json.Marshal(row)
}

// splitRow separates a stored row into the app's values and the meta.
func splitRow(raw []byte) (map[string]json.RawMessage, meta, error) {
	var row map[string]json.RawMessage
	var m meta
	if err := json.Unmarshal(raw, &row); err != nil {
		return nil, m, err
	}
	if mb, ok := row[metaKey]; ok {
		if err := json.Unmarshal(mb, &m); err != nil {
			return nil, m, err
		}
		delete(row, metaKey)
	}
	return row, m, nil
}

// decode turns a stored row into session values. Numbers come back as
// json.Number so that integers such as account IDs survive exactly.
// Strings and numbers, nearly every value, are read without a full JSON
// decoder: this runs on every request that carries a session.
func decode(raw []byte) (map[string]any, meta, error) {
	row, m, err := splitRow(raw)
	if err != nil {
		return nil, m, err
	}
	values := make(map[string]any, len(row))
	for k, v := range row {
		d, err := decodeValue(v)
		if err != nil {
			return nil, m, err
		}
		values[k] = d
	}
	return values, m, nil
}

func decodeValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, errors.New("postgres: empty session value")
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case c == '-' || c >= '0' && c <= '9':
		return json.Number(raw), nil
	}
	var v any
	err := unmarshal(raw, &v)
	return v, err
}

func unmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}
