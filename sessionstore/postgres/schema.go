package postgres

import (
	"context"
	"database/sql"
	"fmt"
)

// lockSchema serialises the instances that change the store's schema at
// start-up (CreateTable, IndexKey), until the transaction ends: a
// transaction-scoped lock, so it is also safe behind a transaction pooler.
const lockSchema = `SELECT pg_advisory_xact_lock(4359245891)`

// The store's two tables. A session is one row of session; each flash
// message waiting for it is one row of flash, in the order id gives, so
// queueing a message never rewrites the session row and parallel requests
// cannot lose each other's messages. A message a page has taken stays, marked,
// until the session's next page (load.go). The foreign key takes a session's
// messages with it when its row is deleted (logout, expiry, the janitor)
// and moves them when its ID is rotated.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS session (
		sid    text PRIMARY KEY,
		sess   jsonb NOT NULL,
		expire timestamptz NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS session_expire_idx ON session (expire)`,
	// Room on each page for a row's next version, so that a write which
	// leaves the indexed columns alone (see IndexKey and slide) is a HOT
	// update, in place.
	`ALTER TABLE session SET (fillfactor = 70)`,
	`CREATE TABLE IF NOT EXISTS flash (
		sid      text NOT NULL REFERENCES session ON DELETE CASCADE ON UPDATE CASCADE,
		id       bigserial,
		type     text NOT NULL,
		message  text NOT NULL,
		taken_by text,
		PRIMARY KEY (sid, id))`,
	// taken_by: the request (a hash of its retry key) whose page is
	// showing the message; NULL while it waits. See load.go.
	`ALTER TABLE flash ADD COLUMN IF NOT EXISTS taken_by text`,
	// flash_take takes a session's waiting messages for the page of the
	// request key and returns them in order. With a key (a balancer that
	// retries) it deletes those an earlier page took (it showed them) and
	// marks the waiting ones, and those this very request took before (a
	// retry); without one (NULL) it deletes them all as it takes them.
	// takeRow calls it only when the session has rows in flash, so a page
	// with no message costs what a plain read does. async: commit without
	// waiting for the disk.
	`CREATE OR REPLACE FUNCTION flash_take(sid text, key text, async boolean) RETURNS json
	LANGUAGE plpgsql AS $$
	DECLARE taken json;
	BEGIN
		IF async THEN
			PERFORM set_config('synchronous_commit', 'off', true);
		END IF;
		IF key IS NULL THEN
			WITH t AS (DELETE FROM flash f WHERE f.sid = flash_take.sid RETURNING f.id, f.type, f.message, f.taken_by)
			SELECT json_agg(json_build_object('i', t.id, 't', t.type, 'm', t.message) ORDER BY t.id)
				FILTER (WHERE t.taken_by IS NULL) INTO taken FROM t;
			RETURN taken;
		END IF;
		DELETE FROM flash f WHERE f.sid = flash_take.sid AND f.taken_by <> flash_take.key;
		WITH t AS (
			UPDATE flash f SET taken_by = flash_take.key
			WHERE f.sid = flash_take.sid AND (f.taken_by IS NULL OR f.taken_by = flash_take.key)
			RETURNING f.id, f.type, f.message)
		SELECT json_agg(json_build_object('i', t.id, 't', t.type, 'm', t.message) ORDER BY t.id) INTO taken FROM t;
		RETURN taken;
	END $$`,
}

// Earlier versions kept the flash messages inside the session row, under
// "flash" in connect-flash's shape {"notice": ["...", ...]}. When the flash
// table is first made, those waiting messages move into it, so an upgrade
// loses none.
var moveFlashes = []string{
	`INSERT INTO flash (sid, type, message)
	SELECT s.sid, q.key, m.value
	FROM session s,
		jsonb_each(CASE WHEN jsonb_typeof(s.sess->'flash') = 'object' THEN s.sess->'flash' ELSE '{}' END) q,
		jsonb_array_elements_text(CASE WHEN jsonb_typeof(q.value) = 'array' THEN q.value ELSE '[]' END)
			WITH ORDINALITY m(value, n)
	WHERE s.sess ? 'flash'
	ORDER BY s.sid, q.key, m.n`,
	`UPDATE session SET sess = sess - 'flash' WHERE sess ? 'flash'`,
}

// CreateTable creates the session and flash tables and their indexes if
// they are missing. It is safe to run on every start, by several instances
// at once: concurrent CREATE TABLE IF NOT EXISTS can still collide in the
// catalogue, so an advisory lock serialises the instances.
func (st *Store) CreateTable(ctx context.Context) error {
	err := st.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, lockSchema); err != nil {
			return err
		}
		var hadFlash bool
		if err := tx.QueryRowContext(ctx, `SELECT to_regclass('flash') IS NOT NULL`).Scan(&hadFlash); err != nil {
			return err
		}
		steps := schema
		if !hadFlash {
			steps = append(steps[:len(steps):len(steps)], moveFlashes...)
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: create session tables: %w", err)
	}
	return nil
}
