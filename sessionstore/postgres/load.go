package postgres

import (
	"context"
	"database/sql"
	"errors"
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
	values, m, err := st.decode(raw)
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
	*stateOf(s) = state{status: loaded, id: id, version: version, created: m.Created, expire: expire, orig: orig}
	return nil
}
