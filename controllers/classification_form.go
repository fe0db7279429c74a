package controllers

import (
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
)

// classificationForm is the add-classification form
// (views/inventory/add-classification.html).
type classificationForm struct {
	Name   string
	Errors []string
}

func newClassificationForm(c *gin.Context) classificationForm {
	return classificationForm{Name: strings.TrimSpace(c.PostForm("classification_name"))}
}

// classificationName is the course's rule: letters and digits only (ASCII,
// so nothing invisible or look-alike gets in), at most 30.
var classificationName = regexp.MustCompile(`^[A-Za-z0-9]{1,30}$`)

// validate returns the errors to show.
func (f classificationForm) validate() []string {
	var p problems
	p.check(classificationName.MatchString(f.Name),
		"Please provide a classification name: letters and digits only, no spaces or special characters (at most 30).")
	return p
}
