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

// load reads a live session row into s. No row (unknown, expired, ended)
// leaves s fresh and empty: an ID is never reused.
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
	row, m, err := splitRow(raw)
	if err == nil {
		err = st.loadValues(s, row)
	}
	if err != nil {
		// A row we cannot read is treated like a missing one; it expires.
		st.logger().Warn("unreadable session row ignored", "sid_hash", IDHash(id), "err", err)
		clear(s.Values)
		return nil
	}
	s.ID, s.IsNew = id, false
	ss := stateOf(s)
	ss.status, ss.id, ss.version, ss.created, ss.expire = loaded, id, version, m.Created, expire
	return nil
}

// loadValues decodes a row's values into s and records the baseline Save
// compares with (state.orig): a string or number's stored bytes as they
// are (Go encodes it the same way, or differs only in rare escapes, which
// then cost one needless write); anything else as Go encodes it now, since
// PostgreSQL's own text for objects differs (spaces, key order).
func (st *Store) loadValues(s *sessions.Session, row map[string]json.RawMessage) error {
	ss := &state{orig: make(map[string]json.RawMessage, len(row)), scalars: make(map[string]any, len(row))}
	objects := map[any]any{}
	for k, raw := range row {
		v, err := st.decodeValue(k, raw)
		if err != nil {
			return err
		}
		s.Values[k] = v
		switch v.(type) {
		case string, json.Number:
			ss.orig[k], ss.scalars[k] = raw, v
		default:
			objects[k] = v
		}
	}
	encoded, err := encodeValues(objects, ss)
	if err != nil {
		return err
	}
	maps.Copy(ss.orig, encoded)
	s.Values[stateKey{}] = ss
	return nil
}
