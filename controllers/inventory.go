package controllers

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
)

// Inventory handles the vehicle pages and inventory management.
type Inventory struct {
	base            *Base
	inventory       *models.Inventory
	classifications *models.Classifications
	reviews         *models.Reviews // shown on the detail page
}

// NewInventory returns the inventory controller.
func NewInventory(base *Base, inventory *models.Inventory, classifications *models.Classifications, reviews *models.Reviews) *Inventory {
	return &Inventory{base: base, inventory: inventory, classifications: classifications, reviews: reviews}
}

// pathID reads a positive integer id from the URL, or reports false (the
// caller answers 404: "abc", "-1", "05" or a 40-digit number name no page).
func pathID(c *gin.Context, name string) (int, bool) { return parseID(c.Param(name)) }

// parseID reads an id from a URL or a form. One spelling per id: "+5" and
// "05" are not 5 (they would also make the page cache hold one copy per
// spelling).
func parseID(raw string) (int, bool) {
	id, err := strconv.ParseInt(raw, 10, 32)
	return int(id), err == nil && id > 0 && raw == strconv.FormatInt(id, 10)
}

// classificationPage is the data of views/inventory/classification.html.
type classificationPage struct {
	Vehicles []models.Vehicle
}

// Classification lists the vehicles of one classification.
func (h *Inventory) Classification(c *gin.Context) {
	id, ok := pathID(c, "classificationId")
	if !ok {
		h.base.NotFound(c)
		return
	}
	class, err := h.classifications.Get(c.Request.Context(), id)
	if errors.Is(err, models.ErrNotFound) {
		h.base.NotFound(c)
		return
	}
	if err != nil {
		c.Error(err)
		return
	}
	vehicles, err := h.inventory.ByClassification(c.Request.Context(), id)
	if err != nil {
		c.Error(err)
		return
	}
	h.base.render(c, http.StatusOK, "inventory/classification", class.Name+" Vehicles", classificationPage{vehicles})
}

// detailPage is the data of views/inventory/detail.html: the vehicle, its
// reviews (newest first) and the review form, kept filled after an error.
type detailPage struct {
	models.Vehicle
	Reviews []models.Review
	Form    reviewForm
}

// Detail shows one vehicle and its reviews.
func (h *Inventory) Detail(c *gin.Context) {
	v, ok := h.vehicle(c, "invId")
	if !ok {
		return
	}
	h.renderDetail(c, http.StatusOK, v, reviewForm{})
}

// renderDetail renders the detail page; Review.Add uses it to send a
// review form back with its errors.
func (h *Inventory) renderDetail(c *gin.Context, status int, v models.Vehicle, form reviewForm) {
	reviews, err := h.reviews.ByVehicle(c.Request.Context(), v.ID)
	if err != nil {
		c.Error(err)
		return
	}
	form.VehicleID = v.ID
	h.base.render(c, status, "inventory/detail", v.Year+" "+v.Make+" "+v.Model, detailPage{v, reviews, form})
}

// managementPage is the data of views/inventory/management.html.
type managementPage struct {
	Classifications []models.Classification
	Selected        int
	Vehicles        []models.Vehicle
}

// Management is the inventory management page. Choosing a classification
// lists its vehicles: with JavaScript from the JSON endpoint, without it
// through the form's GET (?classification_id=N).
func (h *Inventory) Management(c *gin.Context) {
	ctx := c.Request.Context()
	classes, err := h.classifications.All(ctx)
	if err != nil {
		c.Error(err)
		return
	}
	page := managementPage{Classifications: classes}
	if q := c.Query("classification_id"); q != "" {
		id, err := strconv.ParseInt(q, 10, 32)
		if err == nil && id > 0 {
			page.Selected = int(id)
			if page.Vehicles, err = h.inventory.ByClassification(ctx, page.Selected); err != nil {
				c.Error(err)
				return
			}
		}
	}
	h.base.render(c, http.StatusOK, "inventory/management", "Vehicle Management", page)
}

// GetInventory returns a classification's vehicles as JSON, for the
// management page's table.
func (h *Inventory) GetInventory(c *gin.Context) {
	id, ok := pathID(c, "classification_id")
	if !ok {
		c.JSON(http.StatusBadRequest, gin.H{"error": "classification_id must be a positive whole number"})
		return
	}
	vehicles, err := h.inventory.ByClassification(c.Request.Context(), id)
	if err != nil {
		c.Error(err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "the vehicles could not be loaded"})
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, vehicles)
}

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
	if !classificationName.MatchString(form.Name) {
		form.Errors = []string{"Please provide a classification name: letters and digits only, no spaces or special characters (at most 30)."}
	} else {
		_, err := h.classifications.Add(c.Request.Context(), form.Name)
		switch {
		case errors.Is(err, models.ErrClassificationExists):
			form.Errors = []string{"That classification already exists."}
		case err != nil:
			c.Error(err)
			middleware.Flash(c, "error", "Sorry, adding the classification failed.")
			h.base.render(c, http.StatusInternalServerError, "inventory/add-classification", "Add New Classification", form)
			return
		default:
			h.base.PagesChanged()
			middleware.Flash(c, "success", "The "+form.Name+" classification was successfully added.")
			h.base.redirect(c, "/inv/")
			return
		}
	}
	middleware.Flash(c, "error", "Sorry, adding the classification failed.")
	h.base.render(c, http.StatusUnprocessableEntity, "inventory/add-classification", "Add New Classification", form)
}

// vehicleForm is the data of views/inventory/vehicle-form.html, shared by
// the add and edit pages. Fields hold what was typed, so they stay filled.
type vehicleForm struct {
	Action                                                                string
	Submit                                                                string
	Classifications                                                       []models.Classification
	ID                                                                    int
	ClassificationID                                                      string
	Make, Model, Year, Description, Image, Thumbnail, Price, Miles, Color string
	Errors                                                                []string
}

func (h *Inventory) readVehicleForm(c *gin.Context) vehicleForm {
	f := func(name string) string { return strings.TrimSpace(c.PostForm(name)) }
	return vehicleForm{
		ClassificationID: f("classification_id"), Make: f("inv_make"), Model: f("inv_model"),
		Year: f("inv_year"), Description: f("inv_description"), Image: f("inv_image"),
		Thumbnail: f("inv_thumbnail"), Price: f("inv_price"), Miles: f("inv_miles"), Color: f("inv_color"),
	}
}

var (
	imagePath = regexp.MustCompile(`^/images/vehicles/[A-Za-z0-9._-]{1,80}\.(svg|png|jpg|jpeg|webp)$`)
	digits    = regexp.MustCompile(`^[0-9]{1,9}$`)
)

// validate checks every field and returns the vehicle it describes.
func (h *Inventory) validate(c *gin.Context, f *vehicleForm) models.Vehicle {
	v := models.Vehicle{Make: f.Make, Model: f.Model, Year: f.Year, Description: f.Description,
		Image: f.Image, Thumbnail: f.Thumbnail, Color: f.Color}
	var errs []string
	classID, err := strconv.Atoi(f.ClassificationID)
	if _, gerr := h.classifications.Get(c.Request.Context(), classID); err != nil || gerr != nil {
		errs = append(errs, "Please choose a classification.")
	}
	v.ClassificationID = classID
	if !validText(f.Make, 1, 50) {
		errs = append(errs, "Please provide the make (at most 50 characters).")
	}
	if !validText(f.Model, 1, 50) {
		errs = append(errs, "Please provide the model (at most 50 characters).")
	}
	year, err := strconv.Atoi(f.Year)
	if len(f.Year) != 4 || err != nil || year < 1885 || year > time.Now().Year()+1 {
		errs = append(errs, fmt.Sprintf("Please provide a 4-digit year between 1885 and %d.", time.Now().Year()+1))
	}
	if !validText(f.Description, 1, 2000) {
		errs = append(errs, "Please provide a description (at most 2000 characters).")
	}
	if !imagePath.MatchString(f.Image) {
		errs = append(errs, "The image path must look like /images/vehicles/name.svg.")
	}
	if !imagePath.MatchString(f.Thumbnail) {
		errs = append(errs, "The thumbnail path must look like /images/vehicles/name-tn.svg.")
	}
	price := strings.ReplaceAll(strings.TrimPrefix(f.Price, "$"), ",", "")
	if !digits.MatchString(price) {
		errs = append(errs, "Please provide the price in whole dollars (digits only).")
	}
	v.Price, _ = strconv.ParseInt(price, 10, 64)
	miles := strings.ReplaceAll(f.Miles, ",", "")
	if !digits.MatchString(miles) {
		errs = append(errs, "Please provide the miles (digits only).")
	}
	v.Miles, _ = strconv.Atoi(miles)
	if !validText(f.Color, 1, 30) {
		errs = append(errs, "Please provide the color (at most 30 characters).")
	}
	f.Errors = errs
	return v
}

func (h *Inventory) renderVehicleForm(c *gin.Context, status int, title string, f vehicleForm) {
	classes, err := h.classifications.All(c.Request.Context())
	if err != nil {
		c.Error(err)
		return
	}
	f.Classifications = classes
	h.base.render(c, status, "inventory/vehicle-form", title, f)
}

// AddInventoryPage shows the empty vehicle form.
func (h *Inventory) AddInventoryPage(c *gin.Context) {
	h.renderVehicleForm(c, http.StatusOK, "Add New Vehicle", vehicleForm{
		Action: "/inv/add-inventory", Submit: "Add Vehicle",
		Image: "/images/vehicles/no-image.svg", Thumbnail: "/images/vehicles/no-image-tn.svg"})
}

// AddInventory validates and inserts a vehicle.
func (h *Inventory) AddInventory(c *gin.Context) {
	f := h.readVehicleForm(c)
	f.Action, f.Submit = "/inv/add-inventory", "Add Vehicle"
	v := h.validate(c, &f)
	if len(f.Errors) > 0 {
		middleware.Flash(c, "error", "Sorry, the vehicle could not be added. Please correct the fields listed.")
		h.renderVehicleForm(c, http.StatusUnprocessableEntity, "Add New Vehicle", f)
		return
	}
	if _, err := h.inventory.Add(c.Request.Context(), v); err != nil {
		c.Error(err)
		middleware.Flash(c, "error", "Sorry, the insert failed.")
		h.renderVehicleForm(c, http.StatusInternalServerError, "Add New Vehicle", f)
		return
	}
	h.base.PagesChanged()
	middleware.Flash(c, "success", "The "+v.Make+" "+v.Model+" was successfully added.")
	h.base.redirect(c, "/inv/")
}

// EditPage shows the vehicle form filled with a vehicle.
func (h *Inventory) EditPage(c *gin.Context) {
	v, ok := h.vehicle(c, "inv_id")
	if !ok {
		return
	}
	h.renderVehicleForm(c, http.StatusOK, "Edit "+v.Make+" "+v.Model, vehicleForm{
		Action: "/inv/update/", Submit: "Update Vehicle", ID: v.ID,
		ClassificationID: strconv.Itoa(v.ClassificationID), Make: v.Make, Model: v.Model, Year: v.Year,
		Description: v.Description, Image: v.Image, Thumbnail: v.Thumbnail,
		Price: strconv.FormatInt(v.Price, 10), Miles: strconv.Itoa(v.Miles), Color: v.Color})
}

// Update saves the edited vehicle.
func (h *Inventory) Update(c *gin.Context) {
	f := h.readVehicleForm(c)
	f.Action, f.Submit = "/inv/update/", "Update Vehicle"
	id, ok := parseID(c.PostForm("inv_id"))
	if !ok {
		h.base.NotFound(c)
		return
	}
	f.ID = id
	v := h.validate(c, &f)
	v.ID = f.ID
	title := "Edit " + f.Make + " " + f.Model
	if len(f.Errors) > 0 {
		middleware.Flash(c, "error", "Sorry, the insert failed.") // the course's text
		h.renderVehicleForm(c, http.StatusUnprocessableEntity, title, f)
		return
	}
	err := h.inventory.Update(c.Request.Context(), v)
	if errors.Is(err, models.ErrNotFound) {
		h.base.NotFound(c)
		return
	}
	if err != nil {
		c.Error(err)
		middleware.Flash(c, "error", "Sorry, the insert failed.") // the course's text
		h.renderVehicleForm(c, http.StatusInternalServerError, title, f)
		return
	}
	h.base.PagesChanged()
	middleware.Flash(c, "success", "The "+v.Make+" "+v.Model+" was successfully updated.")
	h.base.redirect(c, "/inv/")
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
	if errors.Is(err, models.ErrNotFound) {
		h.base.NotFound(c)
		return
	}
	if err != nil {
		c.Error(err)
		middleware.Flash(c, "error", "Sorry, the delete failed.")
		h.base.redirect(c, "/inv/delete/"+strconv.Itoa(id))
		return
	}
	h.base.PagesChanged()
	middleware.Flash(c, "success", "The "+v.Make+" "+v.Model+" was successfully deleted.")
	h.base.redirect(c, "/inv/")
}

// vehicle loads the vehicle named by the URL, answering 404 itself.
func (h *Inventory) vehicle(c *gin.Context, param string) (models.Vehicle, bool) {
	id, ok := pathID(c, param)
	if !ok {
		h.base.NotFound(c)
		return models.Vehicle{}, false
	}
	v, err := h.inventory.Get(c.Request.Context(), id)
	if errors.Is(err, models.ErrNotFound) {
		h.base.NotFound(c)
		return v, false
	}
	if err != nil {
		c.Error(err)
		return v, false
	}
	return v, true
}
