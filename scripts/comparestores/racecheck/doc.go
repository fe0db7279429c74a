// Package racecheck holds the concurrent-use test that `make
// compare-stores` runs under the race detector against each session store
// (row 12 of its table). The test file builds only with -tags
// comparestores and needs COMPARESTORES_DATABASE_URL, so `make test`
// never runs it: one of the two stores is expected to fail it.
package racecheck
