package middleware

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Text is sent gzip-compressed to browsers that accept it: a page or the
// stylesheet shrinks to a fifth. Static files and cached pages are
// compressed once, at the best level; a page built for one visitor is
// compressed as it is sent, at the fastest level, when it is big enough
// for that to pay.

// MinCompress is the size below which a body is sent as it is: under a
// few packets, compressing saves no round trip and costs CPU.
const MinCompress = 1024

// AcceptsGzip reports whether the request's Accept-Encoding allows gzip:
// "gzip" with a q above 0, or, when gzip is not named, "*" with a q above
// 0. Names and parameters are case-insensitive (RFC 9110, 12.5.3).
func AcceptsGzip(r *http.Request) bool {
	gzipQ, starQ := -1.0, -1.0 // -1: not named
	for _, line := range r.Header["Accept-Encoding"] {
		for part := range strings.SplitSeq(line, ",") {
			name, params, _ := strings.Cut(part, ";")
			q := 1.0
			if k, v, ok := strings.Cut(params, "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if q, _ = strconv.ParseFloat(strings.TrimSpace(v), 64); q < 0 || q > 1 {
					q = 0
				}
			}
			switch name = strings.TrimSpace(name); {
			case strings.EqualFold(name, "gzip"):
				gzipQ = q
			case name == "*":
				starQ = q
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// Gzipper compresses bodies at one level, reusing its writers: each holds
// about 800 KB of tables, too much to allocate per response.
type Gzipper struct {
	level int
	pool  sync.Pool // *gzip.Writer
}

// NewGzipper returns a Gzipper for level (gzip.BestSpeed to
// gzip.BestCompression).
func NewGzipper(level int) *Gzipper {
	return &Gzipper{level: min(max(level, gzip.BestSpeed), gzip.BestCompression)}
}

// Compress returns data gzipped, or nil when data is under MinCompress or
// gzip would not save at least a tenth: the caller then sends data as it
// is.
func (g *Gzipper) Compress(data []byte) []byte {
	if len(data) < MinCompress {
		return nil
	}
	var buf bytes.Buffer
	buf.Grow(len(data) / 3)
	w, _ := g.pool.Get().(*gzip.Writer)
	if w == nil {
		w, _ = gzip.NewWriterLevel(&buf, g.level) // the level is in range
	} else {
		w.Reset(&buf)
	}
	w.Write(data) // writes to a bytes.Buffer do not fail
	w.Close()
	g.pool.Put(w)
	if buf.Len() > len(data)*9/10 {
		return nil
	}
	return buf.Bytes()
}
