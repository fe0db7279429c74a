// Command cse-motors serves the CSE Motors site: the course's Express app,
// in Go. Run it with `make run`; `go run . secret` prints a new
// SESSION_SECRET.
package main

import (
	"context"
	"database/sql"
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

	"github.com/cse-motors/cse-motors/checkpoints"
	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/public"
	"github.com/cse-motors/cse-motors/routes"
	"github.com/cse-motors/cse-motors/views"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// usage is what `go run . help` prints, and what an unknown command gets.
const usage = `usage: go run . [command]   (or bin/cse-motors [command])

  (no command)                         serve the site on HOST:PORT (what make run does)
  secret                               print a new SESSION_SECRET
  promote EMAIL Client|Employee|Admin  set an account's type and end its sessions
  help                                 print this text
`

// run is the command switch: every command the binary knows.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "secret":
		fmt.Fprintln(stdout, config.NewSecret())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "promote", "":
		// Both need the configuration, loaded below.
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	slog.SetDefault(logger)
	cfg, err := config.Load(config.EnvFile())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if cmd == "promote" {
		return promote(ctx, cfg, args, stdout, stderr)
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
	context.AfterFunc(ctx, stop) // once shutting down, a second Ctrl-C ends the process at once
	db, err := openDatabase(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()

	files := routes.Files{Views: views.Files, Public: public.Files}
	gin.SetMode(gin.ReleaseMode)
	if !cfg.Production() {
		// Development: read from disk, so edits show on reload.
		files = routes.Files{Views: devDir("views", views.Files), Public: devDir("public", public.Files), Reload: true}
		gin.SetMode(gin.DebugMode)
	}
	app, err := routes.NewApp(ctx, cfg, db, logger, files, 0)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              cfg.Addr(),
		Handler:           app.Router,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	var background sync.WaitGroup
	background.Go(func() { app.Store.Janitor(ctx, cfg.JanitorInterval) })
	defer background.Wait() // the janitor stops with ctx
	logger.Info("CSE Motors listening", "url", "http://"+cfg.Host+":"+cfg.Port, "env", cfg.Env)
	err = listen(ctx, srv, shutdown{drain: cfg.ShutdownDrain, grace: cfg.ShutdownTimeout, draining: app.Health.Drain}, logger)
	stop()
	if err == nil {
		logger.Info("server stopped")
	}
	return err
}

// openDatabase opens the pool (logging SQL in development), applies the
// migrations and, in development only, creates the course's test
// accounts listed in the README.
func openDatabase(ctx context.Context, cfg config.Config, logger *slog.Logger) (*sql.DB, error) {
	opts := database.Options{URL: cfg.DatabaseURL, MaxOpenConns: cfg.MaxOpenConns, MaxIdleConns: cfg.MaxIdleConns,
		TransactionPooler: cfg.TransactionPooler}
	var logSQL, demo database.Observer
	if cfg.LogSQL {
		logSQL = database.LogSQL(logger)
	}
	if cfg.TransactionPooler {
		logger.Info("database behind a transaction pooler: no statement is prepared on the server (DATABASE_POOLER)")
	}
	if cfg.Checkpoints() {
		demo = checkpoints.Observe // the session demo's SQL per request
	}
	opts.Observer = database.Observers(logSQL, demo)
	db, err := database.Open(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: is PostgreSQL running? `make run` starts a local one; otherwise check DATABASE_URL", err)
	}
	err = database.Migrate(ctx, db, database.Migrations)
	// An edited migration stops development, where it is a mistake to fix
	// now; production keeps serving the schema it has, and says so.
	if changed := (*database.ChangedError)(nil); errors.As(err, &changed) && cfg.Production() {
		logger.Error("edited migrations ignored", "err", changed)
		err = nil
	}
	if err == nil && !cfg.Production() {
		err = models.NewAccounts(db).SeedCourseAccounts(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// shutdown says how listen stops.
type shutdown struct {
	// drain is how long the server keeps serving, with its health check
	// failing (draining is called first), before it stops accepting
	// connections: a load balancer that checks more often than that has
	// taken the instance out by then, so no request of its is refused.
	drain    time.Duration
	draining func()
	// grace is how long in-flight requests get to finish.
	grace time.Duration
}

// listen serves until ctx ends (SIGINT, SIGTERM), then shuts down
// gracefully: the health check fails for the drain time while requests
// are still served, then new connections are refused and in-flight
// requests get up to grace to finish; connections still open after that
// are closed (a handler still running then may see the pool close under
// it and fail: its client is gone anyway).
func listen(ctx context.Context, srv *http.Server, sd shutdown, logger *slog.Logger) error {
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.ListenAndServe() }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	if sd.drain > 0 {
		logger.Info("draining: health check failing, still serving", "for", sd.drain)
		sd.draining()
		time.Sleep(sd.drain)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), sd.grace)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if err != nil {
		srv.Close()
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: shutdown: %w", err)
	}
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
