package controllers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
)

// Review handles vehicle reviews, the worked final enhancement:
// docs/enhancement.md walks through how it was built, step by step. Every
// route is for logged-in visitors (routes/routes.go); who may change which
// review is decided here, in review().
type Review struct {
	base      *Base
	inventory *Inventory // finds the vehicle, renders the detail page (which holds the review form)
	reviews   *models.Reviews
}

// NewReview returns the review controller.
func NewReview(base *Base, inventory *Inventory, reviews *models.Reviews) *Review {
	return &Review{base: base, inventory: inventory, reviews: reviews}
}

// Add posts a review from a vehicle's detail page. Bad input comes back on
// the same page, with the errors listed and the fields kept.
func (h *Review) Add(c *gin.Context) {
	form := readReviewForm(c)
	v, ok := h.inventory.vehicleByID(c, form.VehicleID)
	if !ok {
		return
	}
	review, ok := form.validate()
	if !ok {
		middleware.Flash(c, "error", "Sorry, your review could not be posted. Please correct the fields listed.")
		h.inventory.renderDetail(c, http.StatusUnprocessableEntity, v, form)
		return
	}
	review.VehicleID, review.AccountID = v.ID, middleware.CurrentAccount(c).ID
	_, err := h.reviews.Add(c.Request.Context(), review)
	h.base.saved(c, err, "Sorry, the review could not be saved.",
		func(status int) { h.inventory.renderDetail(c, status, v, form) },
		"Thank you for reviewing the "+v.Make+" "+v.Model+".", "/inv/detail/"+strconv.Itoa(v.ID)+"#reviews")
}

// Mine lists the logged-in visitor's reviews, with links to edit or
// delete each (linked from the account page).
func (h *Review) Mine(c *gin.Context) {
	reviews, err := h.reviews.ByAccount(c.Request.Context(), middleware.CurrentAccount(c).ID)
	if err != nil {
		c.Error(err)
		return
	}
	h.base.render(c, http.StatusOK, "account/reviews", "My Reviews", reviews)
}

// EditPage shows the author the form filled with their review.
func (h *Review) EditPage(c *gin.Context) {
	id, _ := pathID(c, "review_id")
	r, ok := h.review(c, id, false)
	if !ok {
		return
	}
	h.base.render(c, http.StatusOK, "review/edit", "Edit Review", reviewForm{ID: r.ID, VehicleID: r.VehicleID,
		Vehicle: r.Vehicle, Text: r.Text, Rating: strconv.Itoa(r.Rating)})
}

// Update saves the author's changes to their review.
func (h *Review) Update(c *gin.Context) {
	form := readReviewForm(c)
	r, ok := h.review(c, form.ID, false)
	if !ok {
		return
	}
	form.VehicleID, form.Vehicle = r.VehicleID, r.Vehicle
	changed, ok := form.validate()
	if !ok {
		middleware.Flash(c, "error", "Sorry, the review could not be updated. Please correct the fields listed.")
		h.base.render(c, http.StatusUnprocessableEntity, "review/edit", "Edit Review", form)
		return
	}
	changed.ID, changed.AccountID = r.ID, r.AccountID
	h.base.saved(c, h.reviews.Update(c.Request.Context(), changed), "Sorry, the review could not be updated.",
		func(status int) { h.base.render(c, status, "review/edit", "Edit Review", form) },
		"Your review of the "+r.Vehicle+" was updated.", "/account/reviews")
}

// DeletePage asks the author (or an Employee or Admin) to confirm.
func (h *Review) DeletePage(c *gin.Context) {
	id, _ := pathID(c, "review_id")
	r, ok := h.review(c, id, true)
	if !ok {
		return
	}
	h.base.render(c, http.StatusOK, "review/delete-confirm", "Delete Review", r)
}

// Delete removes a review after confirmation. The author goes back to
// their reviews; an Employee or Admin to the vehicle's page.
func (h *Review) Delete(c *gin.Context) {
	id, _ := parseID(c.PostForm("review_id"))
	r, ok := h.review(c, id, true)
	if !ok {
		return
	}
	next := "/inv/detail/" + strconv.Itoa(r.VehicleID) + "#reviews"
	if r.AccountID == middleware.CurrentAccount(c).ID {
		next = "/account/reviews"
	}
	h.base.saved(c, h.reviews.Delete(c.Request.Context(), r.ID), "Sorry, the delete failed.",
		func(int) { h.base.redirect(c, "/review/delete/"+strconv.Itoa(r.ID)) },
		"The review of the "+r.Vehicle+" was deleted.", next)
}

// review loads review id for the logged-in visitor and decides whether
// they may change it: only its author edits a review; its author, an
// Employee or an Admin may delete it (staffToo). It answers the request
// itself when the answer is no: 404 for no such review, 403 otherwise.
func (h *Review) review(c *gin.Context, id int, staffToo bool) (models.Review, bool) {
	r, err := h.reviews.Get(c.Request.Context(), id)
	if !h.base.found(c, err) {
		return r, false
	}
	me := middleware.CurrentAccount(c)
	if r.AccountID != me.ID && !(staffToo && me.Staff()) {
		h.base.renderError(c, http.StatusForbidden, "Sorry, you can only change your own reviews.")
		return r, false
	}
	return r, true
}

// reviewForm is the review form, on the detail page (a new review) and the
// edit page. Fields hold what was sent, so they stay filled after an error.
type reviewForm struct {
	ID        int    // the review being edited; 0 for a new one
	VehicleID int    // the vehicle reviewed
	Vehicle   string // its name, for the edit page
	Text      string
	Rating    string // as chosen: "1" to "5"
	Errors    []string
}

// readReviewForm reads the form's fields. An id that is not a canonical
// positive number is 0, which names no row (the handlers answer 404).
func readReviewForm(c *gin.Context) reviewForm {
	f := reviewForm{Text: textarea(c.PostForm("review_text")), Rating: c.PostForm("review_rating")}
	if id, ok := parseID(c.PostForm("review_id")); ok {
		f.ID = id
	}
	if id, ok := parseID(c.PostForm("inv_id")); ok {
		f.VehicleID = id
	}
	return f
}

// validate applies the rules the form's attributes announce (text of 3 to
// 2000 characters, a rating from 1 to 5), lists what is wrong in f.Errors,
// and returns the review's text and rating.
func (f *reviewForm) validate() (models.Review, bool) {
	f.Errors = nil
	if !validText(f.Text, 3, 2000) {
		f.Errors = append(f.Errors, "Please write your review (3 to 2000 characters).")
	}
	rating, err := strconv.Atoi(f.Rating)
	if err != nil || rating < 1 || rating > 5 || len(f.Rating) != 1 {
		f.Errors = append(f.Errors, "Please choose a rating from 1 to 5 stars.")
	}
	return models.Review{Text: f.Text, Rating: rating}, len(f.Errors) == 0
}

// ratingOption is one choice of the rating list.
type ratingOption struct {
	Value, Label string
	Selected     bool
}

// Ratings lists the rating choices, best first, with the sent one selected.
func (f reviewForm) Ratings() []ratingOption {
	labels := [...]string{"5 stars: excellent", "4 stars: good", "3 stars: fair", "2 stars: poor", "1 star: bad"}
	opts := make([]ratingOption, len(labels))
	for i, label := range labels {
		v := strconv.Itoa(5 - i)
		opts[i] = ratingOption{Value: v, Label: label, Selected: v == f.Rating}
	}
	return opts
}
