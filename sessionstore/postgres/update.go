package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/gorilla/sessions"
)

// The writes to a loaded session whose ID stays: refresh slides the idle
// expiry of an unchanged session, update writes changed values, and
// mergeUpdate merges them with a parallel request's.

// The statements, and refreshRow's asynchronously committing twin (see
// Store.AsyncCommit): a refresh only moves the idle expiry.
const (
	refreshSet   = `UPDATE session SET expire = $2`
	refreshWhere = ` WHERE sid = $1 AND expire > now() RETURNING session.xmin::text`
	refreshRow   = refreshSet + refreshWhere
	refreshAsync = refreshSet + ` FROM` + asyncSetting + refreshWhere
	updateRow    = `UPDATE session SET sess = $2, expire = $3
		 WHERE sid = $1 AND xmin = $4::text::xid AND expire > now() RETURNING session.xmin::text`
	// asyncSetting turns synchronous_commit off for the statement's own
	// transaction, in the same round trip: a one-row subquery evaluated
	// before the write, whose setting is local to the transaction.
	asyncSetting = ` (SELECT set_config('synchronous_commit', 'off', true)) AS async`
)

// refresh slides the idle timeout forward, at most once per refreshEvery.
func (st *Store) refresh(ctx context.Context, r run, ss *state, now time.Time) error {
	expire := st.expiry(ss.created, now)
	if expire.Sub(ss.expire) < st.refreshStep() {
		return nil
	}
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	query := refreshRow
	if st.AsyncCommit {
		query = refreshAsync
	}
	var version string
	err := r.row(ctx, query, ss.id, expire).Scan(&version)
	// Whatever the outcome, the kept row goes: the refresh does not check
	// the version it read, so another request may have changed sess
	// meanwhile, and the new version holds that change, not ss.orig.
	st.rows.drop(ss.id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		ss.ended = true // ended meanwhile (logout elsewhere): nothing to keep alive
		return nil
	case err != nil:
		return unavailable(err)
	}
	ss.expire, ss.version = expire, version
	return nil
}

// update writes a changed session, if its row is still the version this
// request read. Otherwise another request changed it meanwhile, and
// mergeUpdate merges the two (see merge.go).
func (st *Store) update(ctx context.Context, r run, s *sessions.Session, ss *state, cur map[string]json.RawMessage, now time.Time) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	m, expire := st.newMeta(ss.created), st.slide(ss, now)
	body, err := encodeRow(cur, m)
	if err != nil {
		return err
	}
	var version string
	err = r.row(ctx, updateRow, ss.id, body, expire, ss.version).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return st.mergeUpdate(ctx, r, s, ss, cur, m, expire)
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
// entries, less WAL).
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

// mergeUpdate writes this request's changes onto the row as another request
// left it, under a row lock (see merge). If the row is gone (logged out,
// rotated, expired), the changes are dropped: an ended session is never
// brought back. Flash messages need no merge: each is a row of its own.
func (st *Store) mergeUpdate(ctx context.Context, r run, s *sessions.Session, ss *state, cur map[string]json.RawMessage, m meta, expire time.Time) error {
	var merged map[string]json.RawMessage
	var version string
	err := r.inTx(ctx, func(r run) error {
		var raw []byte
		err := r.tx.QueryRowContext(ctx,
			`SELECT sess FROM session WHERE sid = $1 AND expire > now() FOR UPDATE`, ss.id).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return errGone
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
		// GREATEST: another request may have slid the expiry further
		// than this one would (see slide).
		return r.tx.QueryRowContext(ctx,
			`UPDATE session SET sess = $2, expire = GREATEST(expire, $3) WHERE sid = $1 RETURNING xmin::text, expire`,
			ss.id, body, expire).Scan(&version, &expire)
	})
	if errors.Is(err, errGone) {
		st.logger().Info("session ended by another request; this request's changes dropped", "sid_hash", IDHash(ss.id))
		st.rows.drop(ss.id)
		ss.ended = true
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	ss.version, ss.expire, ss.orig, ss.scalars = version, expire, merged, nil
	// Not kept: the values other requests wrote are in PostgreSQL's text
	// (spaces, key order), not in the form Save compares with, so the next
	// load decodes the row anew (decodeRow) rather than rewrite it.
	st.rows.drop(ss.id)
	// Show the merged data to the rest of this request too.
	clearValues(s)
	for k, v := range merged {
		if val, err := decodeValue(v); err == nil {
			s.Values[k] = val
		}
	}
	return nil
}

// errGone reports, inside a transaction, that the session's row had ended.
var errGone = errors.New("postgres: session gone")

// merge applies one request's changes (from orig, what it read, to cur,
// what it wants to write) onto fresh, the row as another request left it.
// A key this request did not touch keeps the other request's value; a key
// it set or deleted takes this request's decision.
func merge(fresh, orig, cur map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(fresh)+len(cur))
	for k, v := range fresh {
		out[k] = v
	}
	for k := range orig {
		if _, kept := cur[k]; !kept {
			delete(out, k)
		}
	}
	for k, c := range cur {
		if o, ok := orig[k]; !ok || !bytes.Equal(o, c) {
			out[k] = c
		}
	}
	return out
}
