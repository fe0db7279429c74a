package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lib/pq"
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

// sessionFloor answers scenarios 2 and 3 with the app's statements and the
// app's bytes, and nothing else: no gin, no middleware, no templates, no
// session decoding, no CSRF check (the app's costs no SQL).
type sessionFloor struct {
	load, take, queue     *sql.Stmt
	account, queued, home *reply // GET /account/, the POST's 303, GET / with nothing to show
	homeFlash             *reply // GET / showing the message
	mu                    sync.Mutex
	versions              map[string]string // each session's row version, as the app's store keeps it (cache.go)
	errLog                func(error)
}

func newSessionFloor(ctx context.Context, db *sql.DB, async bool, files map[string]string) (*sessionFloor, error) {
	f := &sessionFloor{versions: map[string]string{},
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
	take, queue := takeSession, queueFlash
	if async {
		take, queue = takeSessionAsync, queueFlashAsync
	}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{{&f.load, loadSession}, {&f.take, take}, {&f.queue, queue}} {
		if *p.dst, err = db.PrepareContext(ctx, p.query); err != nil {
			return nil, err
		}
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
	var (
		err   error
		shown bool
	)
	switch {
	case !f.serves(r):
		http.NotFound(w, r)
		return
	case r.Method == http.MethodGet && r.URL.Path == "/account/":
		if _, err = f.loadRow(ctx, f.take, sid, requestKey()); err == nil {
			f.account.send(w)
		}
	case r.Method == http.MethodPost && r.URL.Path == "/demo/session/flash":
		if _, err = f.loadRow(ctx, f.load, sid); err == nil {
			err = f.queueFlash(ctx, sid)
		}
		if err == nil {
			f.queued.send(w)
		}
	case r.Method == http.MethodGet && r.URL.Path == "/":
		if shown, err = f.loadRow(ctx, f.take, sid, requestKey()); err == nil && shown {
			f.homeFlash.send(w)
		} else if err == nil {
			f.home.send(w)
		}
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

// loadRow sends stmt (loadSession or takeSession, which also takes a
// request key) with the version kept for sid and keeps the version read.
// It reports whether flash messages came back (takeSession took some).
func (f *sessionFloor) loadRow(ctx context.Context, stmt *sql.Stmt, sid string, key ...any) (bool, error) {
	f.mu.Lock()
	since, have := f.versions[sid]
	f.mu.Unlock()
	if !have {
		since = "0"
	}
	var (
		sess, flashes []byte
		expire        time.Time
		version       string
	)
	if err := stmt.QueryRowContext(ctx, append([]any{sid, since}, key...)...).Scan(&sess, &expire, &version, &flashes); err != nil {
		return false, fmt.Errorf("load: %w", err)
	}
	f.mu.Lock()
	f.versions[sid] = version
	f.mu.Unlock()
	return flashes != nil, nil
}

// queueFlash stores the POST's message, as the app's save does.
func (f *sessionFloor) queueFlash(ctx context.Context, sid string) error {
	_, err := f.queue.ExecContext(ctx, sid, pq.Array([]int64{0}), pq.Array([]string{"notice"}),
		pq.Array([]string{"This is a flash message."}))
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	return nil
}

// requestKey is a random key for a take, as the app's is for a request
// without a load balancer's request ID (22 characters).
func requestKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
