package controllers

// The load balancer's health check: is this instance taking requests?

import (
	"net/http"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// Health answers GET /healthz for a load balancer (HAProxy, Render). It
// does not ask the database: while PostgreSQL is briefly away every
// instance is equally affected, the pages that do not need it (the home
// page, the cached inventory pages, static files) are still served, and a
// check that failed would take every instance out of the balancer at once
// and turn a 503 on some pages into an outage of all of them. It fails
// only once the instance starts shutting down (Drain), so the balancer
// stops sending it requests before it closes its listener.
type Health struct {
	draining atomic.Bool
}

// NewHealth returns a health check that passes until Drain is called.
func NewHealth() *Health { return &Health{} }

// Drain makes the check fail from now on: the instance is shutting down.
func (h *Health) Drain() { h.draining.Store(true) }

// Check answers 200 "ok", or 503 "draining" once Drain was called.
func (h *Health) Check(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if h.draining.Load() {
		c.String(http.StatusServiceUnavailable, "draining\n")
		return
	}
	c.String(http.StatusOK, "ok\n")
}
