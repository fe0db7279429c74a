package main

// The SQL the app's session store sends in bench scenarios 2 and 3, in one
// place: when the store's statements change, change them here (and the
// code in session.go that reads their results), so that the floor keeps
// sending what the app sends. The texts are copied byte for byte from
// sessionstore/postgres (load.go: selectRow; save.go: updateRow and its
// asynchronously committing twin), so pg_stat_statements lists the app's
// and the floor's statements as the same ones.
const (
	// loadSession is the one statement of every request with a session
	// cookie (scenario 2's only one): the row, with sess NULL when the
	// version kept from the last read ($2, "0" for none) is still current.
	loadSession = `SELECT CASE WHEN xmin = $2::text::xid THEN NULL ELSE sess END, expire, xmin::text
	FROM session WHERE sid = $1 AND expire > now()`

	// saveSession writes the whole row back when a request queued a flash
	// message (the POST of scenario 3) or showed one (its GET), if the row
	// is still the version read.
	saveSession = `UPDATE session SET sess = $2, expire = $3
		 WHERE sid = $1 AND xmin = $4::text::xid AND expire > now() RETURNING session.xmin::text`

	// saveSessionAsync is saveSession committing without waiting for the
	// disk, as the app sends it for flash-only writes under
	// SESSION_ASYNC_COMMIT=true.
	saveSessionAsync = `UPDATE session SET sess = $2, expire = $3 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async
		 WHERE sid = $1 AND xmin = $4::text::xid AND expire > now() RETURNING session.xmin::text`
)
