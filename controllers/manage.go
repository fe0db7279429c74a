package controllers

// Inventory management's forms, for Employee and Admin accounts: add a
// classification; add, edit and delete a vehicle. The vehicle form itself
// (reading and validating it) is in vehicle_form.go.

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
)

// classificationForm is the data of views/inventory/add-classification.html.
type classificationForm struct {
	Name   string
	Errors []string
}

var classificationName = regexp.MustCompile(`^[A-Za-z0-9]{1,30}$`)

// AddClassificationPage shows the form.
func (h *Inventory) AddClassificationPage(c *gin.Context) {
	h.base.render(c, http.StatusOK, "inventory/add-classification", "Add New Classification", classificationForm{})
}

// AddClassification adds a classification; the navigation shows it at once.
func (h *Inventory) AddClassification(c *gin.Context) {
	form := classificationForm{Name: strings.TrimSpace(c.PostForm("classification_name"))}
	var err error
	if !classificationName.MatchString(form.Name) {
		form.Errors = []string{"Please provide a classification name: letters and digits only, no spaces or special characters (at most 30)."}
	} else if _, err = h.classifications.Add(c.Request.Context(), form.Name); errors.Is(err, models.ErrClassificationExists) {
		form.Errors = []string{"That classification already exists."}
	}
	again := func(status int) {
		h.base.render(c, status, "inventory/add-classification", "Add New Classification", form)
	}
	if len(form.Errors) > 0 {
		middleware.Flash(c, "error", "Sorry, adding the classification failed.")
		again(http.StatusUnprocessableEntity)
		return
	}
	h.base.saved(c, err, "Sorry, adding the classification failed.", again,
		"The "+form.Name+" classification was successfully added.", "/inv/")
}

// renderVehicleForm renders the add or edit form with the classification
// list for its select.
func (h *Inventory) renderVehicleForm(c *gin.Context, status int, title string, f vehicleForm) {
	classes, err := h.classifications.All(c.Request.Context())
	if err != nil {
		c.Error(err)
		return
	}
	f.Classifications = classes
	h.base.render(c, status, "inventory/vehicle-form", title, f)
}

const addVehicleAction = "/inv/add-inventory"

// AddInventoryPage shows the empty vehicle form.
func (h *Inventory) AddInventoryPage(c *gin.Context) {
	h.renderVehicleForm(c, http.StatusOK, "Add New Vehicle", vehicleForm{Action: addVehicleAction, Submit: "Add Vehicle",
		Image: "/images/vehicles/no-image.svg", Thumbnail: "/images/vehicles/no-image-tn.svg"})
}

// AddInventory validates and inserts a vehicle.
func (h *Inventory) AddInventory(c *gin.Context) {
	f := readVehicleForm(c)
	f.Action, f.Submit = addVehicleAction, "Add Vehicle"
	h.saveVehicle(c, f, vehicleSave{
		title:   "Add New Vehicle",
		invalid: "Sorry, the vehicle could not be added. Please correct the fields listed.",
		failed:  "Sorry, the insert failed.",
		done:    "was successfully added.",
		save: func(ctx context.Context, v models.Vehicle) error {
			_, err := h.inventory.Add(ctx, v)
			return err
		},
	})
}

// EditPage shows the vehicle form filled with a vehicle.
func (h *Inventory) EditPage(c *gin.Context) {
	v, ok := h.vehicle(c, "inv_id")
	if !ok {
		return
	}
	f := vehicleFormOf(v)
	f.Action, f.Submit = "/inv/update/", "Update Vehicle"
	h.renderVehicleForm(c, http.StatusOK, "Edit "+v.Make+" "+v.Model, f)
}

// Update saves the edited vehicle.
func (h *Inventory) Update(c *gin.Context) {
	id, ok := parseID(c.PostForm("inv_id"))
	if !ok {
		h.base.NotFound(c)
		return
	}
	f := readVehicleForm(c)
	f.ID, f.Action, f.Submit = id, "/inv/update/", "Update Vehicle"
	h.saveVehicle(c, f, vehicleSave{
		title:   "Edit " + f.Make + " " + f.Model,
		invalid: "Sorry, the insert failed.", // the course's text, for both failures
		failed:  "Sorry, the insert failed.",
		done:    "was successfully updated.",
		save:    h.inventory.Update,
	})
}

// vehicleSave is what differs between adding and updating a vehicle.
type vehicleSave struct {
	title           string // of the form's page, shown again after an error
	invalid, failed string // flash texts: bad fields, a failed save
	done            string // flash text after "The <make> <model> "
	save            func(context.Context, models.Vehicle) error
}

// saveVehicle validates f and saves it: on success the flash and a
// redirect to the management page, otherwise the form again with its
// errors (422) or the failure (500), the fields kept.
func (h *Inventory) saveVehicle(c *gin.Context, f vehicleForm, s vehicleSave) {
	classes, err := h.classifications.All(c.Request.Context())
	if err != nil {
		c.Error(err)
		return
	}
	v, ok := f.validate(classes)
	if !ok {
		middleware.Flash(c, "error", s.invalid)
		h.renderVehicleForm(c, http.StatusUnprocessableEntity, s.title, f)
		return
	}
	h.base.saved(c, s.save(c.Request.Context(), v), s.failed,
		func(status int) { h.renderVehicleForm(c, status, s.title, f) },
		"The "+v.Make+" "+v.Model+" "+s.done, "/inv/")
}

// DeletePage asks for confirmation before deleting.
func (h *Inventory) DeletePage(c *gin.Context) {
	v, ok := h.vehicle(c, "inv_id")
	if !ok {
		return
	}
	h.base.render(c, http.StatusOK, "inventory/delete-confirm", "Delete "+v.Make+" "+v.Model, v)
}

// Delete removes a vehicle after confirmation.
func (h *Inventory) Delete(c *gin.Context) {
	id, ok := parseID(c.PostForm("inv_id"))
	if !ok {
		h.base.NotFound(c)
		return
	}
	ctx := c.Request.Context()
	v, err := h.inventory.Get(ctx, id)
	if err == nil {
		err = h.inventory.Delete(ctx, id)
	}
	h.base.saved(c, err, "Sorry, the delete failed.",
		func(int) { h.base.redirect(c, "/inv/delete/"+strconv.Itoa(id)) },
		"The "+v.Make+" "+v.Model+" was successfully deleted.", "/inv/")
}
