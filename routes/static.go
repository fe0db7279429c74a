package routes

import (
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/public"
)

// staticFile is one file of public/, held in memory with its headers,
// and gzipped once when it is text that shrinks.
type staticFile struct {
	data   []byte
	etag   string // quoted fingerprint
	fp     string // public.Fingerprint of data
	ctype  string
	size   string
	gz     []byte // data gzipped, nil when not worth it
	gzEtag string // the gzipped representation's own ETag
	gzSize string
}

// static serves public/ (the course's express.static). In production every
// file is read into memory once, with its fingerprint as a strong ETag: a
// URL carrying the fingerprint (?v=..., as the templates' asset links do)
// may be kept by browsers for a year, any other is revalidated with a
// cheap 304. In development files are read from disk on each request, so
// edits show on reload.
func static(files fs.FS, reload bool, notFound gin.HandlerFunc) (gin.HandlerFunc, error) {
	cache := map[string]*staticFile{}
	if !reload {
		err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			f, err := loadStatic(files, p, true)
			cache["/"+p] = f
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return func(c *gin.Context) {
		name := c.Request.URL.Path
		f := cache[name]
		if reload {
			f, _ = loadStatic(files, strings.TrimPrefix(path.Clean(name), "/"), false)
		}
		if f == nil {
			notFound(c)
		} else {
			f.serve(c)
		}
		c.Abort()
	}, nil
}

// Header values shared by every response (assigned, never changed).
var (
	immutable  = []string{"public, max-age=31536000, immutable"}
	revalidate = []string{"no-cache"}
	vary       = []string{"Accept-Encoding"}
	gzipped    = []string{"gzip"}
)

// serve sends the file, gzipped to a browser that accepts it when that
// pays, or a 304 when the browser's copy is current.
func (f *staticFile) serve(c *gin.Context) {
	h := c.Writer.Header()
	data, etag, size := f.data, f.etag, f.size
	if f.gz != nil {
		h["Vary"] = vary
		if middleware.AcceptsGzip(c.Request) {
			data, etag, size = f.gz, f.gzEtag, f.gzSize
			h["Content-Encoding"] = gzipped
		}
	}
	h["Etag"] = []string{etag}
	if v := c.Request.URL.RawQuery; v != "" && v == "v="+f.fp {
		h["Cache-Control"] = immutable
	} else {
		h["Cache-Control"] = revalidate
	}
	if match := c.Request.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		c.Writer.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = []string{f.ctype}
	h["Content-Length"] = []string{size}
	c.Writer.WriteHeader(http.StatusOK)
	if c.Request.Method != http.MethodHead {
		c.Writer.Write(data)
	}
}

// loadStatic reads file p, gzipping it when compress is set (production:
// once, at start-up).
func loadStatic(files fs.FS, p string, compress bool) (*staticFile, error) {
	data, err := fs.ReadFile(files, p)
	if err != nil {
		return nil, err
	}
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	fp := public.Fingerprint(data)
	f := &staticFile{data: data, etag: `"` + fp + `"`, fp: fp, ctype: ctype, size: strconv.Itoa(len(data))}
	if compress && compressible(ctype) {
		if f.gz = middleware.NewGzipper(gzip.BestCompression).Compress(data); f.gz != nil {
			f.gzEtag, f.gzSize = `"`+fp+`-gz"`, strconv.Itoa(len(f.gz))
		}
	}
	return f, nil
}

// compressible reports whether a file of type ctype is text that gzip
// shrinks (pictures other than SVG are compressed already).
func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "image/svg+xml") ||
		strings.Contains(ctype, "javascript") || strings.Contains(ctype, "json")
}
