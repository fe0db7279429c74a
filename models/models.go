// Package models reads and writes the app's tables: one type per table,
// each over the shared *sql.DB. Methods take ctx first and return
// ErrNotFound when no row matches.
package models

import "errors"

// ErrNotFound is returned when the requested row does not exist.
var ErrNotFound = errors.New("models: not found")

// changed calls hook, if set: models whose rows the public pages show
// call it after every successful write, so the page cache drops its
// copies whoever made the change (routes.New sets the hooks).
func changed(hook func()) {
	if hook != nil {
		hook()
	}
}
