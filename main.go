// Command cse-motors serves the CSE Motors site: the course's Express app,
// in Go. Run it with `make run`; `go run . secret` prints a new
// SESSION_SECRET.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/public"
	"github.com/cse-motors/cse-motors/routes"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
	"github.com/cse-motors/cse-motors/views"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "secret" {
		fmt.Fprintln(stdout, config.NewSecret())
		return 0
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	slog.SetDefault(logger)
	cfg, err := config.Load(config.EnvFile())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if len(args) > 0 && args[0] == "promote" {
		return promote(ctx, cfg, args[1:], stdout, stderr)
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "unknown command %q: run with no arguments to serve, `secret` to print a new SESSION_SECRET, or `promote EMAIL Employee|Admin`\n", args[0])
		return 2
	}
	if err := serve(ctx, cfg, logger); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// serve wires the app and runs it until SIGINT or SIGTERM.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	opts := database.Options{URL: cfg.DatabaseURL, MaxOpenConns: cfg.MaxOpenConns, MaxIdleConns: cfg.MaxIdleConns}
	if cfg.LogSQL {
		opts.Observer = database.LogSQL(logger)
	}
	db, err := database.Open(ctx, opts)
	if err != nil {
		return fmt.Errorf("%w: is PostgreSQL running? `make run` starts a local one; otherwise check DATABASE_URL", err)
	}
	defer db.Close()
	if err := database.Migrate(ctx, db, database.Migrations); err != nil {
		return err
	}

	if !cfg.Production() {
		// Development only: the course's test accounts, listed in the README.
		if err := models.NewAccounts(db).SeedCourseAccounts(ctx); err != nil {
			return err
		}
	}

	store := postgres.NewStore(db, cfg.Secrets()...)
	store.IdleTimeout, store.Lifetime, store.Logger = cfg.IdleTimeout, cfg.Lifetime, logger
	store.Options(routes.CookieOptions(cfg))
	if err := store.CreateTable(ctx); err != nil {
		return err
	}
	// A password change ends the account's other sessions: index them.
	if err := store.IndexKey(ctx, "account_id"); err != nil {
		return err
	}

	viewFiles, publicFiles := fs.FS(views.Files), fs.FS(public.Files)
	if !cfg.Production() {
		// Development: read from disk, so edits show on reload.
		viewFiles, publicFiles = devDir("views", viewFiles), devDir("public", publicFiles)
		gin.SetMode(gin.DebugMode)
	} else {
		gin.SetMode(gin.ReleaseMode)
	}
	pages, err := views.New(viewFiles, publicFiles, !cfg.Production())
	if err != nil {
		return err
	}
	classifications := models.NewClassifications(db, 30*time.Second)
	// Fill the navigation cache now: error pages use it without asking
	// the database, which may be what failed.
	if _, err := classifications.All(ctx); err != nil {
		return err
	}
	router, err := routes.New(routes.Deps{
		Config:          cfg,
		Logger:          logger,
		Store:           store,
		Views:           pages,
		Public:          publicFiles,
		Classifications: classifications,
		Inventory:       models.NewInventory(db),
		Accounts:        models.NewAccounts(db),
		Reviews:         models.NewReviews(db),
	})
	if err != nil {
		return err
	}

	srv := &http.Server{
		Addr:              cfg.Addr(),
		Handler:           router,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}

	var background sync.WaitGroup
	background.Go(func() { store.Janitor(ctx, cfg.JanitorInterval) })

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.ListenAndServe() }()
	logger.Info("CSE Motors listening", "url", "http://"+cfg.Host+":"+cfg.Port, "env", cfg.Env)

	select {
	case err := <-serveErr:
		stop()
		background.Wait()
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	stop() // a second Ctrl-C now ends the process at once
	// Let in-flight requests finish; refuse new connections.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	if err != nil {
		// Out of time: close the connections still open, so no handler
		// is left using the pool when it closes below.
		srv.Close()
	}
	background.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	logger.Info("server stopped")
	return nil
}

// devDir returns dir from disk when it exists (running from the project
// folder), else the embedded copy.
func devDir(dir string, embedded fs.FS) fs.FS {
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return os.DirFS(dir)
	}
	return embedded
}
