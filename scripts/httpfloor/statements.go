package main

// The SQL the app's session store sends in bench scenarios 2 and 3, in one
// place: when the store's statements change, change them here (and the
// code in session.go that reads their results), so that the floor keeps
// sending what the app sends. The texts are copied byte for byte from
// sessionstore/postgres (load.go: selectRow, takeRow, takeRowAsync;
// flash.go: insertFlashes, insertFlashesAsync; update.go: asyncSetting),
// so pg_stat_statements lists the app's and the floor's as the same ones.
//
// Per request: scenario 2 (GET /account/) sends takeSession; scenario 3
// sends loadSession and queueFlash for the POST, takeSession for the GET
// that shows the message: 1.5 on average.
const (
	// loadSession reads the row of a request that is not a GET (the POST
	// of scenario 3), sess NULL when the version kept from the last read
	// ($2, "0" for none) is still current; no flash messages are taken.
	loadSession = `SELECT CASE WHEN xmin = $2::text::xid THEN NULL ELSE sess END, expire, xmin::text, NULL::json
	FROM session WHERE sid = $1 AND expire > now()`

	// takeSession is loadSession for a GET: it also takes the session's
	// waiting flash messages out of the flash table, in the same round
	// trip (scenario 2's only statement, and the page of scenario 3).
	takeSession = `WITH taken AS (DELETE FROM flash WHERE sid = $1 RETURNING id, type, message)` + takeFrom
	// takeSessionAsync is takeSession committing without waiting for the
	// disk, as the app sends it under SESSION_ASYNC_COMMIT=true.
	takeSessionAsync = `WITH async AS MATERIALIZED (SELECT` + asyncSetting + `),
	taken AS (DELETE FROM flash WHERE sid = $1 AND EXISTS (SELECT FROM async) RETURNING id, type, message)` + takeFrom
	takeFrom = `
	SELECT CASE WHEN s.xmin = $2::text::xid THEN NULL ELSE s.sess END, s.expire, s.xmin::text,
		(SELECT json_agg(json_build_object('i', id, 't', type, 'm', message) ORDER BY id) FROM taken)
	FROM session s WHERE s.sid = $1 AND s.expire > now()`

	// queueFlash stores the POST's message, at its save: one insert into
	// the flash table ($2 the IDs, 0 for a new message; $3 the types; $4
	// the texts), no write of the session row.
	queueFlash      = queueFlashStart + queueFlashEnd
	queueFlashAsync = queueFlashStart + `,` + asyncSetting + queueFlashEnd
	queueFlashStart = `INSERT INTO flash (sid, id, type, message)
	SELECT $1, coalesce(nullif(f.id, 0), nextval('flash_id_seq')), f.type, f.message
	FROM unnest($2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS f(id, type, message, n)`
	queueFlashEnd = `
	ORDER BY f.n
	ON CONFLICT DO NOTHING`

	asyncSetting = ` (SELECT set_config('synchronous_commit', 'off', true)) AS async`
)
