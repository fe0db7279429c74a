// Package models reads and writes the app's tables: one type per table,
// each over the shared *sql.DB. Methods take ctx first and return
// ErrNotFound when no row matches.
package models

import "errors"

// ErrNotFound is returned when the requested row does not exist.
var ErrNotFound = errors.New("models: not found")
