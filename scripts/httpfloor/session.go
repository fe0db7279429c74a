package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// reply is a response captured from the app (curl -si): replayed as is,
// status, headers and body, so the floor sends the app's bytes.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// readReply reads a captured response. Date and the framing headers are
// left for net/http to write.
func readReply(file string) (*reply, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for _, h := range []string{"Date", "Content-Length", "Transfer-Encoding", "Connection"} {
		res.Header.Del(h)
	}
	res.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return &reply{status: res.StatusCode, header: res.Header, body: body}, nil
}

func (r *reply) send(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	w.WriteHeader(r.status)
	w.Write(r.body)
}

// kept is what the floor remembers of a session row between requests, as
// the app's store does (sessionstore/postgres/cache.go): its version and
// its sess, so that the load can ask for sess only when it changed.
type kept struct {
	version string
	sess    []byte
}

// sessionFloor answers scenarios 2 and 3 with the app's statements and the
// app's bytes, and nothing else: no gin, no middleware, no templates, no
// CSRF check (the app's costs no SQL).
type sessionFloor struct {
	load, save            *sql.Stmt
	account, queued, home *reply // GET /account/, the POST's 303, GET / with nothing to show
	homeFlash             *reply // GET / showing the message
	mu                    sync.Mutex
	rows                  map[string]kept
	message               json.RawMessage // the flash entry the POST adds
	errLog                func(error)
}

// flashEntry is the flash value the app's demo POST stores, in the
// connect-flash shape the app uses ({"<type>": ["message", ...]}).
var flashEntry = json.RawMessage(`{"notice":["This is a flash message."]}`)

func newSessionFloor(ctx context.Context, db *sql.DB, async bool, files map[string]string) (*sessionFloor, error) {
	f := &sessionFloor{rows: map[string]kept{}, message: flashEntry,
		errLog: func(err error) { fmt.Fprintln(os.Stderr, "httpfloor:", err) }}
	var err error
	for _, r := range []struct {
		dst  **reply
		name string
	}{{&f.account, "account"}, {&f.queued, "flash-post"}, {&f.home, "home"}, {&f.homeFlash, "home-flash"}} {
		if files[r.name] == "" {
			continue // not captured: that route answers 404
		}
		if *r.dst, err = readReply(files[r.name]); err != nil {
			return nil, fmt.Errorf("-%s: %w", r.name, err)
		}
	}
	if f.account == nil && (f.queued == nil || f.home == nil || f.homeFlash == nil) {
		return nil, errors.New("give -account (scenario 2), or -flash-post, -home and -home-flash (scenario 3)")
	}
	save := saveSession
	if async {
		save = saveSessionAsync
	}
	if f.load, err = db.PrepareContext(ctx, loadSession); err != nil {
		return nil, err
	}
	if f.save, err = db.PrepareContext(ctx, save); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *sessionFloor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sid, ok := sessionID(r)
	if !ok {
		http.Error(w, "no session cookie", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 1500*time.Millisecond)
	defer cancel()
	var err error
	switch {
	case !f.serves(r):
		http.NotFound(w, r)
		return
	case r.Method == http.MethodGet && r.URL.Path == "/account/":
		_, _, err = f.loadRow(ctx, sid)
		if err == nil {
			f.account.send(w)
		}
	case r.Method == http.MethodPost && r.URL.Path == "/demo/session/flash":
		err = f.queue(ctx, sid)
		if err == nil {
			f.queued.send(w)
		}
	case r.Method == http.MethodGet && r.URL.Path == "/":
		var shown bool
		if shown, err = f.show(ctx, sid); err == nil && shown {
			f.homeFlash.send(w)
		} else if err == nil {
			f.home.send(w)
		}
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		f.errLog(err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
	}
}

// serves reports whether a response was captured for r's route.
func (f *sessionFloor) serves(r *http.Request) bool {
	switch r.Method + " " + r.URL.Path {
	case "GET /account/":
		return f.account != nil
	case "POST /demo/session/flash", "GET /":
		return f.queued != nil
	}
	return false
}

// sessionID reads the ID from the app's cookie, "sessionId=<id>.<signature>";
// the floor does not verify the signature (no SQL in it).
func sessionID(r *http.Request) (string, bool) {
	c, err := r.Cookie("sessionId")
	if err != nil {
		return "", false
	}
	id, _, ok := strings.Cut(c.Value, ".")
	return id, ok && id != ""
}

// loadRow sends loadSession and returns the row's values and expiry.
func (f *sessionFloor) loadRow(ctx context.Context, sid string) (map[string]json.RawMessage, time.Time, error) {
	f.mu.Lock()
	k, have := f.rows[sid]
	f.mu.Unlock()
	since := "0"
	if have {
		since = k.version
	}
	var (
		raw     []byte
		expire  time.Time
		version string
	)
	if err := f.load.QueryRowContext(ctx, sid, since).Scan(&raw, &expire, &version); err != nil {
		return nil, expire, fmt.Errorf("load: %w", err)
	}
	if raw == nil {
		raw = k.sess
	}
	f.mu.Lock()
	f.rows[sid] = kept{version: version, sess: raw}
	f.mu.Unlock()
	var row map[string]json.RawMessage
	if err := json.Unmarshal(raw, &row); err != nil {
		return nil, expire, fmt.Errorf("sess of %.8s…: %w", sid, err)
	}
	return row, expire, nil
}

// saveRow sends saveSession with the row's new values, keeping its expiry
// (the app moves it at most once a minute; a run lasts seconds).
func (f *sessionFloor) saveRow(ctx context.Context, sid string, row map[string]json.RawMessage, expire time.Time) error {
	f.mu.Lock()
	version := f.rows[sid].version
	f.mu.Unlock()
	sess, err := json.Marshal(row)
	if err != nil {
		return err
	}
	var next string
	err = f.save.QueryRowContext(ctx, sid, sess, expire, version).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("save: session %.8s… changed by someone else", sid)
	}
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	f.mu.Lock()
	f.rows[sid] = kept{version: next, sess: sess}
	f.mu.Unlock()
	return nil
}

// queue is the POST of scenario 3: load, add the message, save.
func (f *sessionFloor) queue(ctx context.Context, sid string) error {
	row, expire, err := f.loadRow(ctx, sid)
	if err != nil {
		return err
	}
	if old, ok := row["flash"]; ok {
		var q map[string][]string
		if err := json.Unmarshal(old, &q); err != nil {
			return err
		}
		q["notice"] = append(q["notice"], "This is a flash message.")
		if row["flash"], err = json.Marshal(q); err != nil {
			return err
		}
	} else {
		row["flash"] = f.message
	}
	return f.saveRow(ctx, sid, row, expire)
}

// show is the GET of scenario 3: load, and when a message waits, take it
// and save. It reports whether there was one to show.
func (f *sessionFloor) show(ctx context.Context, sid string) (bool, error) {
	row, expire, err := f.loadRow(ctx, sid)
	if err != nil {
		return false, err
	}
	if _, ok := row["flash"]; !ok {
		return false, nil
	}
	delete(row, "flash")
	return true, f.saveRow(ctx, sid, row, expire)
}
