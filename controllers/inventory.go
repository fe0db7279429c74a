package controllers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/models"
)

// Inventory handles the vehicle pages and inventory management.
type Inventory struct {
	base            *Base
	inventory       *models.Inventory
	classifications *models.Classifications
}

// NewInventory returns the inventory controller. The detail page is
// Detail's (detail.go), made of the vehicle and the sections features add.
func NewInventory(base *Base, inventory *models.Inventory, classifications *models.Classifications) *Inventory {
	return &Inventory{base: base, inventory: inventory, classifications: classifications}
}

// pathID reads a positive integer id from the URL, or reports false (the
// caller answers 404: "abc", "-1", "05" or a 40-digit number name no page).
func pathID(c *gin.Context, name string) (int, bool) { return parseID(c.Param(name)) }

// parseID reads an id from a URL or a form. One spelling per id: "+5" and
// "05" are not 5 (they would also make the page cache hold one copy per
// spelling).
func parseID(raw string) (int, bool) {
	id, err := strconv.ParseInt(raw, 10, 32)
	if err != nil || id <= 0 || raw != strconv.FormatInt(id, 10) {
		return 0, false // 0 names no row
	}
	return int(id), true
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
	if id, ok := parseID(c.Query("classification_id")); ok {
		page.Selected = id
		if page.Vehicles, err = h.inventory.ByClassification(ctx, id); err != nil {
			c.Error(err)
			return
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

// vehicle loads the vehicle named by the URL parameter param, answering
// 404 itself.
func (h *Inventory) vehicle(c *gin.Context, param string) (models.Vehicle, bool) {
	id, _ := pathID(c, param)
	return h.vehicleByID(c, id)
}

// vehicleByID loads vehicle id, answering the request itself when it
// cannot: 404 for no such vehicle (or id 0), the error page otherwise.
func (h *Inventory) vehicleByID(c *gin.Context, id int) (models.Vehicle, bool) {
	v, err := h.inventory.Get(c.Request.Context(), id)
	return v, h.base.found(c, err)
}
