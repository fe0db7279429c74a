package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/gorilla/sessions"
)

// mergeUpdate writes this request's changes onto the row as another request
// left it, under a row lock (see merge). If the row is gone (logged out,
// rotated, expired), the changes are dropped: an ended session is never
// brought back.
func (st *Store) mergeUpdate(ctx context.Context, s *sessions.Session, ss *state, cur map[string]json.RawMessage, m meta, expire time.Time) error {
	var merged map[string]json.RawMessage
	var version string
	err := st.inTx(ctx, func(tx *sql.Tx) error {
		var raw []byte
		err := tx.QueryRowContext(ctx,
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
		merged = st.merge(fresh, ss.orig, cur)
		body, err := encodeRow(merged, m)
		if err != nil {
			return err
		}
		// GREATEST: another request may have slid the expiry further
		// than this one would (see slide).
		return tx.QueryRowContext(ctx,
			`UPDATE session SET sess = $2, expire = GREATEST(expire, $3) WHERE sid = $1 RETURNING xmin::text, expire`,
			ss.id, body, expire).Scan(&version, &expire)
	})
	if errors.Is(err, errGone) {
		st.logger().Info("session ended by another request; this request's changes dropped", "sid_hash", IDHash(ss.id))
		st.rows.drop(ss.id)
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
		if val, err := st.decodeValue(k, v); err == nil {
			s.Values[k] = val
		}
	}
	return nil
}

// merge applies one request's changes (from orig, what it read, to cur,
// what it wants to write) onto fresh, the row as another request left it.
// A key this request did not touch keeps the other request's value; a key
// it set or deleted takes this request's decision. A queue key (Store.
// Queues: the app's flash messages) is merged message by message, so
// neither request's messages are lost and none consumed here comes back.
func (st *Store) merge(fresh, orig, cur map[string]json.RawMessage) map[string]json.RawMessage {
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
	for _, k := range st.Queues {
		if q := mergeQueues(fresh[k], orig[k], cur[k]); q != nil {
			out[k] = q
		} else {
			delete(out, k)
		}
	}
	return out
}

// mergeQueues treats each list of a queue value ({"notice": ["...", ...]})
// as a queue: this request consumed some messages from the front of what
// it read and appended others. Those it consumed are removed from the
// fresh queue, those it appended are added. A value not in that shape is
// left to last-writer-wins.
func mergeQueues(fresh, orig, cur json.RawMessage) json.RawMessage {
	var f, o, c map[string][]string
	if !decodeQueues(fresh, &f) || !decodeQueues(orig, &o) || !decodeQueues(cur, &c) {
		if cur != nil {
			return cur
		}
		return fresh
	}
	if f == nil {
		f = map[string][]string{}
	}
	names := make(map[string]bool)
	for n := range o {
		names[n] = true
	}
	for n := range c {
		names[n] = true
	}
	for n := range names {
		consumed, appended := queueDiff(o[n], c[n])
		list := f[n]
		for _, m := range consumed {
			if i := slices.Index(list, m); i >= 0 {
				list = slices.Delete(slices.Clone(list), i, i+1)
			}
		}
		if list = append(list, appended...); len(list) == 0 {
			delete(f, n)
		} else {
			f[n] = list
		}
	}
	if len(f) == 0 {
		return nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return cur
	}
	return b
}

// queueDiff finds the longest suffix of orig that cur starts with: what
// came before it was consumed, what follows it in cur was appended.
func queueDiff(orig, cur []string) (consumed, appended []string) {
	for n := 0; n <= len(orig); n++ {
		rest := orig[n:]
		if len(rest) <= len(cur) && slices.Equal(rest, cur[:len(rest)]) {
			return orig[:n], cur[len(rest):]
		}
	}
	return orig, cur
}

func decodeQueues(b json.RawMessage, into *map[string][]string) bool {
	if b == nil {
		return true
	}
	return json.Unmarshal(b, into) == nil
}
