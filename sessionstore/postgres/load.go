package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"time"

	"github.com/gorilla/sessions"
)

// selectRow reads a live session. $2 is the version this process keeps
// decoded (see cache.go), "0" for none: no transaction has ID 0. When the
// row still has that version, sess comes back NULL.
const selectRow = `SELECT CASE WHEN xmin = $2::text::xid THEN NULL ELSE sess END, expire, xmin::text
	FROM session WHERE sid = $1 AND expire > now()`

// load reads a live session row into s. No row (unknown, expired, ended)
// leaves s fresh and empty: an ID is never reused.
func (st *Store) load(ctx context.Context, s *sessions.Session, id string) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	kept, since := st.rows.get(id, time.Now()), "0"
	if kept != nil {
		since = kept.version
	}
	var (
		raw     []byte
		expire  time.Time
		version string
	)
	err := st.queryRow(ctx, selectRow, id, since).Scan(&raw, &expire, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return unavailable(err)
	}
	d := kept
	if raw != nil || kept == nil || kept.version != version {
		if d, err = st.decodeRow(raw, version); err == nil {
			st.rows.put(id, d)
		}
	}
	if err == nil {
		err = st.loadValues(s, d)
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
	return nil
}

// decodeRow decodes a stored row and records the baseline Save compares
// with (state.orig): a string or number's stored bytes as they are (Go
// encodes it the same way, or differs only in rare escapes, which then
// cost one needless write); anything else as Go encodes it now, since
// PostgreSQL's own text for objects differs (spaces, key order).
func (st *Store) decodeRow(raw []byte, version string) (*decoded, error) {
	row, m, err := splitRow(raw)
	if err != nil {
		return nil, err
	}
	d := &decoded{version: version, created: m.Created, kept: time.Now(),
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

// loadValues puts a decoded row's values into s. Strings and numbers are
// shared; anything else (a flash queue, a map) is decoded anew, because the
// request may change it in place.
func (st *Store) loadValues(s *sessions.Session, d *decoded) error {
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
	s.Values[stateKey{}] = &state{orig: d.orig, scalars: d.scalars}
	return nil
}
