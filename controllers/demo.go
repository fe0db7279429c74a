package controllers

import (
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/middleware"
)

// Demo holds development-only pages for showing sessions in class. Its
// routes are not registered in production.
type Demo struct {
	base *Base
}

// NewDemo returns the demo controller.
func NewDemo(base *Base) *Demo { return &Demo{base: base} }

// Flash is the course's first flash test, made safe: it stores a message
// and redirects home, where the message shows once under the h1.
func (d *Demo) Flash(c *gin.Context) {
	middleware.Flash(c, "notice", "This is a flash message.")
	d.base.redirect(c, "/")
}
