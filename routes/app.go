package routes

import (
	"context"
	"database/sql"
	"io/fs"
	"log/slog"
	"time"

	"github.com/cse-motors/cse-motors/checkpoints"
	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/controllers"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

// App is the site wired together over one database pool: what main serves
// and what the tests drive, built by NewApp for both, so the two cannot
// drift apart.
type App struct {
	*Site                 // the Router: every route of routes.go
	Store *postgres.Store // the session store, for main's janitor and the tests
	// Health is GET /healthz, which main fails (Drain) when shutting down.
	Health *controllers.Health
	// Checkpoints is the session demo's request log (development only,
	// config.Checkpoints); nil otherwise, when no request is kept.
	Checkpoints *checkpoints.Log
}

// Files are the templates and static files the app serves.
type Files struct {
	Views, Public fs.FS
	// Reload re-reads templates on every render (development), so a view
	// edit shows on the next reload.
	Reload bool
}

// NewApp builds the app over db, whose schema is migrated: the session
// store (its table created if missing), the views, the models and the
// router. bcryptCost is the password hashing cost; zero means
// controllers.BcryptCost (tests pass a low one).
func NewApp(ctx context.Context, cfg config.Config, db *sql.DB, logger *slog.Logger, files Files, bcryptCost int) (*App, error) {
	store := postgres.NewStore(db, cfg.Secrets()...)
	store.IdleTimeout, store.Lifetime, store.Logger = cfg.IdleTimeout, cfg.Lifetime, logger
	store.AsyncCommit = cfg.SessionAsyncCommit // flash and expiry writes only: see the README
	store.Options(CookieOptions(cfg))
	if err := store.CreateTable(ctx); err != nil {
		return nil, err
	}
	// A password change ends the account's other sessions: index them.
	if err := store.IndexKey(ctx, session.AccountIDKey); err != nil {
		return nil, err
	}
	pages, err := views.New(files.Views, files.Public, files.Reload)
	if err != nil {
		return nil, err
	}
	classifications := models.NewClassifications(db, 30*time.Second)
	// Fill the navigation cache now: error pages use it without asking
	// the database, which may be what failed.
	if _, err := classifications.All(ctx); err != nil {
		return nil, err
	}
	health := controllers.NewHealth()
	var log *checkpoints.Log
	if cfg.Checkpoints() {
		log = checkpoints.New() // the pool must tell it: checkpoints.Observe
	}
	site, err := New(Deps{
		Config:          cfg,
		Logger:          logger,
		Store:           store,
		Views:           pages,
		Public:          files.Public,
		Classifications: classifications,
		Inventory:       models.NewInventory(db),
		Accounts:        models.NewAccounts(db),
		Reviews:         models.NewReviews(db),
		BcryptCost:      bcryptCost,
		Health:          health,
		Checkpoints:     log,
	})
	if err != nil {
		return nil, err
	}
	return &App{Site: site, Store: store, Health: health, Checkpoints: log}, nil
}
