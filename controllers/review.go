package controllers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/views"
)

// Review handles vehicle reviews, the worked final enhancement:
// docs/enhancement.md walks through how it was built, step by step. Every
// route is for logged-in visitors (routes/routes.go); who may change which
// review is decided here, in review(). Its section of the detail page
// (DetailSection) is added in routes.New.
type Review struct {
	base    *Base
	detail  *Detail // finds the vehicle, shows its page again with a refused form
	reviews *models.Reviews
}

// NewReview returns the review controller.
func NewReview(base *Base, detail *Detail, reviews *models.Reviews) *Review {
	return &Review{base: base, detail: detail, reviews: reviews}
}

// reviewsSection is the data of the detail page's reviews section
// (views/partials/reviews-section.html): the vehicle's reviews, newest
// first, and the form to write one, kept filled after an error.
type reviewsSection struct {
	Reviews []models.Review
	Form    reviewForm
}

// DetailSection is the reviews section of vehicle v's page, with an empty form.
func (h *Review) DetailSection(c *gin.Context, v models.Vehicle) (views.Section, error) {
	return h.section(c, v, reviewForm{})
}

// section is the reviews section of v's page with form, as sent.
func (h *Review) section(c *gin.Context, v models.Vehicle, form reviewForm) (views.Section, error) {
	reviews, err := h.reviews.ByVehicle(c.Request.Context(), v.ID)
	form.VehicleID = v.ID
	return views.Section{Template: "reviews-section", Data: reviewsSection{Reviews: reviews, Form: form}}, err
}

// Add posts a review from a vehicle's detail page. Bad input comes back on
// the same page, with the errors listed and the fields kept.
func (h *Review) Add(c *gin.Context) {
	form := newReviewForm(c)
	v, ok := h.detail.Vehicle(c, form.VehicleID)
	if !ok {
		return
	}
	if form.Errors = form.validate(); len(form.Errors) > 0 {
		session.Flash(c, "error", "Sorry, your review could not be posted. Please correct the fields listed.")
		h.resend(c, http.StatusUnprocessableEntity, v, form)
		return
	}
	review := form.review()
	review.VehicleID, review.AccountID = v.ID, session.AccountOf(c).ID
	if _, err := h.reviews.Add(c.Request.Context(), review); err != nil {
		h.base.failed(c, err, "Sorry, the review could not be saved.", func() {
			h.resend(c, http.StatusInternalServerError, v, form)
		})
		return
	}
	h.base.succeeded(c, "Thank you for reviewing the "+v.Make+" "+v.Model+".", "/inv/detail/"+strconv.Itoa(v.ID)+"#reviews")
}

// resend shows v's detail page again with the review form as sent.
func (h *Review) resend(c *gin.Context, status int, v models.Vehicle, form reviewForm) {
	section, err := h.section(c, v, form)
	if err != nil {
		c.Error(err)
		return
	}
	h.detail.Resend(c, status, v, h, section)
}

// Mine lists the logged-in visitor's reviews, with links to edit or
// delete each (linked from the account page).
func (h *Review) Mine(c *gin.Context) {
	reviews, err := h.reviews.ByAccount(c.Request.Context(), session.AccountOf(c).ID)
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
	h.base.render(c, http.StatusOK, "review/edit", "Edit Review", reviewFormOf(r))
}

// Update saves the author's changes to their review.
func (h *Review) Update(c *gin.Context) {
	form := newReviewForm(c)
	r, ok := h.review(c, form.ID, false)
	if !ok {
		return
	}
	form.VehicleID, form.Vehicle = r.VehicleID, r.Vehicle
	if form.Errors = form.validate(); len(form.Errors) > 0 {
		session.Flash(c, "error", "Sorry, the review could not be updated. Please correct the fields listed.")
		h.base.render(c, http.StatusUnprocessableEntity, "review/edit", "Edit Review", form)
		return
	}
	changed := form.review()
	changed.ID, changed.AccountID = r.ID, r.AccountID
	if err := h.reviews.Update(c.Request.Context(), changed); err != nil {
		h.base.failed(c, err, "Sorry, the review could not be updated.", func() {
			h.base.render(c, http.StatusInternalServerError, "review/edit", "Edit Review", form)
		})
		return
	}
	h.base.succeeded(c, "Your review of the "+r.Vehicle+" was updated.", "/account/reviews")
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
	if err := h.reviews.Delete(c.Request.Context(), r.ID); err != nil {
		h.base.failed(c, err, "Sorry, the delete failed.", func() { h.base.redirect(c, "/review/delete/"+strconv.Itoa(r.ID)) })
		return
	}
	next := "/account/reviews" // the author; staff go back to the vehicle
	if r.AccountID != session.AccountOf(c).ID {
		next = "/inv/detail/" + strconv.Itoa(r.VehicleID) + "#reviews"
	}
	h.base.succeeded(c, "The review of the "+r.Vehicle+" was deleted.", next)
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
	me := session.AccountOf(c)
	if r.AccountID != me.ID && !(staffToo && me.Staff()) {
		h.base.renderError(c, http.StatusForbidden, "Sorry, you can only change your own reviews.")
		return r, false
	}
	return r, true
}
