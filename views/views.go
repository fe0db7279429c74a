// Package views holds the HTML templates (layouts, partials and one file per
// page, as the course's views folder) and renders them with html/template,
// which escapes every value for the context it lands in.
package views

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"
)

// Page is what every template receives: the parts the layout needs, filled
// by the base controller, and the page's own Data.
type Page struct {
	Title   string
	Path    string // the request path, to mark the current navigation link
	Nav     []NavItem
	Flash   []FlashGroup
	Account *Account // nil when logged out
	CSRF    string   // token for forms
	Year    int
	Data    any
}

// NavItem is one classification link in the navigation.
type NavItem struct {
	ID   int
	Name string
}

// FlashGroup is the flash messages of one type, rendered as <ul class="Type">.
type FlashGroup struct {
	Type     string
	Messages []string
}

// Account is what the header shows about a logged-in visitor.
type Account struct {
	ID        int
	FirstName string
	Type      string
}

// Views renders pages. Each page gets its own template set (layout +
// partials + page), because every page defines "content" and one shared set
// would let the last page parsed win.
type Views struct {
	files  fs.FS
	reload bool // development: parse from disk on every render
	pages  map[string]*template.Template
	bufs   sync.Pool
}

// New parses every page in files once. With reload set (development), each
// Render parses the page again, so template edits show on the next reload.
func New(files fs.FS, reload bool) (*Views, error) {
	v := &Views{files: files, reload: reload}
	v.bufs.New = func() any { return new(bytes.Buffer) }
	pages, err := parseAll(files)
	if err != nil {
		return nil, err
	}
	v.pages = pages
	return v, nil
}

// Render executes page into a buffer first, so a template error never sends
// half a page, then writes it to w.
func (v *Views) Render(w io.Writer, page string, data *Page) error {
	t, err := v.lookup(page)
	if err != nil {
		return err
	}
	buf := v.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer v.bufs.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("views: render %s: %w", page, err)
	}
	_, err = buf.WriteTo(w)
	return err
}

func (v *Views) lookup(page string) (*template.Template, error) {
	if v.reload {
		return parsePage(v.files, page+".html")
	}
	t, ok := v.pages[page]
	if !ok {
		return nil, fmt.Errorf("views: no page %q", page)
	}
	return t, nil
}

// parseAll parses every .html file outside layouts/ and partials/ as a page
// named by its path without extension ("index", "errors/error").
func parseAll(files fs.FS) (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".html" ||
			strings.HasPrefix(p, "layouts/") || strings.HasPrefix(p, "partials/") {
			return nil
		}
		t, err := parsePage(files, p)
		if err != nil {
			return err
		}
		pages[strings.TrimSuffix(p, ".html")] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pages, nil
}

// funcs are the helpers templates may call.
func funcs() template.FuncMap {
	return template.FuncMap{
		"dollars": Dollars,
		"number":  func(n int) string { return Number(int64(n)) },
	}
}

// Number formats n with thousands separators: 101222 → "101,222".
func Number(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Dollars formats whole dollars: 25000 → "$25,000".
func Dollars(n int64) string { return "$" + Number(n) }

func parsePage(files fs.FS, page string) (*template.Template, error) {
	t, err := template.New(page).Funcs(funcs()).ParseFS(files, "layouts/*.html", "partials/*.html", page)
	if err != nil {
		return nil, fmt.Errorf("views: parse %s: %w", page, err)
	}
	return t, nil
}
