package routes

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/public"
)

// staticFile is one file of public/, held in memory with its headers.
type staticFile struct {
	data  []byte
	etag  string // quoted fingerprint
	fp    string // public.Fingerprint of data
	ctype string
	size  string
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
			f, err := loadStatic(files, p)
			cache["/"+p] = f
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	var (
		immutable  = []string{"public, max-age=31536000, immutable"}
		revalidate = []string{"no-cache"}
	)
	return func(c *gin.Context) {
		name := c.Request.URL.Path
		f := cache[name]
		if reload {
			f, _ = loadStatic(files, strings.TrimPrefix(path.Clean(name), "/"))
		}
		if f == nil {
			notFound(c)
			c.Abort()
			return
		}
		h := c.Writer.Header()
		h["Etag"] = []string{f.etag}
		if v := c.Request.URL.RawQuery; v != "" && v == "v="+f.fp {
			h["Cache-Control"] = immutable
		} else {
			h["Cache-Control"] = revalidate
		}
		if match := c.Request.Header.Get("If-None-Match"); match != "" && strings.Contains(match, f.etag) {
			c.Writer.WriteHeader(http.StatusNotModified)
			c.Abort()
			return
		}
		h["Content-Type"] = []string{f.ctype}
		h["Content-Length"] = []string{f.size}
		c.Writer.WriteHeader(http.StatusOK)
		if c.Request.Method != http.MethodHead {
			c.Writer.Write(f.data)
		}
		c.Abort()
	}, nil
}

func loadStatic(files fs.FS, p string) (*staticFile, error) {
	data, err := fs.ReadFile(files, p)
	if err != nil {
		return nil, err
	}
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	fp := public.Fingerprint(data)
	return &staticFile{data: data, etag: `"` + fp + `"`, fp: fp, ctype: ctype, size: strconv.Itoa(len(data))}, nil
}
