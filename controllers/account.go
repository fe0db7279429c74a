package controllers

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// BcryptCost is the work factor of password hashes: about a quarter of a
// second per hash on a small server, slow for a guesser, fine for a login.
const BcryptCost = 12

// Account handles registration, login, logout and the account pages.
type Account struct {
	base     *Base
	accounts *models.Accounts
	store    *postgres.Store
	throttle *middleware.Throttle
	cost     int
	// dummyHash is compared against when the email is unknown, so a wrong
	// email takes as long as a wrong password and reveals nothing.
	dummyHash []byte
}

// NewAccount returns the account controller. cost is the bcrypt cost
// (BcryptCost; tests pass bcrypt.MinCost).
func NewAccount(base *Base, accounts *models.Accounts, store *postgres.Store, throttle *middleware.Throttle, cost int) (*Account, error) {
	dummy, err := bcrypt.GenerateFromPassword([]byte("not-a-real-password-at-all"), cost)
	if err != nil {
		return nil, err
	}
	return &Account{base: base, accounts: accounts, store: store, throttle: throttle, cost: cost, dummyHash: dummy}, nil
}

// RegisterPage shows the registration form.
func (a *Account) RegisterPage(c *gin.Context) {
	a.base.render(c, http.StatusOK, "account/register", "Register", registerForm{})
}

// Register creates a Client account with the course's rules.
func (a *Account) Register(c *gin.Context) {
	form := newRegisterForm(c)
	if form.Errors = form.validate(); len(form.Errors) > 0 {
		a.base.render(c, http.StatusUnprocessableEntity, "account/register", "Register", form)
		return
	}
	switch err := a.register(c.Request.Context(), form); {
	case errors.Is(err, models.ErrEmailTaken): // registered before, or in parallel
		form.Errors = []string{"Email exists. Please log in or use different email"}
		a.base.render(c, http.StatusUnprocessableEntity, "account/register", "Register", form)
	case err != nil:
		a.base.failed(c, err, "Sorry, the registration failed.", func() {
			a.base.render(c, http.StatusInternalServerError, "account/register", "Register", form)
		})
	default:
		session.Flash(c, "notice", "Congratulations, you're registered "+form.FirstName+". Please log in.")
		a.base.redirect(c, "/account/login")
	}
}

// register hashes the password and stores the new account:
// ErrEmailTaken when the email is already registered (checked first, so
// that a taken email costs no hashing).
func (a *Account) register(ctx context.Context, form registerForm) error {
	if _, err := a.accounts.ByEmail(ctx, form.Email); err == nil {
		return models.ErrEmailTaken
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(form.password), a.cost)
	if err != nil {
		return err
	}
	acct := form.account()
	acct.PasswordHash = string(hash)
	_, err = a.accounts.Register(ctx, acct)
	return err
}

// Management is the account home: a greeting, the account type, links.
// Everything it shows comes from the session.
func (a *Account) Management(c *gin.Context) {
	a.base.render(c, http.StatusOK, "account/management", "Account Management", nil)
}

// updatePage is the data of views/account/update.html: its two forms.
type updatePage struct {
	Details  detailsForm
	Password passwordForm
}

// UpdatePage shows the forms to change the account's details and password.
func (a *Account) UpdatePage(c *gin.Context) {
	acct, err := a.accounts.Get(c.Request.Context(), session.AccountOf(c).ID)
	if err != nil {
		c.Error(err)
		return
	}
	a.base.render(c, http.StatusOK, "account/update", "Edit Account", updatePage{Details: detailsOf(acct)})
}

// Update changes the names and email; the email must stay unique.
func (a *Account) Update(c *gin.Context) {
	form := newDetailsForm(c)
	form.Errors = form.validate()
	var err error
	if len(form.Errors) == 0 {
		acct := form.account()
		acct.ID = session.AccountOf(c).ID
		err = a.accounts.UpdateDetails(c.Request.Context(), acct)
	}
	if errors.Is(err, models.ErrEmailTaken) {
		form.Errors = []string{"Email exists. Please use a different email"}
	}
	if len(form.Errors) > 0 {
		session.Flash(c, "error", "Sorry, the update failed.")
		a.base.render(c, http.StatusUnprocessableEntity, "account/update", "Edit Account", updatePage{Details: form})
		return
	}
	if err != nil {
		a.base.failed(c, err, "Sorry, the update failed.", func() {
			a.base.render(c, http.StatusInternalServerError, "account/update", "Edit Account", updatePage{Details: form})
		})
		return
	}
	session.SetFirstName(c, form.FirstName) // the header greets the new name
	a.base.succeeded(c, "Your account information has been updated.", "/account/")
}

// ChangePassword sets a new password with the registration rules, once
// the current one is confirmed (a borrowed or stolen session must not be
// able to lock the owner out). It ends the account's other sessions first
// (a password change is how people lock out someone who learned the old
// one) and gives this session a new ID.
func (a *Account) ChangePassword(c *gin.Context) {
	me := session.AccountOf(c)
	ctx := c.Request.Context()
	acct, err := a.accounts.Get(ctx, me.ID)
	if err != nil {
		c.Error(err)
		return
	}
	form := newPasswordForm(c)
	key := "password:" + strconv.Itoa(me.ID)
	if ok, wait := a.throttle.Attempt(key); !ok {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		session.Flash(c, "error", "Too many failed attempts. Please wait a few minutes and try again.")
		a.base.render(c, http.StatusTooManyRequests, "account/update", "Edit Account", updatePage{Details: detailsOf(acct)})
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(acct.PasswordHash), []byte(form.current)) != nil {
		form.Errors = []string{"Your current password is not correct."}
	} else {
		a.throttle.Forgive(key)
		form.Errors = form.validate()
	}
	if len(form.Errors) > 0 {
		session.Flash(c, "error", "Sorry, the password change failed.")
		a.base.render(c, http.StatusUnprocessableEntity, "account/update", "Edit Account",
			updatePage{Details: detailsOf(acct), Password: form})
		return
	}
	if err := a.setPassword(c, me.ID, form.password); err != nil {
		a.base.failed(c, err, "Sorry, the password change failed.", func() { a.base.redirect(c, "/account/update") })
		return
	}
	postgres.Rotate(sessions.Default(c))
	a.base.succeeded(c, "Your password has been changed. Other devices have been logged out.", "/account/")
}

// setPassword ends account id's other sessions, then stores password's
// hash: if the first step fails, nothing has changed.
func (a *Account) setPassword(c *gin.Context, id int, password string) error {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), a.cost)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if _, err := a.store.DeleteSessionsWith(ctx, session.AccountIDKey, strconv.Itoa(id), postgres.ID(sessions.Default(c))); err != nil {
		return err
	}
	return a.accounts.UpdatePassword(ctx, id, string(hash))
}
