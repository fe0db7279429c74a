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
// Read it (newVehicleForm), validate it, then save its vehicle().
type vehicleForm struct {
	Classifications  []models.Classification
	ID               int // the vehicle being edited; 0 when adding (see Action)
	ClassificationID string
	Make, Model      string
	Year             string
	Description      string
	Image, Thumbnail string
	Price, Miles     string
	Color            string
	Errors           []string
}

// Action is where the form posts: the add or the update route.
func (f vehicleForm) Action() string {
	if f.ID == 0 {
		return "/inv/add-inventory"
	}
	return "/inv/update/"
}

// Submit is the form's button.
func (f vehicleForm) Submit() string {
	if f.ID == 0 {
		return "Add Vehicle"
	}
	return "Update Vehicle"
}

// title is the form's page title.
func (f vehicleForm) title() string {
	if f.ID == 0 {
		return "Add New Vehicle"
	}
	return "Edit " + f.Make + " " + f.Model
}

// newVehicleForm reads the posted fields, trimmed. The handler fills
// Classifications, the choices the form offers, before validating.
func newVehicleForm(c *gin.Context) vehicleForm {
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

// wholeDollars and wholeNumber drop what people type around a number:
// "$28,045" is 28045 dollars, "41,205" miles are 41205.
func wholeDollars(s string) string { return wholeNumber(strings.TrimPrefix(s, "$")) }

func wholeNumber(s string) string { return strings.ReplaceAll(s, ",", "") }

// validate checks every field and returns the errors to show. The chosen
// classification must be one the form offers (f.Classifications).
func (f vehicleForm) validate() []string {
	var p problems
	classID, ok := parseID(f.ClassificationID)
	p.check(ok && slices.ContainsFunc(f.Classifications, func(c models.Classification) bool { return c.ID == classID }),
		"Please choose a classification.")
	p.check(plainLine(f.Make), unreadable("make"))
	p.check(length(f.Make, 1, 50), "Please provide the make (at most 50 characters).")
	p.check(plainLine(f.Model), unreadable("model"))
	p.check(length(f.Model, 1, 50), "Please provide the model (at most 50 characters).")
	year, err := strconv.Atoi(f.Year)
	last := time.Now().Year() + 1
	p.check(len(f.Year) == 4 && err == nil && year >= 1885 && year <= last,
		fmt.Sprintf("Please provide a 4-digit year between 1885 and %d.", last))
	p.check(plainText(f.Description), unreadable("description"))
	p.check(length(f.Description, 1, 2000), "Please provide a description (at most 2000 characters).")
	p.check(imagePath.MatchString(f.Image), "The image path must look like /images/vehicles/name.svg.")
	p.check(imagePath.MatchString(f.Thumbnail), "The thumbnail path must look like /images/vehicles/name-tn.svg.")
	p.check(digits.MatchString(wholeDollars(f.Price)), "Please provide the price in whole dollars (digits only).")
	p.check(digits.MatchString(wholeNumber(f.Miles)), "Please provide the miles (digits only).")
	p.check(plainLine(f.Color), unreadable("color"))
	p.check(length(f.Color, 1, 30), "Please provide the color (at most 30 characters).")
	return p
}

// vehicle is the vehicle the form describes, once valid.
func (f vehicleForm) vehicle() models.Vehicle {
	v := models.Vehicle{ID: f.ID, Make: f.Make, Model: f.Model, Year: f.Year, Description: f.Description,
		Image: f.Image, Thumbnail: f.Thumbnail, Color: f.Color}
	v.ClassificationID, _ = parseID(f.ClassificationID)
	v.Price, _ = strconv.ParseInt(wholeDollars(f.Price), 10, 64)
	v.Miles, _ = strconv.Atoi(wholeNumber(f.Miles))
	return v
}
