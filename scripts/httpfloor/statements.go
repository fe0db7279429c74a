package main

import "github.com/cse-motors/cse-motors/sessionstore/postgres"

// The SQL the app's session store sends in bench scenarios 2 and 3, taken
// from the store itself (postgres.HotStatements), so that the floor always
// sends what the app sends and pg_stat_statements lists the app's and the
// floor's as the same ones. When the store's statements change, only the
// code in session.go that reads their results may need to.
//
// Per request: scenario 2 (GET /account/) sends takeSession; scenario 3
// sends loadSession and queueFlash for the POST, takeSession for the GET
// that shows the message: 1.5 on average.
var (
	hot = postgres.HotStatements()
	// loadSession reads the row of a request that is not a GET (the POST
	// of scenario 3), sess NULL when the version kept from the last read
	// ($2, "0" for none) is still current; no flash messages are taken.
	loadSession = hot.Load
	// takeSession is loadSession for a GET: it also takes the session's
	// waiting flash messages out of the flash table, in the same round
	// trip (scenario 2's only statement, and the page of scenario 3);
	// takeSessionAsync commits without waiting for the disk, as the app
	// sends it under SESSION_ASYNC_COMMIT=true.
	takeSession, takeSessionAsync = hot.Take, hot.TakeAsync
	// queueFlash stores the POST's message, at its save: one insert into
	// the flash table, no write of the session row.
	queueFlash, queueFlashAsync = hot.QueueFlash, hot.QueueFlashAsync
)
