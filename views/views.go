// Package views holds the HTML templates (layouts, partials and one file per
// page, as the course's views folder) and renders them with html/template,
// which escapes every value for the context it lands in.
package views

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/cse-motors/cse-motors/public"
	"github.com/cse-motors/cse-motors/session"
)

// Page is what every template receives: the parts the layout needs, filled
// by the base controller, and the page's own Data.
type Page struct {
	Title string
	Path  string // the request path, to mark the current navigation link
	// Navigation is the rendered navigation partial: the same for every
	// visitor of a page, so the base controller renders it once per page
	// and classification list (Views.Navigation) instead of per request.
	Navigation template.HTML
	// Assets is the rendered assets partial (the icon and stylesheet
	// links): the same on every page, rendered once. Render sets it.
	Assets  template.HTML
	Flash   []session.FlashGroup
	Account *session.Account // nil when logged out
	CSRF    string           // token for forms
	Year    int
	Data    any
	// Sections are parts of the page that features add (the detail
	// page's reviews): Render renders each (sections.go).
	Sections []Section
}

// navigation is the data of partials/navigation.html.
type navigation struct {
	Path string
	Nav  []NavItem
}

// NavItem is one classification link in the navigation.
type NavItem struct {
	ID      int
	Name    string
	URL     string
	Current bool // the page being shown: marked aria-current
}

// Views renders pages. Each page gets its own template set (layout +
// partials + page), because every page defines "content" and one shared set
// would let the last page parsed win.
type Views struct {
	files  fs.FS
	reload bool // development: parse from disk on every render
	pages  map[string]*template.Template
	funcs  template.FuncMap
	assets template.HTML // partials/assets.html, rendered once
}

// New parses every page in files once. With reload set (development), each
// Render parses the page again, so template edits show on the next reload.
// assets is the public/ tree, for the asset links' fingerprints.
func New(files, assets fs.FS, reload bool) (*Views, error) {
	v := &Views{files: files, reload: reload, funcs: funcs(assets, reload)}
	pages, err := parseAll(files, v.funcs)
	if err != nil {
		return nil, err
	}
	v.pages = pages
	// Each {{asset}} link costs three escaping calls per page; rendered
	// once here, the links cost none.
	if v.assets, err = v.renderAssets(); err != nil {
		return nil, err
	}
	return v, nil
}

// Reloads reports whether templates are read again at every render
// (development): a part rendered once must then be rendered anew.
func (v *Views) Reloads() bool { return v.reload }

// renderAssets renders partials/assets.html.
func (v *Views) renderAssets() (template.HTML, error) {
	return v.partial("assets", nil)
}

// Navigation renders partials/navigation.html: the Home link and one link
// per classification in nav, the one for path marked as the current page.
func (v *Views) Navigation(nav []NavItem, path string) (template.HTML, error) {
	return v.partial("navigation", navigation{Path: path, Nav: nav})
}

// partial renders the partial name on its own, for a page to include
// as it is: the parts rendered once rather than per request.
func (v *Views) partial(name string, data any) (template.HTML, error) {
	t, err := v.lookup("index") // every page's set holds the partials
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("views: render the %s partial: %w", name, err)
	}
	return template.HTML(b.String()), nil // html/template escaped it
}

// Render executes page into w. Pass a buffer and write it out only when
// Render succeeds, so a template error never sends half a page.
func (v *Views) Render(w io.Writer, page string, data *Page) error {
	t, err := v.lookup(page)
	if err != nil {
		return err
	}
	data.Assets = v.assets
	if v.reload { // development: the files may have changed
		if data.Assets, err = v.renderAssets(); err != nil {
			return err
		}
	}
	if err := renderSections(t, data); err != nil {
		return err
	}
	if err := t.ExecuteTemplate(w, "layout", data); err != nil {
		return fmt.Errorf("views: render %s: %w", page, err)
	}
	return nil
}

func (v *Views) lookup(page string) (*template.Template, error) {
	if v.reload {
		return parsePage(v.files, page+".html", v.funcs)
	}
	t, ok := v.pages[page]
	if !ok {
		return nil, fmt.Errorf("views: no page %q", page)
	}
	return t, nil
}

// parseAll parses every .html file outside layouts/ and partials/ as a page
// named by its path without extension ("index", "errors/error").
func parseAll(files fs.FS, fm template.FuncMap) (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".html" ||
			strings.HasPrefix(p, "layouts/") || strings.HasPrefix(p, "partials/") {
			return nil
		}
		t, err := parsePage(files, p, fm)
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
func funcs(assets fs.FS, reload bool) template.FuncMap {
	return template.FuncMap{
		"dollars": Dollars,
		"number":  func(n int) string { return Number(int64(n)) },
		"asset":   assetLinks(assets, reload),
		"stars":   Stars,
		"date":    func(t time.Time) string { return t.Format("January 2, 2006") },
	}
}

// assetLinks returns the "asset" template function: "/css/styles.css"
// becomes "/css/styles.css?v=<fingerprint>", a URL browsers may cache for
// a year because a changed file gets a new one. Fingerprints are computed
// once; in development (reload) links stay plain, as files change.
func assetLinks(assets fs.FS, reload bool) func(string) string {
	if reload || assets == nil {
		return func(p string) string { return p }
	}
	// Every file's link, computed once: the map is only read afterwards,
	// by every page, without a lock.
	known := map[string]string{}
	fs.WalkDir(assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := fs.ReadFile(assets, p); err == nil {
				known["/"+p] = "/" + p + "?v=" + public.Fingerprint(data)
			}
		}
		return nil
	})
	return func(p string) string {
		if link, ok := known[p]; ok {
			return link
		}
		return p
	}
}

func parsePage(files fs.FS, page string, fm template.FuncMap) (*template.Template, error) {
	t, err := template.New(page).Funcs(fm).ParseFS(files, "layouts/*.html", "partials/*.html", page)
	if err != nil {
		return nil, fmt.Errorf("views: parse %s: %w", page, err)
	}
	return t, nil
}
