package controllers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/views"
)

// A DetailSection is a feature's part of a vehicle's detail page: the
// reviews today, a student's feature tomorrow. The feature is wired in
// routes.New with Detail.Add, and the detail page knows nothing else of it:
// adding one edits no other feature's controller or template
// (docs/enhancement.md, section 4).
type DetailSection interface {
	// DetailSection returns the feature's section of vehicle v's page for
	// the visitor of c: its partial and its data (for a fresh form, a
	// logged-in visitor's, say).
	DetailSection(c *gin.Context, v models.Vehicle) (views.Section, error)
}

// Detail is the vehicle detail page (views/inventory/detail.html): the
// vehicle, then each feature's section in the order they were added.
type Detail struct {
	base      *Base
	inventory *models.Inventory
	sections  []DetailSection
}

// NewDetail returns the detail page, with no sections yet.
func NewDetail(base *Base, inventory *models.Inventory) *Detail {
	return &Detail{base: base, inventory: inventory}
}

// Add puts a feature's section at the end of the page. routes.New calls it
// while wiring, before the router serves: Detail is not changed after.
func (d *Detail) Add(s DetailSection) { d.sections = append(d.sections, s) }

// Show shows vehicle :invId and every section.
func (d *Detail) Show(c *gin.Context) {
	id, _ := pathID(c, "invId")
	if v, ok := d.Vehicle(c, id); ok {
		d.render(c, http.StatusOK, v, nil, views.Section{})
	}
}

// Vehicle loads vehicle id for a feature's handler, answering the request
// itself when it cannot: 404 for no such vehicle (or id 0, which a bad id
// parses to), the error page otherwise.
func (d *Detail) Vehicle(c *gin.Context, id int) (models.Vehicle, bool) {
	v, err := d.inventory.Get(c.Request.Context(), id)
	return v, d.base.found(c, err)
}

// Resend shows vehicle v's page again for a feature whose form was refused
// (status 422) or could not be saved (500): the feature's own section is
// sent, built from the form as sent, with its errors and its fields kept,
// and every other section is built as on Show.
func (d *Detail) Resend(c *gin.Context, status int, v models.Vehicle, from DetailSection, sent views.Section) {
	d.render(c, status, v, from, sent)
}

func (d *Detail) render(c *gin.Context, status int, v models.Vehicle, from DetailSection, sent views.Section) {
	sections := make([]views.Section, len(d.sections))
	for i, feature := range d.sections {
		if feature == from {
			sections[i] = sent
			continue
		}
		s, err := feature.DetailSection(c, v)
		if err != nil {
			c.Error(err)
			return
		}
		sections[i] = s
	}
	page := d.base.page(c, v.Year+" "+v.Make+" "+v.Model, v, true)
	page.Sections = sections
	d.base.renderPage(c, status, "inventory/detail", page)
}
