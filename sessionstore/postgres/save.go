package postgres

import (
	"bytes"
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
// when the browser needs a new one. It is cheap to call on every response:
//   - a fresh session with no data writes nothing and sends no cookie;
//   - an unchanged session costs nothing, or one expiry refresh a minute;
//   - a changed one costs one UPDATE, merged with any parallel change;
//   - a rotated one is replaced under a new ID, and its new cookie sent
//     (this is where a login's cookie is set);
//   - MaxAge < 0 destroys the session: row deleted, cookie expired.
//
// It must be called before the response's headers are written.
func (st *Store) Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	ss := stateOf(s)
	if ss.status == failed {
		return fmt.Errorf("postgres: session not saved, it could not be loaded: %w", ss.err)
	}
	ctx := r.Context()
	if s.Options != nil && s.Options.MaxAge < 0 {
		return st.destroy(ctx, w, s, ss)
	}
	cur, err := encodeValues(s.Values, ss)
	if err != nil {
		return err
	}
	now := time.Now()
	switch ss.status {
	case fresh:
		if len(cur) == 0 {
			return nil // nothing stored, nothing written
		}
		return st.insert(ctx, w, s, ss, cur, now)
	case rotating, renewing:
		if len(cur) == 0 {
			return st.destroy(ctx, w, s, ss) // rotated away with nothing left: ended
		}
		return st.replace(ctx, w, s, ss, cur, now)
	default: // loaded
		if equalValues(cur, ss.orig) {
			return st.refresh(ctx, ss, now)
		}
		return st.update(ctx, s, ss, cur, now)
	}
}

const insertRow = `INSERT INTO session (sid, sess, expire) VALUES ($1, $2, $3) RETURNING xmin::text`

// insert stores a fresh session under a new ID and sends its cookie.
func (st *Store) insert(ctx context.Context, w http.ResponseWriter, s *sessions.Session, ss *state, cur map[string]json.RawMessage, now time.Time) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	id, m := newID(), st.newMeta(now.UTC().Truncate(time.Second))
	body, err := encodeRow(cur, m)
	if err != nil {
		return err
	}
	var version string
	if err := st.queryRow(ctx, insertRow, id, body, st.expiry(m.Created, now)).Scan(&version); err != nil {
		return unavailable(err)
	}
	st.stored(w, s, ss, id, version, m, cur, now)
	return nil
}

// replace moves a rotated session to a new ID: the old row is deleted and
// the new one inserted in one transaction. If the old row has ended
// meanwhile (a logout or a password change elsewhere), what this request
// loaded must not come back: only what it set itself goes on.
func (st *Store) replace(ctx context.Context, w http.ResponseWriter, s *sessions.Session, ss *state, cur map[string]json.RawMessage, now time.Time) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	id, m := newID(), st.newMeta(ss.created) // a new ID is not a new lifetime...
	if ss.status == renewing || ss.created.IsZero() {
		m = st.newMeta(now.UTC().Truncate(time.Second)) // ...a login is
	}
	var version string
	err := st.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM session WHERE sid = $1`, ss.id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if cur = changedOnly(cur, ss.orig); len(cur) == 0 {
				return errGone
			}
		}
		body, err := encodeRow(cur, m)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, insertRow, id, body, st.expiry(m.Created, now)).Scan(&version)
	})
	if errors.Is(err, errGone) {
		st.logger().Info("session ended by another request; this request's changes dropped", "sid_hash", IDHash(ss.id))
		*ss = state{}
		s.ID, s.IsNew = "", true
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	st.rows.drop(ss.id)
	st.stored(w, s, ss, id, version, m, cur, now)
	return nil
}

// errGone reports, inside a transaction, that the session's row had ended.
var errGone = errors.New("postgres: session gone")

// stored records a newly written row in the session and sends its cookie.
func (st *Store) stored(w http.ResponseWriter, s *sessions.Session, ss *state, id, version string, m meta, cur map[string]json.RawMessage, now time.Time) {
	*ss = state{status: loaded, id: id, version: version, created: m.Created, expire: st.expiry(m.Created, now), orig: cur}
	st.remember(id, version, m.Created, cur)
	// ss.scalars stays empty: a later Save in this request encodes all.
	s.ID, s.IsNew = id, false
	http.SetCookie(w, st.cookie(s, id, m.Created, now))
}

// refresh slides the idle timeout forward, at most once per refreshEvery.
func (st *Store) refresh(ctx context.Context, ss *state, now time.Time) error {
	expire := st.expiry(ss.created, now)
	if expire.Sub(ss.expire) < st.refreshStep() {
		return nil
	}
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	var version string
	err := st.queryRow(ctx, st.write(refreshRow, true), ss.id, expire).Scan(&version)
	// Whatever the outcome, the kept row goes: the refresh does not check
	// the version it read, so another request may have changed sess
	// meanwhile, and the new version holds that change, not ss.orig.
	st.rows.drop(ss.id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil // ended meanwhile (logout elsewhere): nothing to keep alive
	case err != nil:
		return unavailable(err)
	}
	ss.expire, ss.version = expire, version
	return nil
}

// update writes a changed session, if its row is still the version this
// request read. Otherwise another request changed it meanwhile, and
// mergeUpdate merges the two (see merge.go).
func (st *Store) update(ctx context.Context, s *sessions.Session, ss *state, cur map[string]json.RawMessage, now time.Time) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	m, expire := st.newMeta(ss.created), st.slide(ss, now)
	body, err := encodeRow(cur, m)
	if err != nil {
		return err
	}
	var version string
	err = st.queryRow(ctx, st.write(updateRow, st.onlyQueues(cur, ss.orig)), ss.id, body, expire, ss.version).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return st.mergeUpdate(ctx, s, ss, cur, m, expire)
	case err != nil:
		return unavailable(err)
	}
	ss.version, ss.expire, ss.orig = version, expire, cur
	ss.scalars = nil // orig is now cur: encode all at a later Save
	st.remember(ss.id, version, ss.created, cur)
	return nil
}

// slide returns the expiry a write stores: the row's own while the new one
// would be less than refreshStep later, as refresh does for unchanged
// sessions. An unchanged expire leaves the row's indexes alone, so
// PostgreSQL can update the row in place (a HOT update: no new index
// entries, less WAL), which is most of the cost of a flash message.
func (st *Store) slide(ss *state, now time.Time) time.Time {
	if expire := st.expiry(ss.created, now); expire.Sub(ss.expire) >= st.refreshStep() {
		return expire
	}
	return ss.expire
}

// refreshStep is how far the idle expiry must have moved before a request
// writes it: refreshEvery, or a quarter of a short idle timeout, so that a
// session in use never expires.
func (st *Store) refreshStep() time.Duration {
	return min(refreshEvery, st.IdleTimeout/4)
}

// The two writes that may commit asynchronously (see Store.AsyncCommit),
// each also with asyncFrom, built once: write runs on every session write.
const (
	refreshSet   = `UPDATE session SET expire = $2`
	refreshWhere = ` WHERE sid = $1 AND expire > now() RETURNING session.xmin::text`
	refreshRow   = refreshSet + refreshWhere
	refreshAsync = refreshSet + asyncFrom + refreshWhere
	updateSet    = `UPDATE session SET sess = $2, expire = $3`
	updateWhere  = `
		 WHERE sid = $1 AND xmin = $4::text::xid AND expire > now() RETURNING session.xmin::text`
	updateRow   = updateSet + updateWhere
	updateAsync = updateSet + asyncFrom + updateWhere
	// asyncFrom turns synchronous_commit off for the statement's own
	// transaction, in the same round trip: the one-row subquery is
	// evaluated before the update, and the setting is local to it.
	asyncFrom = ` FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async`
)

// write returns query (refreshRow or updateRow), or its asynchronously
// committing twin when the store allows it and the write may (mayAsync).
func (st *Store) write(query string, mayAsync bool) string {
	if !st.AsyncCommit || !mayAsync {
		return query
	}
	switch query {
	case refreshRow:
		return refreshAsync
	case updateRow:
		return updateAsync
	}
	return query
}

// onlyQueues reports whether every value that differs between cur and
// orig is a queue (Store.Queues): a write that only moves flash messages.
func (st *Store) onlyQueues(cur, orig map[string]json.RawMessage) bool {
	for k, v := range cur {
		if o, ok := orig[k]; (!ok || !bytes.Equal(o, v)) && !slices.Contains(st.Queues, k) {
			return false
		}
	}
	for k := range orig {
		if _, ok := cur[k]; !ok && !slices.Contains(st.Queues, k) {
			return false
		}
	}
	return true
}

// destroy deletes the row and expires the cookie with the attributes it was
// set with; the session object becomes fresh and empty, so a later Save in
// the same request (say, a "logged out" flash) starts a new session.
func (st *Store) destroy(ctx context.Context, w http.ResponseWriter, s *sessions.Session, ss *state) error {
	if ss.id != "" {
		ctx, cancel := st.ctx(ctx)
		defer cancel()
		if _, err := st.db.ExecContext(ctx, `DELETE FROM session WHERE sid = $1`, ss.id); err != nil {
			return unavailable(err)
		}
		st.rows.drop(ss.id)
	}
	expired := newCookie(s.Name(), "", &st.options)
	expired.MaxAge, expired.Expires = -1, time.Unix(1, 0)
	http.SetCookie(w, expired)
	clear(s.Values)
	*s.Options = st.options
	s.ID, s.IsNew = "", true
	s.Values[stateKey{}] = &state{}
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
