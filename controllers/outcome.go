package controllers

// How a form's POST ends once the model has answered. A handler reads top
// to bottom: parse the form, validate it (the form again, 422, with its
// errors), save, then answer with one of these, each message written
// where it is used:
//
//	if err := h.reviews.Update(ctx, changed); err != nil {
//		h.base.failed(c, err, "Sorry, the review could not be updated.", func() {
//			h.base.render(c, http.StatusInternalServerError, "review/edit", "Edit Review", form)
//		})
//		return
//	}
//	h.base.succeeded(c, "Your review of the "+r.Vehicle+" was updated.", "/account/reviews")

import (
	"errors"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
)

// failed answers a save that returned err. ErrNotFound means the row went
// meanwhile (deleted in another tab, say): the 404 page. Any other error
// is logged, msg is flashed as an error, and again shows the form again
// with what was typed (status 500), or goes back to where the form was.
func (b *Base) failed(c *gin.Context, err error, msg string, again func()) {
	if errors.Is(err, models.ErrNotFound) {
		b.NotFound(c)
		return
	}
	c.Error(err)
	session.Flash(c, "error", msg)
	again()
	// A redirect writes no body to a POST, so gin has not sent the header
	// yet, and Recover would take the logged error for a request left
	// unanswered (the 500 page instead of the way back): send it now.
	c.Writer.WriteHeaderNow()
}

// succeeded answers a save that worked: msg is flashed as a success and
// the visitor goes to next with 303 See Other, so that reloading the next
// page never posts the form again.
func (b *Base) succeeded(c *gin.Context, msg, next string) {
	session.Flash(c, "success", msg)
	b.redirect(c, next)
}
