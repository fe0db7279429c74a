package postgres

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
)

// saveWriter is gin's ResponseWriter with the session's save in front of
// the first byte: every way a response's header can leave (a write, an
// explicit WriteHeaderNow, a flush, a hijack) saves the session first.
// WriteHeader passes through untouched: gin only records the status
// there, and the handler may still change the session after c.Status.
type saveWriter struct {
	gin.ResponseWriter
	rs     *requestSession
	done   bool // the save has run (or was given up: a panic)
	failed bool // it failed: the 503 page went out instead of the handler's
}

func (w *saveWriter) WriteHeaderNow() {
	if w.before() {
		w.ResponseWriter.WriteHeaderNow()
	}
}

func (w *saveWriter) Write(b []byte) (int, error) {
	if !w.before() {
		return len(b), nil // the 503 page is the answer
	}
	return w.ResponseWriter.Write(b)
}

func (w *saveWriter) WriteString(s string) (int, error) {
	if !w.before() {
		return len(s), nil
	}
	return w.ResponseWriter.WriteString(s)
}

func (w *saveWriter) Flush() {
	if w.before() {
		w.ResponseWriter.Flush()
	}
}

func (w *saveWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if !w.before() {
		return nil, nil, errors.New("postgres: session not saved; the connection was answered with 503")
	}
	return w.ResponseWriter.Hijack()
}

// before saves the session unless it was, and reports whether the
// handler's output may go out.
func (w *saveWriter) before() bool {
	if !w.done {
		w.save(true)
	}
	return !w.failed
}

// save saves the session. writing: the handler is sending its own answer,
// which shows the flash messages it took if it is a page (see showsPage);
// otherwise they are put back.
func (w *saveWriter) save(writing bool) {
	w.done = true
	rs := w.rs
	if rs.s == nil {
		return // never touched: nothing to save
	}
	r := rs.c.Request
	shown := writing && r.Method != http.MethodHead && !headOnly(r.Context()) && showsPage(w.Status())
	// Not cut short by a client that goes away: the messages it took must
	// go back, and a login must not be half done.
	err := rs.store.save(context.WithoutCancel(r.Context()), w.ResponseWriter, rs.s, true, shown)
	if err != nil {
		w.fail(err)
	}
}

// showsPage reports whether a response with this status carries a page a
// visitor reads: a 2xx or an error page (a form shown again with a 422 or
// a 401), not a redirect, a 304 or an empty 204.
func showsPage(status int) bool {
	switch {
	case status == http.StatusNoContent || status == http.StatusResetContent:
		return false
	case status >= 300 && status < 400:
		return false
	}
	return status >= 200
}

// answerHeaders describe the handler's answer; a failed save drops them
// (the security headers stay) before the 503 page is written.
var answerHeaders = []string{"Set-Cookie", "Location", "Content-Type", "Content-Length", "Content-Encoding",
	"Content-Disposition", "Cache-Control", "Vary", "Etag", "Last-Modified"}

// fail answers the 503 page in place of the handler's answer, which is
// dropped from here on. The error is logged once, by the app's request log.
func (w *saveWriter) fail(err error) {
	w.failed = true
	c := w.rs.c
	c.Error(err)
	h := w.ResponseWriter.Header()
	for _, k := range answerHeaders {
		h.Del(k)
	}
	c.Writer = w.ResponseWriter
	w.rs.unavailable(c)
	c.Writer = w
	c.Abort()
}
