package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"time"

	"github.com/lib/pq"
)

// What the app does with the table as a whole: expiry, ending an
// account's sessions, and showing a row in class.

// DeleteExpired deletes expired rows in batches of batch, until none is
// left, and returns how many it deleted. Batches keep each transaction
// short and the pause between them leaves the database to the requests
// (a million expired rows must not double their latency); SKIP LOCKED lets
// several instances run it at once without waiting on each other.
func (st *Store) DeleteExpired(ctx context.Context, batch int, pause time.Duration) (int64, error) {
	var total int64
	for {
		qctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		res, err := st.db.ExecContext(qctx, `DELETE FROM session WHERE sid IN (
			SELECT sid FROM session WHERE expire <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)`, batch)
		cancel()
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		total += n
		if n < int64(batch) {
			return total, nil
		}
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(pause):
		}
	}
}

// Janitor deletes expired rows every interval until ctx is cancelled. Run
// it in its own goroutine; it returns when ctx is done.
func (st *Store) Janitor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := st.DeleteExpired(ctx, 1000, 20*time.Millisecond)
			switch {
			case err != nil && ctx.Err() == nil:
				st.logger().Warn("session janitor", "err", err)
			case n > 0:
				st.logger().LogAttrs(ctx, slog.LevelInfo, "session janitor deleted expired sessions", slog.Int64("rows", n))
			}
		}
	}
}

// IndexKey makes DeleteSessionsWith(key, ...) fast on a large table (the
// app indexes "account_id", so a password change does not scan every
// session). It is idempotent; call it at start, before serving.
//
// The value gets a column of its own, generated from sess and indexed,
// rather than an index on the expression sess->>key: an expression index
// on sess would make PostgreSQL add new index entries on every change of
// sess, while the column changes only with that one value. So a write
// that moves flash messages is a HOT update, in place, touching no index.
// Instructors see the column too: SELECT sid, account_id FROM session.
//
// Adding the column rewrites the table once, holding its lock: on a table
// of a million sessions, a few seconds in which other instances' session
// requests wait (and may answer 503). IndexKey waits at most 5 s for that
// lock; if the table stays busy it logs a warning and the app runs without
// the column (DeleteSessionsWith then reads sess), trying again at the
// next start.
func (st *Store) IndexKey(ctx context.Context, key string) error {
	if !columnName.MatchString(key) || key == "sid" || key == "sess" || key == "expire" {
		return fmt.Errorf("postgres: index %q: a key needs a plain lower-case name, not a column's", key)
	}
	col := pq.QuoteIdentifier(key)
	err := st.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, lockSchema); err != nil {
			return err
		}
		var generated string // "s" for a stored generated column; none yet: sql.ErrNoRows
		err := tx.QueryRowContext(ctx, `SELECT attgenerated::text FROM pg_attribute
			WHERE attrelid = 'session'::regclass AND attname = $1 AND attnum > 0 AND NOT attisdropped`, key).Scan(&generated)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '5s'`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `ALTER TABLE session ADD COLUMN `+col+
				` text GENERATED ALWAYS AS (sess->>`+pq.QuoteLiteral(key)+`) STORED`); err != nil {
				return err
			}
		case err != nil:
			return err
		case generated != "s":
			return fmt.Errorf("session has a column %s that the store did not make", key)
		}
		if _, err := tx.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS `+pq.QuoteIdentifier("session_by_"+key)+` ON session (`+col+`)`); err != nil {
			return err
		}
		// The expression index of earlier versions.
		_, err = tx.ExecContext(ctx, `DROP INDEX IF EXISTS `+pq.QuoteIdentifier("session_"+key+"_idx"))
		return err
	})
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "55P03" { // lock_not_available
		st.logger().Warn("session table busy: its "+key+" column is added at the next start", "err", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("postgres: index %s: %w", key, err)
	}
	if !slices.Contains(st.indexed, key) {
		st.indexed = append(st.indexed, key)
	}
	return nil
}

var columnName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// DeleteSessionsWith deletes every session whose top-level value key equals
// value (compared as text), except the session except: for example all
// sessions of an account after its password changed.
func (st *Store) DeleteSessionsWith(ctx context.Context, key, value, except string) (int64, error) {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	var (
		res sql.Result
		err error
	)
	if slices.Contains(st.indexed, key) { // its own column, indexed
		res, err = st.db.ExecContext(ctx, `DELETE FROM session WHERE `+pq.QuoteIdentifier(key)+` = $1 AND sid <> $2`, value, except)
	} else {
		res, err = st.db.ExecContext(ctx, `DELETE FROM session WHERE sess->>$1 = $2 AND sid <> $3`, key, value, except)
	}
	if err != nil {
		return 0, unavailable(err)
	}
	return res.RowsAffected()
}

// Row is a session's row as stored, for showing in class.
type Row struct {
	JSON    string    // sess, pretty-printed by PostgreSQL
	Expire  time.Time // the expire column: the idle timeout, capped by the lifetime
	Created time.Time // when the session began
	Ends    time.Time // the absolute end of its lifetime
}

// Inspect reads the row of session id as it is stored, expired or not.
// It reports false when there is no row.
func (st *Store) Inspect(ctx context.Context, id string) (Row, bool, error) {
	ctx, cancel := st.ctx(ctx)
	defer cancel()
	var (
		row Row
		raw []byte
	)
	err := st.db.QueryRowContext(ctx, `SELECT jsonb_pretty(sess), sess, expire FROM session WHERE sid = $1`, id).
		Scan(&row.JSON, &raw, &row.Expire)
	if errors.Is(err, sql.ErrNoRows) {
		return row, false, nil
	}
	if err != nil {
		return row, false, unavailable(err)
	}
	if _, m, err := splitRow(raw); err == nil {
		row.Created, row.Ends = m.Created, m.Expires
	}
	return row, true, nil
}
