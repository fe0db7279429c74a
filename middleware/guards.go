package middleware

import (
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/session"
)

// RequireLogin sends visitors who are not logged in to the login page with
// "Please log in.", remembering where they were going (GET requests only)
// so the login can bring them back.
func RequireLogin(redirect func(*gin.Context, string)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if session.AccountOf(c) != nil {
			c.Next()
			return
		}
		if c.Request.Method == "GET" {
			session.RememberReturnTo(c, c.Request.URL.RequestURI())
		}
		session.Flash(c, "notice", "Please log in.")
		redirect(c, "/account/login")
		c.Abort()
	}
}

// RequireStaff lets only Employee and Admin accounts through; others get
// forbidden (a 403 page). Use it after RequireLogin.
func RequireStaff(forbidden gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !session.AccountOf(c).Staff() { // nil (nobody) is not staff
			forbidden(c)
			c.Abort()
			return
		}
		c.Next()
	}
}
