package controllers

// Logging in and out: the account controller's handlers that change who
// the session belongs to.

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
)

// Login checks the credentials. A wrong password, an unknown email and an
// email no account can have (loginForm.validate) get the same message,
// status and (thanks to the dummy hash) time, and all count against the
// limit: what looks like a failed login to the visitor is one to the
// throttle too, and a script sending malformed emails is exactly what the
// limit is for.
func (a *Account) Login(c *gin.Context) {
	form := newLoginForm(c)
	ipKey, emailKey := "ip:"+c.ClientIP(), "email:"+form.Email
	if ok, wait := a.throttle.Attempt(ipKey, emailKey); !ok {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		session.Flash(c, "error", "Too many failed login attempts. Please wait a few minutes and try again.")
		a.base.render(c, http.StatusTooManyRequests, "account/login", "Login", form)
		return
	}
	acct, err := models.Account{}, models.ErrNotFound
	if len(form.validate()) == 0 { // never ask the database about an impossible email
		acct, err = a.accounts.ByEmail(c.Request.Context(), form.Email)
	}
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		c.Error(err)
		return
	}
	hash := a.dummyHash
	if err == nil {
		hash = []byte(acct.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(form.password)) != nil || err != nil { // the try stays counted
		session.Flash(c, "notice", "Please check your credentials and try again.")
		a.base.render(c, http.StatusUnauthorized, "account/login", "Login", form)
		return
	}
	a.throttle.Reset(emailKey)
	a.throttle.Forgive(ipKey)
	returnTo := session.TakeReturnTo(c)
	session.LogIn(c, session.Account{ID: acct.ID, FirstName: acct.FirstName, Type: acct.Type})
	if returnTo == "" {
		returnTo = "/account/"
	}
	a.base.redirect(c, returnTo)
}

// LoginPage shows the login form.
func (a *Account) LoginPage(c *gin.Context) {
	a.base.render(c, http.StatusOK, "account/login", "Login", loginForm{})
}

// Logout ends the session (POST only: a link or an image cannot log
// anyone out) and says so on the next page.
func (a *Account) Logout(c *gin.Context) {
	session.LogOut(c)
	session.Flash(c, "notice", "You have been logged out.")
	a.base.redirect(c, "/")
}
