package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"time"

	"github.com/gorilla/sessions"
	"github.com/lib/pq"
)

// selectRow reads a live session. $2 is the version this process keeps
// decoded (see cache.go), "0" for none: no transaction has ID 0. When the
// row still has that version, sess comes back NULL.
const selectRow = `SELECT CASE WHEN xmin = $2::text::xid THEN NULL ELSE sess END, expire, xmin::text
	FROM session WHERE sid = $1 AND expire > now()`

// takeRow is the load of a page view whose kept row holds messages (see
// load): if the row still has the kept version $2, it removes the queue
// keys $3 and stores the expiry $4, and returns a NULL sess; otherwise it
// changes nothing and returns the row as selectRow would. One round trip
// where a load and a write would be two. %s is where asyncFrom goes.
const takeRow = `WITH taken AS (
		UPDATE session SET sess = sess - $3::text[], expire = $4%s
		 WHERE sid = $1 AND xmin = $2::text::xid AND expire > now()
		 RETURNING session.expire, session.xmin::text)
	SELECT NULL::jsonb, expire, xmin FROM taken
	UNION ALL
	SELECT sess, expire, xmin::text FROM session
	 WHERE sid = $1 AND expire > now() AND NOT EXISTS (SELECT FROM taken)`

// load reads a live session row into s. No row (unknown, expired, ended)
// leaves s fresh and empty: an ID is never reused.
//
// A page view (take: see Store.TakeQueues) that follows the request which
// queued its flash messages finds them in the row this process kept, and
// takes them as it loads, in one statement (takeRow), instead of reading
// the row now and writing it without them at Save. The request holds them
// in s; if it does not take them out (a redirect, say), Save writes them
// back, merged with anything queued meanwhile.
func (st *Store) load(ctx context.Context, s *sessions.Session, id string, take bool) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	now := time.Now()
	kept := st.rows.get(id, now)
	query, args := selectRow, []any{id, "0"}
	takes := take && kept != nil && st.holdsQueues(kept)
	switch {
	case takes:
		query = st.write(takeRow, true)
		args = []any{id, kept.version, pq.StringArray(st.Queues), st.slide(kept.created, kept.expire, now)}
	case kept != nil:
		args[1] = kept.version
	}
	var (
		raw     []byte
		expire  time.Time
		version string
	)
	err := st.queryRow(ctx, query, args...).Scan(&raw, &expire, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	d, base := kept, kept // base: the values the row holds now
	switch {
	case raw == nil && takes:
		base = st.withoutQueues(kept, version, expire)
		st.rows.put(id, base)
	case raw != nil || kept == nil || kept.version != version:
		if d, err = st.decodeRow(raw, version, expire); err == nil {
			base = d
			st.rows.put(id, d)
		}
	}
	if err == nil {
		err = st.loadValues(s, d, base)
	}
	if err != nil {
		// A row we cannot read is treated like a missing one; it expires.
		st.logger().Warn("unreadable session row ignored", "sid_hash", IDHash(id), "err", err)
		clear(s.Values)
		return nil
	}
	s.ID, s.IsNew = id, false
	ss := stateOf(s)
	ss.status, ss.id, ss.version, ss.created, ss.expire = loaded, id, version, d.created, expire
	ss.took = base != d
	return nil
}

// holdsQueues reports whether d holds a queue value (a flash message).
func (st *Store) holdsQueues(d *decoded) bool {
	for _, k := range st.Queues {
		if _, ok := d.orig[k]; ok {
			return true
		}
	}
	return false
}

// withoutQueues is d as takeRow left it: the same values but the queues,
// under the row's new version and expiry.
func (st *Store) withoutQueues(d *decoded, version string, expire time.Time) *decoded {
	orig := maps.Clone(d.orig)
	for _, k := range st.Queues {
		delete(orig, k)
	}
	return &decoded{version: version, created: d.created, expire: expire, orig: orig, scalars: d.scalars, kept: time.Now()}
}

// decodeRow decodes a stored row and records the baseline Save compares
// with (state.orig): a string or number's stored bytes as they are (Go
// encodes it the same way, or differs only in rare escapes, which then
// cost one needless write); anything else as Go encodes it now, since
// PostgreSQL's own text for objects differs (spaces, key order).
func (st *Store) decodeRow(raw []byte, version string, expire time.Time) (*decoded, error) {
	row, m, err := splitRow(raw)
	if err != nil {
		return nil, err
	}
	d := &decoded{version: version, created: m.Created, expire: expire, kept: time.Now(),
		orig: make(map[string]json.RawMessage, len(row)), scalars: make(map[string]any, len(row))}
	objects := map[any]any{}
	for k, raw := range row {
		v, err := st.decodeValue(k, raw)
		if err != nil {
			return nil, err
		}
		if isScalar(v) {
			d.orig[k], d.scalars[k] = raw, v
		} else {
			objects[k] = v
		}
	}
	encoded, err := encodeValues(objects, &state{})
	if err != nil {
		return nil, err
	}
	maps.Copy(d.orig, encoded)
	return d, nil
}

// loadValues puts a decoded row's values into s, and records base as what
// the row holds (d itself, or d less the queues takeRow took). Strings and
// numbers are shared; anything else (a flash queue, a map) is decoded
// anew, because the request may change it in place.
func (st *Store) loadValues(s *sessions.Session, d, base *decoded) error {
	for k, raw := range d.orig {
		v, ok := d.scalars[k]
		if !ok {
			var err error
			if v, err = st.decodeValue(k, raw); err != nil {
				return err
			}
		}
		s.Values[k] = v
	}
	s.Values[stateKey{}] = &state{orig: base.orig, scalars: base.scalars}
	return nil
}
