package postgres

import (
	"encoding/json"
	"sync"
	"time"
)

// Most requests with a session read a row that has not changed since this
// process last read or wrote it: a page view after a page view, or after
// the request that queued its flash message. The row's xmin (state.version)
// says so, so the store keeps each row it read or wrote, decoded, under its
// ID and version. load still sends its one statement, which stays the
// truth: an ended or expired session is not found whatever is kept here.
// But it passes the kept version along, and when the row still has it,
// PostgreSQL sends no sess and nothing is decoded.
//
// A version is an xmin, which PostgreSQL reuses only after about four
// billion transactions: kept rows are used for keepFor at most, far less
// than the fastest server takes to get there.
const (
	keepRows = 4096
	keepFor  = 10 * time.Minute
)

// decoded is a row as load and Save use it. Its maps are shared by the
// requests that start from it and never written to: a request that
// changes its session builds new ones (encodeValues, merge).
type decoded struct {
	version string
	created time.Time
	orig    map[string]json.RawMessage // every value, as state.orig
	scalars map[string]any             // the strings and numbers, as state.scalars
	kept    time.Time
}

// rows is the cache: at most keepRows rows, by session ID.
type rows struct {
	mu sync.Mutex
	m  map[string]*decoded
}

// get returns the row kept for id, or nil.
func (c *rows) get(id string, now time.Time) *decoded {
	c.mu.Lock()
	d := c.m[id]
	c.mu.Unlock()
	if d == nil || now.Sub(d.kept) > keepFor {
		return nil
	}
	return d
}

// put keeps d for id. When full, it first forgets a quarter of the rows,
// whichever the map's iteration order gives: a row forgotten is only read
// again in full.
func (c *rows) put(id string, d *decoded) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]*decoded)
	}
	if len(c.m) >= keepRows {
		n := keepRows / 4
		for k := range c.m {
			if n--; n < 0 {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[id] = d
}

// drop forgets id's row: the session ended.
func (c *rows) drop(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}

// remember keeps the row this request has just written (version), whose
// values are orig, as Go encoded them. Its strings and numbers are decoded
// here for the requests that start from it; the rest (a flash queue) each
// request decodes for itself (loadValues).
func (st *Store) remember(id, version string, created time.Time, orig map[string]json.RawMessage) {
	scalars := make(map[string]any, len(orig))
	for k, raw := range orig {
		if v, ok := decodeScalar(raw); ok {
			scalars[k] = v
		}
	}
	st.rows.put(id, &decoded{version: version, created: created, orig: orig, scalars: scalars, kept: time.Now()})
}

// isScalar reports whether v is a string or number: an immutable value,
// kept as it is in state.scalars.
func isScalar(v any) bool {
	switch v.(type) {
	case string, json.Number:
		return true
	}
	return false
}
