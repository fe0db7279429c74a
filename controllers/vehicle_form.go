package controllers

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/models"
)

// vehicleForm is the add and edit form (views/inventory/vehicle-form.html).
// Its fields hold what was typed, so they stay filled after an error.
// Read it, validate it, then save what validate returns.
type vehicleForm struct {
	Action, Submit   string // where the form posts, and its button
	Classifications  []models.Classification
	ID               int // the vehicle being edited; 0 when adding
	ClassificationID string
	Make, Model      string
	Year             string
	Description      string
	Image, Thumbnail string
	Price, Miles     string
	Color            string
	Errors           []string
}

// readVehicleForm reads the posted fields, trimmed.
func readVehicleForm(c *gin.Context) vehicleForm {
	f := func(name string) string { return strings.TrimSpace(c.PostForm(name)) }
	return vehicleForm{
		ClassificationID: f("classification_id"), Make: f("inv_make"), Model: f("inv_model"),
		Year: f("inv_year"), Description: textarea(c.PostForm("inv_description")), Image: f("inv_image"),
		Thumbnail: f("inv_thumbnail"), Price: f("inv_price"), Miles: f("inv_miles"), Color: f("inv_color"),
	}
}

// vehicleFormOf fills the form with a stored vehicle, for the edit page.
func vehicleFormOf(v models.Vehicle) vehicleForm {
	return vehicleForm{ID: v.ID, ClassificationID: strconv.Itoa(v.ClassificationID), Make: v.Make, Model: v.Model,
		Year: v.Year, Description: v.Description, Image: v.Image, Thumbnail: v.Thumbnail,
		Price: strconv.FormatInt(v.Price, 10), Miles: strconv.Itoa(v.Miles), Color: v.Color}
}

var (
	imagePath = regexp.MustCompile(`^/images/vehicles/[A-Za-z0-9._-]{1,80}\.(svg|png|jpg|jpeg|webp)$`)
	digits    = regexp.MustCompile(`^[0-9]{1,9}$`)
)

// validate checks every field, lists what is wrong in f.Errors, and
// returns the vehicle the form describes. classes are the classifications
// the form offers: the chosen one must be among them.
func (f *vehicleForm) validate(classes []models.Classification) (models.Vehicle, bool) {
	v := models.Vehicle{ID: f.ID, Make: f.Make, Model: f.Model, Year: f.Year, Description: f.Description,
		Image: f.Image, Thumbnail: f.Thumbnail, Color: f.Color}
	var errs []string
	add := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, msg)
		}
	}
	classID, ok := parseID(f.ClassificationID)
	add(ok && slices.ContainsFunc(classes, func(c models.Classification) bool { return c.ID == classID }),
		"Please choose a classification.")
	v.ClassificationID = classID
	add(validText(f.Make, 1, 50), "Please provide the make (at most 50 characters).")
	add(validText(f.Model, 1, 50), "Please provide the model (at most 50 characters).")
	year, err := strconv.Atoi(f.Year)
	last := time.Now().Year() + 1
	add(len(f.Year) == 4 && err == nil && year >= 1885 && year <= last,
		fmt.Sprintf("Please provide a 4-digit year between 1885 and %d.", last))
	add(validText(f.Description, 1, 2000), "Please provide a description (at most 2000 characters).")
	add(imagePath.MatchString(f.Image), "The image path must look like /images/vehicles/name.svg.")
	add(imagePath.MatchString(f.Thumbnail), "The thumbnail path must look like /images/vehicles/name-tn.svg.")
	price := strings.ReplaceAll(strings.TrimPrefix(f.Price, "$"), ",", "")
	add(digits.MatchString(price), "Please provide the price in whole dollars (digits only).")
	v.Price, _ = strconv.ParseInt(price, 10, 64)
	miles := strings.ReplaceAll(f.Miles, ",", "")
	add(digits.MatchString(miles), "Please provide the miles (digits only).")
	v.Miles, _ = strconv.Atoi(miles)
	add(validText(f.Color, 1, 30), "Please provide the color (at most 30 characters).")
	f.Errors = errs
	return v, len(errs) == 0
}
