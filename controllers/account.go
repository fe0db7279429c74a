package controllers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/middleware"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
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

// LoginPage shows the login form.
func (a *Account) LoginPage(c *gin.Context) {
	a.base.render(c, http.StatusOK, "account/login", "Login", accountForm{})
}

// Login checks the credentials. A wrong password and an unknown email get
// the same message, status and (thanks to the dummy hash) time.
func (a *Account) Login(c *gin.Context) {
	form := accountForm{Email: normalizeEmail(c.PostForm("account_email"))}
	password := c.PostForm("account_password")
	ipKey, emailKey := "ip:"+c.ClientIP(), "email:"+form.Email
	if ok, wait := a.throttle.Attempt(ipKey, emailKey); !ok {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		middleware.Flash(c, "error", "Too many failed login attempts. Please wait a few minutes and try again.")
		a.base.render(c, http.StatusTooManyRequests, "account/login", "Login", form)
		return
	}
	acct, err := a.accounts.ByEmail(c.Request.Context(), form.Email)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		c.Error(err)
		return
	}
	hash := a.dummyHash
	if err == nil {
		hash = []byte(acct.PasswordHash)
	}
	match := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	if err != nil || !match { // the try stays counted
		middleware.Flash(c, "notice", "Please check your credentials and try again.")
		a.base.render(c, http.StatusUnauthorized, "account/login", "Login", form)
		return
	}
	a.throttle.Reset(emailKey)
	a.throttle.Forgive(ipKey)
	returnTo := middleware.TakeReturnTo(c)
	middleware.LogIn(c, views.Account{ID: acct.ID, FirstName: acct.FirstName, Type: acct.Type})
	if returnTo == "" {
		returnTo = "/account/"
	}
	a.base.redirect(c, returnTo)
}

// Logout ends the session (POST only: a link or an image cannot log
// anyone out) and says so on the next page.
func (a *Account) Logout(c *gin.Context) {
	middleware.LogOut(c)
	middleware.Flash(c, "notice", "You have been logged out.")
	a.base.redirect(c, "/")
}

// RegisterPage shows the registration form.
func (a *Account) RegisterPage(c *gin.Context) {
	a.base.render(c, http.StatusOK, "account/register", "Register", accountForm{})
}

// Register creates a Client account with the course's rules.
func (a *Account) Register(c *gin.Context) {
	form := readAccountForm(c)
	password := c.PostForm("account_password")
	form.Errors = append(validateDetails(form), validatePassword(password)...)
	ctx := c.Request.Context()
	if len(form.Errors) == 0 {
		if _, err := a.accounts.ByEmail(ctx, form.Email); err == nil {
			form.Errors = append(form.Errors, "Email exists. Please log in or use different email")
		} else if !errors.Is(err, models.ErrNotFound) {
			c.Error(err)
			return
		}
	}
	if len(form.Errors) > 0 {
		a.base.render(c, http.StatusUnprocessableEntity, "account/register", "Register", form)
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), a.cost)
	if err == nil {
		_, err = a.accounts.Register(ctx, models.Account{FirstName: form.FirstName, LastName: form.LastName,
			Email: form.Email, PasswordHash: string(hash)})
	}
	if errors.Is(err, models.ErrEmailTaken) { // registered in parallel
		form.Errors = []string{"Email exists. Please log in or use different email"}
		a.base.render(c, http.StatusUnprocessableEntity, "account/register", "Register", form)
		return
	}
	if err != nil {
		c.Error(err)
		middleware.Flash(c, "error", "Sorry, the registration failed.")
		a.base.render(c, http.StatusInternalServerError, "account/register", "Register", form)
		return
	}
	middleware.Flash(c, "notice", "Congratulations, you're registered "+form.FirstName+". Please log in.")
	a.base.redirect(c, "/account/login")
}

// Management is the account home: a greeting, the account type, links.
// Everything it shows comes from the session.
func (a *Account) Management(c *gin.Context) {
	a.base.render(c, http.StatusOK, "account/management", "Account Management", nil)
}

// updatePage is the data of views/account/update.html.
type updatePage struct {
	accountForm
	PasswordErrors []string
}

// UpdatePage shows the forms to change the account's details and password.
func (a *Account) UpdatePage(c *gin.Context) {
	acct, err := a.accounts.Get(c.Request.Context(), middleware.CurrentAccount(c).ID)
	if err != nil {
		c.Error(err)
		return
	}
	a.base.render(c, http.StatusOK, "account/update", "Edit Account",
		updatePage{accountForm: accountForm{FirstName: acct.FirstName, LastName: acct.LastName, Email: acct.Email}})
}

// Update changes the names and email; the email must stay unique.
func (a *Account) Update(c *gin.Context) {
	me := middleware.CurrentAccount(c)
	form := readAccountForm(c)
	form.Errors = validateDetails(form)
	var err error
	if len(form.Errors) == 0 {
		err = a.accounts.UpdateDetails(c.Request.Context(), models.Account{ID: me.ID,
			FirstName: form.FirstName, LastName: form.LastName, Email: form.Email})
		if errors.Is(err, models.ErrEmailTaken) {
			form.Errors = []string{"Email exists. Please use a different email"}
		}
	}
	again := func(status int) {
		a.base.render(c, status, "account/update", "Edit Account", updatePage{accountForm: form})
	}
	if len(form.Errors) > 0 {
		middleware.Flash(c, "error", "Sorry, the update failed.")
		again(http.StatusUnprocessableEntity)
		return
	}
	if err == nil {
		middleware.SetFirstName(c, form.FirstName) // the header greets the new name
	}
	a.base.saved(c, err, "Sorry, the update failed.", again, "Your account information has been updated.", "/account/")
}

// ChangePassword sets a new password with the registration rules, once
// the current one is confirmed (a borrowed or stolen session must not be
// able to lock the owner out). It ends the account's other sessions first
// (a password change is how people lock out someone who learned the old
// one) and gives this session a new ID.
func (a *Account) ChangePassword(c *gin.Context) {
	me := middleware.CurrentAccount(c)
	ctx := c.Request.Context()
	acct, err := a.accounts.Get(ctx, me.ID)
	if err != nil {
		c.Error(err)
		return
	}
	page := updatePage{accountForm: accountForm{FirstName: acct.FirstName, LastName: acct.LastName, Email: acct.Email}}
	key := "password:" + strconv.Itoa(me.ID)
	if ok, wait := a.throttle.Attempt(key); !ok {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		middleware.Flash(c, "error", "Too many failed attempts. Please wait a few minutes and try again.")
		a.base.render(c, http.StatusTooManyRequests, "account/update", "Edit Account", page)
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(acct.PasswordHash), []byte(c.PostForm("current_password"))) != nil {
		page.PasswordErrors = []string{"Your current password is not correct."}
	} else {
		a.throttle.Forgive(key)
		page.PasswordErrors = validatePassword(c.PostForm("account_password"))
	}
	if len(page.PasswordErrors) > 0 {
		middleware.Flash(c, "error", "Sorry, the password change failed.")
		a.base.render(c, http.StatusUnprocessableEntity, "account/update", "Edit Account", page)
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(c.PostForm("account_password")), a.cost)
	if err == nil {
		// Other sessions go first: if this fails, nothing has changed.
		_, err = a.store.DeleteSessionsWith(ctx, middleware.AccountIDKey, strconv.Itoa(me.ID), postgres.ID(sessions.Default(c)))
	}
	if err == nil {
		err = a.accounts.UpdatePassword(ctx, me.ID, string(hash))
	}
	if err != nil {
		c.Error(err)
		middleware.Flash(c, "error", "Sorry, the password change failed.")
		a.base.redirect(c, "/account/update")
		return
	}
	postgres.Rotate(sessions.Default(c))
	middleware.Flash(c, "success", "Your password has been changed. Other devices have been logged out.")
	a.base.redirect(c, "/account/")
}
