package views

import (
	"fmt"
	"html/template"
	"strings"
)

// Section is one part of a page that a feature adds without the page
// knowing it: the detail page lists the vehicle, then each feature's
// section (the reviews; a student's feature tomorrow). The feature names
// its partial and gives its data; the page's template shows the result
// with {{range .Sections}}{{.HTML}}{{end}}.
type Section struct {
	// Template is the partial that draws the section, a {{define}} in
	// views/partials/ (every page's set holds them all).
	Template string
	Data     any
	// HTML is the section drawn, set by Render.
	HTML template.HTML
}

// SectionView is what a section's partial receives: the page (for its
// CSRF token, to put in the section's form, and the logged-in Account) and
// the section's own Data.
type SectionView struct {
	Page *Page
	Data any
}

// renderSections draws each of page's sections with t's partials. It runs
// when the page is about to be written, after the CSRF token is set.
func renderSections(t *template.Template, page *Page) error {
	for i, s := range page.Sections {
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, s.Template, SectionView{Page: page, Data: s.Data}); err != nil {
			return fmt.Errorf("views: render the %s section: %w", s.Template, err)
		}
		page.Sections[i].HTML = template.HTML(b.String()) // html/template escaped it
	}
	return nil
}
