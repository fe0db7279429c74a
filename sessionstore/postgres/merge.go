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
