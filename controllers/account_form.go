package controllers

// The account forms: login, registration, account details, password
// change. Each is read from the request by its newXForm and checked by its
// validate method, which returns the errors to show; only then is anything
// looked up or saved. Passwords are unexported fields: no template can
// show one, not even by mistake.

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/models"
)

// loginForm is the login form. The email stays filled after a failure.
type loginForm struct {
	Email    string
	password string
}

func newLoginForm(c *gin.Context) loginForm {
	return loginForm{Email: normalizeEmail(c.PostForm("account_email")), password: c.PostForm("account_password")}
}

// validate refuses an email that no account can have: not plain text (a
// NUL byte would reach PostgreSQL as an error) or longer than an address
// can be. Login answers it as any failed login: nothing tells a guesser
// which rule an email broke, or whether an account exists.
func (f loginForm) validate() []string {
	var p problems
	p.check(plainLine(f.Email) && len(f.Email) <= 254, "Please check your credentials and try again.")
	return p
}

// detailsForm is the sticky part of registration and the account update:
// the names and the email.
type detailsForm struct {
	FirstName string
	LastName  string
	Email     string
	Errors    []string
}

func newDetailsForm(c *gin.Context) detailsForm {
	return detailsForm{
		FirstName: strings.TrimSpace(c.PostForm("account_firstname")),
		LastName:  strings.TrimSpace(c.PostForm("account_lastname")),
		Email:     normalizeEmail(c.PostForm("account_email")),
	}
}

// detailsOf fills the form with the stored account, for the update page.
func detailsOf(a models.Account) detailsForm {
	return detailsForm{FirstName: a.FirstName, LastName: a.LastName, Email: a.Email}
}

// validate applies the course's rules to the names and the email.
func (f detailsForm) validate() []string {
	var p problems
	p.check(plainLine(f.FirstName), unreadable("first name"))
	p.check(length(f.FirstName, 1, 50), "Please provide a first name.")
	p.check(plainLine(f.LastName), unreadable("last name"))
	p.check(length(f.LastName, 2, 50), "Please provide a last name (at least 2 characters).")
	p.checkEmail(f.Email)
	return p
}

// account is the account the form describes, once valid.
func (f detailsForm) account() models.Account {
	return models.Account{FirstName: f.FirstName, LastName: f.LastName, Email: f.Email}
}

// registerForm is the registration form: the details and a password.
type registerForm struct {
	detailsForm
	passwordRule
	password string
}

func newRegisterForm(c *gin.Context) registerForm {
	return registerForm{detailsForm: newDetailsForm(c), password: c.PostForm("account_password")}
}

// validate applies the details' rules and the password's.
func (f registerForm) validate() []string {
	p := problems(f.detailsForm.validate())
	p.checkPassword(f.password)
	return p
}

// passwordForm is the password change: the current password, to confirm
// it is the owner asking, and the new one.
type passwordForm struct {
	passwordRule
	current, password string
	Errors            []string
}

func newPasswordForm(c *gin.Context) passwordForm {
	return passwordForm{current: c.PostForm("current_password"), password: c.PostForm("account_password")}
}

// validate applies the registration's rule to the new password. Whether
// the current one is right is the handler's question: only the stored hash
// answers it.
func (f passwordForm) validate() []string {
	var p problems
	p.checkPassword(f.password)
	return p
}
