package routes

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// staticFile is one file of public/, held in memory.
type staticFile struct {
	data  []byte
	etag  string
	ctype string
}

// static serves public/ (the course's express.static). In production every
// file is read into memory once, with a strong ETag, so a revisit costs a
// 304; in development files are read from disk on each request, so edits
// show on reload.
func static(files fs.FS, reload bool, notFound gin.HandlerFunc) (gin.HandlerFunc, error) {
	cache := map[string]staticFile{}
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
	start := time.Now()
	return func(c *gin.Context) {
		name := path.Clean(c.Request.URL.Path)
		f, ok := cache[name]
		if reload {
			var err error
			if f, err = loadStatic(files, strings.TrimPrefix(name, "/")); err == nil {
				ok = true
			}
		}
		if !ok {
			notFound(c)
			return
		}
		h := c.Writer.Header()
		h.Set("ETag", f.etag)
		h.Set("Content-Type", f.ctype)
		// Revalidate each use: cheap thanks to the ETag, and never stale.
		h.Set("Cache-Control", "no-cache")
		http.ServeContent(c.Writer, c.Request, name, start, bytes.NewReader(f.data))
		c.Abort()
	}, nil
}

func loadStatic(files fs.FS, p string) (staticFile, error) {
	data, err := fs.ReadFile(files, p)
	if err != nil {
		return staticFile{}, err
	}
	sum := sha256.Sum256(data)
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	return staticFile{
		data:  data,
		etag:  `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
		ctype: ctype,
	}, nil
}
