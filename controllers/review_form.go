package controllers

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/models"
)

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

// newReviewForm reads the form's fields. An id that is not a canonical
// positive number is 0, which names no row (the handlers answer 404).
func newReviewForm(c *gin.Context) reviewForm {
	f := reviewForm{Text: textarea(c.PostForm("review_text")), Rating: c.PostForm("review_rating")}
	if id, ok := parseID(c.PostForm("review_id")); ok {
		f.ID = id
	}
	if id, ok := parseID(c.PostForm("inv_id")); ok {
		f.VehicleID = id
	}
	return f
}

// reviewFormOf fills the form with a stored review, for the edit page.
func reviewFormOf(r models.Review) reviewForm {
	return reviewForm{ID: r.ID, VehicleID: r.VehicleID, Vehicle: r.Vehicle, Text: r.Text, Rating: strconv.Itoa(r.Rating)}
}

// validate applies the rules the form's attributes announce (text of 3 to
// 2000 characters, a rating from 1 to 5) and returns the errors to show.
func (f reviewForm) validate() []string {
	var p problems
	p.check(plainText(f.Text), unreadable("review"))
	p.check(length(f.Text, 3, 2000), "Please write your review (3 to 2000 characters).")
	p.check(len(f.Rating) == 1 && f.Rating >= "1" && f.Rating <= "5", "Please choose a rating from 1 to 5 stars.")
	return p
}

// review is the review's text and rating, once valid.
func (f reviewForm) review() models.Review {
	rating, _ := strconv.Atoi(f.Rating)
	return models.Review{Text: f.Text, Rating: rating}
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
