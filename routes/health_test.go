package routes_test

// The load balancer's health check: up without the database, down once the instance drains.

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/public"
	"github.com/cse-motors/cse-motors/routes"
	"github.com/cse-motors/cse-motors/views"
)

func TestHealthCheckNeedsNoDatabaseAndFailsWhileDraining(t *testing.T) {
	db, dbURL := dbtest.New(t, nil)
	cfg := config.Config{Env: "production", Host: "localhost", Port: "5500", DatabaseURL: dbURL,
		SessionSecret: testSecret, IdleTimeout: time.Hour, Lifetime: 24 * time.Hour}
	built, err := routes.NewApp(context.Background(), cfg, db, slog.New(slog.DiscardHandler),
		routes.Files{Views: views.Files, Public: public.Files}, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	check := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		built.Router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		return rec
	}
	db.Close() // PostgreSQL away: the instance can still serve what needs no database
	if rec := check(); rec.Code != http.StatusOK || rec.Body.String() != "ok\n" || len(rec.Result().Cookies()) != 0 {
		t.Errorf("GET /healthz without a database = %d %q (cookies %v); want 200 ok and no cookie",
			rec.Code, rec.Body, rec.Result().Cookies())
	}
	built.Health.Drain()
	if rec := check(); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET /healthz while draining = %d; want 503, so the balancer takes the instance out", rec.Code)
	}
}
