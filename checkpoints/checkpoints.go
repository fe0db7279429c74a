// Package checkpoints is the officials' notebook of the course's race
// analogy, for the development session demo (/demo/session): for each
// session (a runner, known by a bib) it keeps the latest requests (the
// checkpoints) with the SQL each one sent, so the page can show them live.
// It exists only in development: production builds no Log, installs none
// of its middleware and keeps no request in memory.
//
// Memory is bounded: at most MaxSessions sessions are followed (the least
// recently seen is forgotten first), each with its last MaxCheckpoints
// requests of at most MaxStatements statements of at most MaxQuery bytes.
// Session IDs are never kept: a session is filed under a hash of its ID.
package checkpoints

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"sync"
	"time"
)

// The bounds of a Log. Their product bounds the text kept: 32 sessions x
// 20 checkpoints x 12 statements x 480 bytes, under 4 MB, and in practice
// far less, since a statement's text is the program's own constant.
const (
	MaxSessions    = 32  // sessions followed at once
	MaxCheckpoints = 20  // requests kept per session
	MaxStatements  = 12  // statements kept per request; more are counted
	MaxQuery       = 480 // bytes of a statement's text kept
	MaxStreams     = 16  // live feeds open at once
)

// Statement is one SQL statement a request sent, as the pool saw it: its
// text (never its parameters, which carry passwords and session IDs), how
// long the server took and its error, if any.
type Statement struct {
	Query string
	Took  time.Duration
	Err   string
}

// Checkpoint is one request noted against a bib.
type Checkpoint struct {
	At         time.Time
	Method     string
	Path       string
	Status     int
	Took       time.Duration
	Statements []Statement
	More       int    // statements sent beyond MaxStatements, not kept
	Note       string // what happened to the bib here, "" for nothing
}

// Unnoted counts the requests no bib was noted for: the ones the course's
// officials never see.
type Unnoted struct {
	// Static is requests that never looked at a session: static files
	// (the browser sends the cookie with them, but nobody reads it).
	Static int64 `json:"static"`
	// Pages is pages served to visitors without a session, and
	// Statements the SQL they sent (none of it to the session table).
	Pages      int64 `json:"pages"`
	Statements int64 `json:"statements"`
}

// key is how a session is filed: a hash of its ID, so the Log holds no
// credential.
type key [16]byte

func keyOf(id string) key {
	sum := sha256.Sum256([]byte("checkpoints key\x00" + id))
	return key(sum[:16])
}

// Bib is the race bib of a session ID: a four-digit number (1000-9999),
// the same for the same ID, readable from the back of a room. It is a
// hash of the ID cut to 13 bits, so it says nothing usable about the ID;
// two sessions may share a bib, as nothing here relies on it being unique.
// "" has no bib.
func Bib(id string) string {
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("checkpoints bib\x00" + id))
	return strconv.Itoa(1000 + int(binary.BigEndian.Uint32(sum[:4])%9000))
}

// runner is one followed session.
type runner struct {
	checkpoints []Checkpoint // oldest first, at most MaxCheckpoints
	ended       bool         // destroyed: no further checkpoint comes
	version     uint64       // bumped at each change, for the live feeds
	seen        uint64       // the Log's clock at the last change: least recent goes first
}

// Log keeps the checkpoints of the sessions followed. Its zero value is
// not usable: call New. It is safe for concurrent use.
type Log struct {
	mu      sync.Mutex
	runners map[key]*runner
	unnoted Unnoted
	clock   uint64
	changed chan struct{} // closed at the next change, then replaced
	streams int
}

// New returns an empty Log.
func New() *Log {
	return &Log{runners: map[key]*runner{}, changed: make(chan struct{})}
}

// note files a finished request. arrived is the session ID it carried
// (known is false where no session was loaded before the handler), ended
// the ID it left with; hasSession is false for a request that never
// looked at a session.
func (l *Log) note(hasSession, known bool, arrived, ended string, cp Checkpoint) {
	if !known {
		arrived = ended
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.broadcast()
	switch {
	case !hasSession:
		l.unnoted.Static++
		return
	case arrived == "" && ended == "":
		l.unnoted.Pages++
		l.unnoted.Statements += int64(len(cp.Statements) + cp.More)
		return
	case arrived == "":
		cp.Note = "No bib on arrival: this request issued bib " + Bib(ended) + " (a new session, its cookie sent)."
	case ended == "":
		cp.Note = "Bib " + Bib(arrived) + " withdrawn: the session was destroyed (its row deleted, its cookie expired)."
	case arrived != ended:
		cp.Note = "Bib " + Bib(arrived) + " replaced by bib " + Bib(ended) + ": the session got a new ID, keeping its data."
	}
	r := l.runners[keyOf(arrived)] // none for "": nothing is filed under it
	if r != nil && ended != "" && ended != arrived {
		// The same runner under a new bib: the history follows them.
		delete(l.runners, keyOf(arrived))
		l.runners[keyOf(ended)] = r
	}
	if r == nil {
		if ended == "" {
			return // a session never followed ended: nothing to tell
		}
		if r = l.runners[keyOf(ended)]; r == nil {
			l.evict()
			r = &runner{}
			l.runners[keyOf(ended)] = r
		}
	}
	r.checkpoints = append(r.checkpoints, cp)
	if n := len(r.checkpoints); n > MaxCheckpoints {
		r.checkpoints = append(r.checkpoints[:0:0], r.checkpoints[n-MaxCheckpoints:]...)
	}
	r.ended = ended == ""
	l.clock++
	r.version, r.seen = r.version+1, l.clock
}

// evict makes room for one more runner, forgetting the least recently
// seen. Called with mu held.
func (l *Log) evict() {
	if len(l.runners) < MaxSessions {
		return
	}
	var oldest key
	first := true
	for k, r := range l.runners {
		if first || r.seen < l.runners[oldest].seen {
			oldest, first = k, false
		}
	}
	delete(l.runners, oldest)
}

// broadcast wakes the live feeds. Called with mu held.
func (l *Log) broadcast() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// Changed returns a channel closed at the Log's next change.
func (l *Log) Changed() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.changed
}

// Snapshot is what a session's demo page shows: its checkpoints, newest
// first, and the requests no bib was noted for.
type Snapshot struct {
	Bib         string
	Followed    bool // the Log has checkpoints for this session
	Ended       bool // the session was destroyed
	Version     uint64
	Checkpoints []Checkpoint // newest first
	Unnoted     Unnoted
}

// Snapshot returns what id's page shows. Its checkpoints are copies: the
// caller may keep them.
func (l *Log) Snapshot(id string) Snapshot {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := Snapshot{Bib: Bib(id), Unnoted: l.unnoted}
	if id == "" {
		return s
	}
	r := l.runners[keyOf(id)]
	if r == nil {
		return s
	}
	s.Followed, s.Ended, s.Version = true, r.ended, r.version
	s.Checkpoints = make([]Checkpoint, len(r.checkpoints))
	for i, cp := range r.checkpoints {
		s.Checkpoints[len(r.checkpoints)-1-i] = cp
	}
	return s
}

// Join counts a live feed in, false when MaxStreams are open already;
// a feed that joined must Leave.
func (l *Log) Join() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.streams >= MaxStreams {
		return false
	}
	l.streams++
	return true
}

// Leave counts a live feed out.
func (l *Log) Leave() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.streams--
}
