package postgres

// Statements are the texts of the store's statements on the hot paths,
// for tools that must send exactly what the store sends (the benchmark's
// floor, scripts/httpfloor) without copying them.
type Statements struct {
	Load            string // a session's row, for a request that is not a GET
	Take            string // the row and its waiting flash messages, for a GET
	TakeAsync       string // Take, committing without waiting for the disk (AsyncCommit)
	QueueFlash      string // flash messages into the flash table: $1 sid, $2 IDs (0: new), $3 types, $4 texts
	QueueFlashAsync string // QueueFlash, committing without waiting for the disk
}

// HotStatements returns the statements of the hot paths.
func HotStatements() Statements {
	return Statements{Load: selectRow, Take: takeRow, TakeAsync: takeRowAsync,
		QueueFlash: insertFlashes, QueueFlashAsync: insertFlashesAsync}
}
