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

	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
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
		session.Flash(c, "error", "Sorry, adding the classification failed.")
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

// AddInventoryPage shows the empty vehicle form.
func (h *Inventory) AddInventoryPage(c *gin.Context) {
	form := vehicleForm{Image: "/images/vehicles/no-image.svg", Thumbnail: "/images/vehicles/no-image-tn.svg"}
	if h.offer(c, &form) {
		h.base.render(c, http.StatusOK, "inventory/vehicle-form", form.title(), form)
	}
}

// AddInventory validates and inserts a vehicle.
func (h *Inventory) AddInventory(c *gin.Context) { h.saveVehicle(c, newVehicleForm(c)) }

// EditPage shows the vehicle form filled with a vehicle.
func (h *Inventory) EditPage(c *gin.Context) {
	v, ok := h.vehicle(c, "inv_id")
	if !ok {
		return
	}
	form := vehicleFormOf(v)
	if h.offer(c, &form) {
		h.base.render(c, http.StatusOK, "inventory/vehicle-form", form.title(), form)
	}
}

// Update saves the edited vehicle.
func (h *Inventory) Update(c *gin.Context) {
	id, ok := parseID(c.PostForm("inv_id"))
	if !ok {
		h.base.NotFound(c)
		return
	}
	form := newVehicleForm(c)
	form.ID = id
	h.saveVehicle(c, form)
}

// saveVehicle validates the vehicle form, then adds the vehicle (form.ID
// is 0) or updates it: the same steps for both, only the course's texts
// differ (an edit flashes "Sorry, the insert failed." for both failures).
func (h *Inventory) saveVehicle(c *gin.Context, form vehicleForm) {
	if !h.offer(c, &form) {
		return
	}
	adding := form.ID == 0
	if form.Errors = form.validate(); len(form.Errors) > 0 {
		invalid := "Sorry, the insert failed."
		if adding {
			invalid = "Sorry, the vehicle could not be added. Please correct the fields listed."
		}
		session.Flash(c, "error", invalid)
		h.base.render(c, http.StatusUnprocessableEntity, "inventory/vehicle-form", form.title(), form)
		return
	}
	v, err := form.vehicle(), error(nil)
	if adding {
		_, err = h.inventory.Add(c.Request.Context(), v)
	} else {
		err = h.inventory.Update(c.Request.Context(), v)
	}
	if err != nil {
		h.base.failed(c, err, "Sorry, the insert failed.", func() {
			h.base.render(c, http.StatusInternalServerError, "inventory/vehicle-form", form.title(), form)
		})
		return
	}
	done := "was successfully updated."
	if adding {
		done = "was successfully added."
	}
	h.base.succeeded(c, "The "+v.Make+" "+v.Model+" "+done, "/inv/")
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
