package routes_test

// The shared harness: the real app, built as main builds it, over a throwaway PostgreSQL database.

import (
	"context"
	"database/sql"
	"io/fs"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/checkpoints"
	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/public"
	"github.com/cse-motors/cse-motors/routes"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// app is the real router over a throwaway database, built as main builds it.
type app struct {
	t       testing.TB
	db      *sql.DB
	router  *gin.Engine
	site    *routes.Site // what a test-only feature is wired with
	store   *postgres.Store
	counter *dbtest.Counter
	logs    *dbtest.Logs // everything the app logged
	dbURL   string
	// checkpoints is the session demo's request log: nil unless
	// config.Checkpoints (development).
	checkpoints *checkpoints.Log
}

const testSecret = "test-secret-test-secret-test-secret-42"

func newApp(t testing.TB, env string) *app {
	t.Helper()
	counter := &dbtest.Counter{Also: checkpoints.Observe} // as main wires the pool
	db, dbURL := dbtest.New(t, counter)
	a := instance(t, db, dbURL, env, testSecret)
	a.counter = counter
	return a
}

// instance builds the app as main does, over an existing database: a
// second call gives a second instance sharing the sessions.
func instance(t testing.TB, db *sql.DB, dbURL, env, secret string, previous ...string) *app {
	t.Helper()
	return instanceWithViews(t, db, dbURL, env, secret, views.Files, previous...)
}

// newAppWithViews is newApp with other templates: a student's edited view.
func newAppWithViews(t testing.TB, env string, viewFiles fs.FS) *app {
	t.Helper()
	counter := &dbtest.Counter{Also: checkpoints.Observe}
	db, dbURL := dbtest.New(t, counter)
	a := instanceWithViews(t, db, dbURL, env, testSecret, viewFiles)
	a.counter = counter
	return a
}

func instanceWithViews(t testing.TB, db *sql.DB, dbURL, env, secret string, viewFiles fs.FS, previous ...string) *app {
	t.Helper()
	cfg := config.Config{Env: env, Host: "localhost", Port: "5500", DatabaseURL: dbURL,
		SessionSecret: secret, IdleTimeout: time.Hour, Lifetime: 24 * time.Hour,
		DemoRoutes: env != "production"}
	if len(previous) > 0 {
		cfg.PreviousSecret = previous[0]
	}
	logs := &dbtest.Logs{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	built, err := routes.NewApp(context.Background(), cfg, db, logger,
		routes.Files{Views: viewFiles, Public: public.Files}, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return &app{t: t, db: db, router: built.Router, site: built.Site, store: built.Store, counter: &dbtest.Counter{}, logs: logs, dbURL: dbURL,
		checkpoints: built.Checkpoints}
}

func (a *app) sessionRows() int {
	var n int
	a.db.QueryRow(`SELECT count(*) FROM session`).Scan(&n)
	return n
}

func (a *app) count(query string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.db.QueryRow(query, args...).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

const goodPassword = "Sturdy!Passw0rd"

// account creates an account of the given type directly in the database.
func (a *app) account(first, email, typ string) {
	a.t.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte(goodPassword), bcrypt.MinCost)
	accounts := models.NewAccounts(a.db)
	if _, err := accounts.Register(context.Background(), models.Account{FirstName: first, LastName: "Tester",
		Email: email, PasswordHash: string(hash)}); err != nil {
		a.t.Fatal(err)
	}
	if err := accounts.SetType(context.Background(), email, typ); err != nil {
		a.t.Fatal(err)
	}
}
