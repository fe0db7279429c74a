package controllers

// Inventory management's forms, for Employee and Admin accounts: add a
// classification; add, edit and delete a vehicle. The vehicle form itself
// (reading and validating it) is in vehicle_form.go, the classification form in
// classification_form.go.

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
)

// AddClassificationPage shows the form.
func (h *Inventory) AddClassificationPage(c *gin.Context) {
	h.base.render(c, http.StatusOK, "inventory/add-classification", "Add New Classification", classificationForm{})
}

// AddClassification adds a classification; the navigation shows it at once.
func (h *Inventory) AddClassification(c *gin.Context) {
	form := newClassificationForm(c)
	form.Errors = form.validate()
	var err error
	if len(form.Errors) == 0 {
		_, err = h.classifications.Add(c.Request.Context(), form.Name)
	}
	if errors.Is(err, models.ErrClassificationExists) {
		form.Errors = []string{"That classification already exists."}
	}
	if len(form.Errors) > 0 {
		middleware.Flash(c, "error", "Sorry, adding the classification failed.")
		h.base.render(c, http.StatusUnprocessableEntity, "inventory/add-classification", "Add New Classification", form)
		return
	}
	if err != nil {
		h.base.failed(c, err, "Sorry, adding the classification failed.", func() {
			h.base.render(c, http.StatusInternalServerError, "inventory/add-classification", "Add New Classification", form)
		})
		return
	}
	h.base.succeeded(c, "The "+form.Name+" classification was successfully added.", "/inv/")
}

// offer fills the vehicle form's classification list (the choices of its
// select, and what validate accepts), answering the request itself (the
// error page) when the list cannot be read.
func (h *Inventory) offer(c *gin.Context, f *vehicleForm) bool {
	classes, err := h.classifications.All(c.Request.Context())
	if err != nil {
		c.Error(err)
		return false
	}
	f.Classifications = classes
	return true
}

const addVehicleAction = "/inv/add-inventory"

// AddInventoryPage shows the empty vehicle form.
func (h *Inventory) AddInventoryPage(c *gin.Context) {
	form := vehicleForm{Action: addVehicleAction, Submit: "Add Vehicle",
		Image: "/images/vehicles/no-image.svg", Thumbnail: "/images/vehicles/no-image-tn.svg"}
	if h.offer(c, &form) {
		h.base.render(c, http.StatusOK, "inventory/vehicle-form", "Add New Vehicle", form)
	}
}

// AddInventory validates and inserts a vehicle.
func (h *Inventory) AddInventory(c *gin.Context) {
	form := newVehicleForm(c)
	form.Action, form.Submit = addVehicleAction, "Add Vehicle"
	if !h.offer(c, &form) {
		return
	}
	if form.Errors = form.validate(); len(form.Errors) > 0 {
		middleware.Flash(c, "error", "Sorry, the vehicle could not be added. Please correct the fields listed.")
		h.base.render(c, http.StatusUnprocessableEntity, "inventory/vehicle-form", "Add New Vehicle", form)
		return
	}
	v := form.vehicle()
	if _, err := h.inventory.Add(c.Request.Context(), v); err != nil {
		h.base.failed(c, err, "Sorry, the insert failed.", func() {
			h.base.render(c, http.StatusInternalServerError, "inventory/vehicle-form", "Add New Vehicle", form)
		})
		return
	}
	h.base.succeeded(c, "The "+v.Make+" "+v.Model+" was successfully added.", "/inv/")
}

// EditPage shows the vehicle form filled with a vehicle.
func (h *Inventory) EditPage(c *gin.Context) {
	v, ok := h.vehicle(c, "inv_id")
	if !ok {
		return
	}
	form := vehicleFormOf(v)
	form.Action, form.Submit = "/inv/update/", "Update Vehicle"
	if h.offer(c, &form) {
		h.base.render(c, http.StatusOK, "inventory/vehicle-form", "Edit "+v.Make+" "+v.Model, form)
	}
}

// Update saves the edited vehicle. Both failures flash the course's text,
// "Sorry, the insert failed.".
func (h *Inventory) Update(c *gin.Context) {
	id, ok := parseID(c.PostForm("inv_id"))
	if !ok {
		h.base.NotFound(c)
		return
	}
	form := newVehicleForm(c)
	form.ID, form.Action, form.Submit = id, "/inv/update/", "Update Vehicle"
	if !h.offer(c, &form) {
		return
	}
	title := "Edit " + form.Make + " " + form.Model
	if form.Errors = form.validate(); len(form.Errors) > 0 {
		middleware.Flash(c, "error", "Sorry, the insert failed.")
		h.base.render(c, http.StatusUnprocessableEntity, "inventory/vehicle-form", title, form)
		return
	}
	v := form.vehicle()
	if err := h.inventory.Update(c.Request.Context(), v); err != nil {
		h.base.failed(c, err, "Sorry, the insert failed.", func() {
			h.base.render(c, http.StatusInternalServerError, "inventory/vehicle-form", title, form)
		})
		return
	}
	h.base.succeeded(c, "The "+v.Make+" "+v.Model+" was successfully updated.", "/inv/")
}

// DeletePage asks for confirmation before deleting.
func (h *Inventory) DeletePage(c *gin.Context) {
	v, ok := h.vehicle(c, "inv_id")
	if !ok {
		return
	}
	h.base.render(c, http.StatusOK, "inventory/delete-confirm", "Delete "+v.Make+" "+v.Model, v)
}

// Delete removes a vehicle after confirmation; a failure goes back to the
// confirmation page.
func (h *Inventory) Delete(c *gin.Context) {
	id, _ := parseID(c.PostForm("inv_id")) // 0 names no vehicle: 404
	ctx := c.Request.Context()
	v, err := h.inventory.Get(ctx, id)
	if err == nil {
		err = h.inventory.Delete(ctx, id)
	}
	if err != nil {
		h.base.failed(c, err, "Sorry, the delete failed.", func() { h.base.redirect(c, "/inv/delete/"+strconv.Itoa(id)) })
		return
	}
	h.base.succeeded(c, "The "+v.Make+" "+v.Model+" was successfully deleted.", "/inv/")
}
