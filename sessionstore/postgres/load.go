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
const selectRow = `SELECT CASE WHEN xmin = $2::text::xid THEN NULL ELSE sess END, expire, xmin::text, NULL::json
	FROM session WHERE sid = $1 AND expire > now()`

// takeRow is selectRow that also takes the session's waiting flash
// messages, in the same round trip: the page that loads the session is the
// page that shows them. It calls flash_take (schema.go) only when the
// session has rows in the flash table, so a page without messages costs a
// plain read and an index probe. Behind a load balancer that retries,
// taking marks the messages with the request's key ($3, see requestKey)
// rather than deleting them (without one, they are deleted), and the
// session's next page deletes the ones an earlier request took (it showed
// them): so a GET that a load balancer retries on another instance, after
// the first died with the page unsent, takes the same messages again under
// the same key, and none is lost. Two pages loading at the same moment
// cannot both take a message: the second UPDATE waits for the first and
// finds it taken. takeRowAsync commits without waiting for the disk
// (Store.AsyncCommit).
const (
	takeRow      = takeSelect + `false) END` + takeFrom
	takeRowAsync = takeSelect + `true) END` + takeFrom
	takeSelect   = `SELECT CASE WHEN s.xmin = $2::text::xid THEN NULL ELSE s.sess END, s.expire, s.xmin::text,
		CASE WHEN EXISTS (SELECT FROM flash f WHERE f.sid = s.sid) THEN flash_take(s.sid, $3, `
	takeFrom = `
	FROM session s WHERE s.sid = $1 AND s.expire > now()`
)

// load reads a live session row into s, and with take (a GET through
// Sessions) its waiting flash messages, taken under key ("": deleted as
// they are taken). No row (unknown, expired, ended) leaves s fresh and
// empty: an ID is never reused.
func (st *Store) load(ctx context.Context, s *sessions.Session, id string, take bool, key string) error {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	kept, since := st.rows.get(id, time.Now()), "0"
	if kept != nil {
		since = kept.version
	}
	query, args := selectRow, []any{id, since}
	if take {
		query, args = takeRow, append(args, sql.NullString{String: key, Valid: key != ""})
		if st.AsyncCommit {
			query = takeRowAsync
		}
	}
	var (
		raw, flashes []byte
		expire       time.Time
		version      string
	)
	err := st.queryRow(ctx, query, args...).Scan(&raw, &expire, &version, &flashes)
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
	ss := stateOf(s)
	ss.flashes = decodeFlashes(flashes)
	if err != nil {
		// A row we cannot read is treated like a missing one; it expires.
		st.logger().Warn("unreadable session row ignored", "sid_hash", IDHash(id), "err", err)
		clearValues(s)
		ss.flashes = nil
		return nil
	}
	s.ID, s.IsNew = id, false
	ss.status, ss.id, ss.version, ss.created, ss.expire = loaded, id, version, d.created, expire
	return nil
}

// decodeFlashes reads the messages takeRow returned, in their order.
func decodeFlashes(b []byte) []Flash {
	if b == nil {
		return nil
	}
	var rows []struct {
		ID   int64  `json:"i"`
		Type string `json:"t"`
		Text string `json:"m"`
	}
	if json.Unmarshal(b, &rows) != nil {
		return nil
	}
	out := make([]Flash, len(rows))
	for i, r := range rows {
		out[i] = Flash{ID: r.ID, Type: r.Type, Text: r.Text}
	}
	return out
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
		v, err := decodeValue(raw)
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
// shared; anything else (a map, a list) is decoded anew, because the
// request may change it in place.
func (st *Store) loadValues(s *sessions.Session, d *decoded) error {
	for k, raw := range d.orig {
		v, ok := d.scalars[k]
		if !ok {
			var err error
			if v, err = decodeValue(raw); err != nil {
				return err
			}
		}
		s.Values[k] = v
	}
	ss := stateOf(s)
	ss.orig, ss.scalars = d.orig, d.scalars
	return nil
}
