package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gorilla/sessions"
)

// Save writes the session if it holds something new, and sends the cookie
// when the browser needs a new one. Sessions calls it by itself just
// before the response's first byte; a handler never has to. It is cheap:
//   - a fresh session with nothing stored writes nothing and sends no cookie;
//   - an unchanged session costs nothing, or one expiry refresh a minute;
//   - a changed one costs one UPDATE, merged with any parallel change;
//   - a rotated one moves to its new ID, and its new cookie is sent
//     (this is where a login's cookie is set);
//   - a destroyed one (Destroy, or MaxAge < 0) has its row deleted and its
//     cookie expired;
//   - queued flash messages are one INSERT, in the same transaction as
//     the session's own write when there is one.
//
// Under Sessions, a Save the handler calls itself writes the values only;
// the flash messages are stored once the response shows whether the page
// showed them.
func (st *Store) Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	ss := stateOf(s)
	return st.save(r.Context(), w, s, !ss.hooked, true)
}

// save is Save; with final it also stores the flash messages: the waiting
// ones, and when the response did not show them (shown is false) the ones
// TakeFlashes took, in their order.
func (st *Store) save(ctx context.Context, w http.ResponseWriter, s *sessions.Session, final, shown bool) error {
	ss := stateOf(s)
	if ss.status == failed {
		return fmt.Errorf("postgres: session not saved, it could not be loaded: %w", ss.err)
	}
	if s.Options != nil && s.Options.MaxAge < 0 {
		end(s)
	}
	var msgs []Flash
	if final {
		msgs = ss.flashes
		if !shown {
			msgs = append(slices.Clone(ss.shown), ss.flashes...)
		}
	}
	cur, err := encodeValues(s.Values, ss)
	if err != nil {
		return err
	}
	now, from := time.Now(), ss.id
	r := run{st: st}
	write := func(r run) error {
		flashed, err := st.saveValues(ctx, r, w, s, cur, msgs, now)
		if err != nil || flashed || len(msgs) == 0 || ss.id == "" || ss.ended {
			return err // the messages of an ended session go with it
		}
		return st.writeFlashes(ctx, r, ss.id, msgs)
	}
	if len(msgs) > 0 && ss.status != fresh && st.writes(ss, cur, now) {
		err = r.inTx(ctx, write) // the session's write and its messages, or neither
	} else {
		err = write(r)
	}
	if err != nil {
		if back := taken(msgs); len(back) > 0 && from != "" {
			st.retryLater(from, back)
		}
		return err
	}
	if final {
		ss.flashes, ss.shown = nil, nil
	}
	return nil
}

// writes reports whether saveValues will send a statement.
func (st *Store) writes(ss *state, cur map[string]json.RawMessage, now time.Time) bool {
	switch ss.status {
	case loaded:
		return !equalValues(cur, ss.orig) || st.expiry(ss.created, now).Sub(ss.expire) >= st.refreshStep()
	}
	return true
}

// saveValues writes the session row as its status says. msgs are the
// flash messages to store: a session without a row needs one for them,
// and then they go in the statement that inserts it (flashed).
func (st *Store) saveValues(ctx context.Context, r run, w http.ResponseWriter, s *sessions.Session, cur map[string]json.RawMessage, msgs []Flash, now time.Time) (flashed bool, err error) {
	ss := stateOf(s)
	if ss.status == ending {
		if err := st.destroy(ctx, r, w, s, ss); err != nil {
			return false, err
		}
	}
	switch ss.status {
	case fresh:
		if len(cur) == 0 && len(msgs) == 0 {
			return false, nil // nothing stored, nothing written
		}
		return true, st.insert(ctx, r, w, s, ss, cur, msgs, now)
	case rotating, renewing:
		return st.replace(ctx, r, w, s, ss, cur, msgs, now)
	default: // loaded
		if equalValues(cur, ss.orig) {
			return false, st.refresh(ctx, r, ss, now)
		}
		return false, st.update(ctx, r, s, ss, cur, now)
	}
}

// insertRow stores a new session; insertWithFlashes also its first flash
// messages, in the same statement (the foreign key is checked at its end,
// when the session row is there).
const (
	insertRow         = `INSERT INTO session (sid, sess, expire) VALUES ($1, $2, $3) RETURNING xmin::text`
	insertWithFlashes = `WITH s AS (` + insertRow + `),
	f AS (INSERT INTO flash (sid, type, message)
		SELECT $1, f.type, f.message
		FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS f(type, message, n)
		ORDER BY f.n)
	SELECT xmin FROM s`
)

// insert stores a fresh session under its ID (one given by ID, or a new
// one) with msgs, and sends its cookie.
func (st *Store) insert(ctx context.Context, r run, w http.ResponseWriter, s *sessions.Session, ss *state, cur map[string]json.RawMessage, msgs []Flash, now time.Time) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	id, m := s.ID, st.newMeta(now.UTC().Truncate(time.Second))
	if id == "" {
		id = newID()
	}
	body, err := encodeRow(cur, m)
	if err != nil {
		return err
	}
	var version string
	query, args := insertRow, []any{id, body, st.expiry(m.Created, now)}
	if len(msgs) > 0 {
		// A session without a row has only new messages: no IDs.
		query, args = insertWithFlashes, append(args, flashArgs(msgs)[1:]...)
	}
	if err := r.row(ctx, query, args...).Scan(&version); err != nil {
		return unavailable(err)
	}
	st.stored(w, s, ss, id, version, m, cur, now)
	return nil
}

// moveRow gives a session row its new ID in place; the foreign key moves
// its waiting flash messages along.
const moveRow = `UPDATE session SET sid = $2, sess = $3, expire = $4
	WHERE sid = $1 AND expire > now() RETURNING xmin::text`

// replace moves a rotated session to its new ID (s.ID, chosen by Rotate
// or Renew). If the old row has ended meanwhile (a logout or a password
// change elsewhere), what this request loaded must not come back: only
// what it set itself (values, flash messages) goes on, under the new ID.
func (st *Store) replace(ctx context.Context, r run, w http.ResponseWriter, s *sessions.Session, ss *state, cur map[string]json.RawMessage, msgs []Flash, now time.Time) (flashed bool, err error) {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	m := st.newMeta(ss.created) // a new ID is not a new lifetime...
	if ss.status == renewing || ss.created.IsZero() {
		m = st.newMeta(now.UTC().Truncate(time.Second)) // ...a login is
	}
	body, err := encodeRow(cur, m)
	if err != nil {
		return false, err
	}
	var version string
	err = r.row(ctx, moveRow, ss.id, s.ID, body, st.expiry(m.Created, now)).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		st.logger().Info("session ended by another request; only this request's changes kept", "sid_hash", IDHash(ss.id))
		st.rows.drop(ss.id)
		cur = changedOnly(cur, ss.orig)
		id := s.ID
		*ss = state{flashes: ss.flashes, shown: ss.shown, hooked: ss.hooked}
		s.ID, s.IsNew = id, true
		if len(cur) == 0 && len(msgs) == 0 {
			s.ID = ""
			return false, nil
		}
		return true, st.insert(ctx, r, w, s, ss, cur, msgs, now)
	}
	if err != nil {
		return false, unavailable(err)
	}
	st.rows.drop(ss.id)
	st.stored(w, s, ss, s.ID, version, m, cur, now)
	return false, nil
}

// stored records a newly written row in the session and sends its cookie.
func (st *Store) stored(w http.ResponseWriter, s *sessions.Session, ss *state, id, version string, m meta, cur map[string]json.RawMessage, now time.Time) {
	ss.status, ss.id, ss.version, ss.created, ss.expire, ss.orig, ss.scalars =
		loaded, id, version, m.Created, st.expiry(m.Created, now), cur, nil
	st.remember(id, version, m.Created, cur)
	// ss.scalars stays empty: a later Save in this request encodes all.
	s.ID, s.IsNew = id, false
	http.SetCookie(w, st.cookie(s, id, m.Created, now))
}

// destroy deletes the row (its flash messages go with it) and expires the
// cookie with the attributes it was set with; the session becomes fresh,
// so what is stored afterwards (a "logged out" flash) starts a new one.
func (st *Store) destroy(ctx context.Context, r run, w http.ResponseWriter, s *sessions.Session, ss *state) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	if _, err := r.exec(ctx, `DELETE FROM session WHERE sid = $1`, ss.id); err != nil {
		return unavailable(err)
	}
	st.rows.drop(ss.id)
	expired := newCookie(s.Name(), "", &st.options)
	expired.MaxAge, expired.Expires = -1, time.Unix(1, 0)
	http.SetCookie(w, expired)
	*s.Options = st.options
	*ss = state{flashes: ss.flashes, shown: ss.shown, hooked: ss.hooked}
	return nil
}

// newMeta is the store's entry for a session that began at created.
func (st *Store) newMeta(created time.Time) meta {
	return meta{Created: created, Expires: created.Add(st.Lifetime)}
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
