package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Classification is a row of the classification table.
type Classification struct {
	ID   int    `json:"classification_id"`
	Name string `json:"classification_name"`
}

// Classifications reads the classification table. The full list feeds the
// navigation on every page, so it is kept in memory and re-read at most once
// per TTL (and at once after a change made here): pages cost no query, and
// another instance's change shows within the TTL.
type Classifications struct {
	// OnChange is called after every successful write (see changed).
	OnChange func()

	db  *sql.DB
	ttl time.Duration

	cached  atomic.Pointer[classificationList]
	refresh sync.Mutex // one refresh at a time; others keep serving the old list
}

type classificationList struct {
	items   []Classification
	fetched time.Time
}

// NewClassifications returns the model; ttl bounds how stale the cached
// list may get.
func NewClassifications(db *sql.DB, ttl time.Duration) *Classifications {
	return &Classifications{db: db, ttl: ttl}
}

// All returns every classification in alphabetical order, from the cache
// when it is fresh. When the database fails and an older list is cached,
// the older list is returned, so pages keep their navigation.
func (m *Classifications) All(ctx context.Context) ([]Classification, error) {
	cur := m.cached.Load()
	if cur != nil && time.Since(cur.fetched) < m.ttl {
		return cur.items, nil
	}
	if cur != nil && !m.refresh.TryLock() {
		return cur.items, nil // someone else is refreshing
	}
	if cur == nil {
		m.refresh.Lock()
	}
	defer m.refresh.Unlock()
	if now := m.cached.Load(); now != cur && now != nil {
		return now.items, nil
	}
	items, err := m.query(ctx)
	if err != nil {
		if cur != nil {
			slog.Warn("navigation not refreshed, serving the cached list", "err", err)
			return cur.items, nil
		}
		return nil, err
	}
	m.cached.Store(&classificationList{items: items, fetched: time.Now()})
	return items, nil
}

// Cached returns the cached list, however old, without asking the
// database: for error pages, which must not wait on a database that may be
// what failed. It is nil until All has succeeded once.
func (m *Classifications) Cached() []Classification {
	if cur := m.cached.Load(); cur != nil {
		return cur.items
	}
	return nil
}

// Invalidate marks the cached list stale, so the next page re-reads it and
// shows a change at once (keeping the old list as a fallback).
func (m *Classifications) Invalidate() {
	if cur := m.cached.Load(); cur != nil {
		m.cached.Store(&classificationList{items: cur.items})
	}
}

func (m *Classifications) query(ctx context.Context) ([]Classification, error) {
	return all(ctx, m.db, "list classifications",
		`SELECT classification_id, classification_name FROM classification ORDER BY lower(classification_name), classification_name`,
		func(r row, c *Classification) error { return r.Scan(&c.ID, &c.Name) })
}

// Get returns one classification by id.
func (m *Classifications) Get(ctx context.Context, id int) (Classification, error) {
	items, err := m.All(ctx)
	if err != nil {
		return Classification{}, err
	}
	for _, c := range items {
		if c.ID == id {
			return c, nil
		}
	}
	return Classification{}, ErrNotFound
}

// ErrClassificationExists is returned when the name is already used.
var ErrClassificationExists = errors.New("models: classification exists")

// Add inserts a classification and marks the cached list stale.
func (m *Classifications) Add(ctx context.Context, name string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var id int
	err := m.db.QueryRowContext(ctx,
		`INSERT INTO classification (classification_name) VALUES ($1) RETURNING classification_id`, name).Scan(&id)
	if isUniqueViolation(err) {
		return 0, ErrClassificationExists
	}
	if err != nil {
		return 0, fmt.Errorf("models: add classification: %w", err)
	}
	m.Invalidate()
	changed(m.OnChange)
	return id, nil
}
