// Package database opens the application's one PostgreSQL connection pool
// (lib/pq behind database/sql) and keeps its schema up to date. It is the Go
// counterpart of the course's database/index.js: one pool shared by the models
// and the session store, which in development logs every statement it sends.
package database

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lib/pq"
)

// Options says how to open the pool. The zero value of each field picks a
// sensible default, so tests only set what they care about.
type Options struct {
	// URL is a PostgreSQL connection URL or key=value string.
	URL string
	// MaxOpenConns caps the connections the app may hold; requests beyond it
	// wait for a free one (bounded by their context). Default 16.
	MaxOpenConns int
	// MaxIdleConns is how many connections stay open between bursts.
	// Default: MaxOpenConns, so steady load never reconnects.
	MaxIdleConns int
	// ConnectWait is how long Open keeps retrying an unreachable server
	// before giving up. Default 5s.
	ConnectWait time.Duration
	// Observer, when set, is told about every statement sent, with its
	// duration. The SQL log and the tests' statement counters use it.
	Observer Observer
	// TransactionPooler says the URL points at a pooler in transaction
	// mode (PgBouncer's pool_mode = transaction, Neon's and Supabase's
	// pooled strings), where a server-side prepared statement does not
	// survive from one transaction to the next: statements are then sent
	// whole, in one round trip each (see pooler.go). Leave it off for a
	// direct connection or a session-mode pooler: prepared statements save
	// a round trip there.
	TransactionPooler bool
}

// ErrUnreachable is returned by Open when the server did not answer within
// Options.ConnectWait.
var ErrUnreachable = errors.New("database: server unreachable")

// Open parses the URL, builds the pool with explicit limits, and waits until
// the server answers a ping (retrying for a few seconds, since a freshly
// started PostgreSQL may still be booting). The returned pool is ready to use.
func Open(ctx context.Context, opts Options) (*sql.DB, error) {
	cfg, err := pq.NewConfig(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("database: DATABASE_URL is not a valid PostgreSQL URL: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		// A dead host must not hold a request for the kernel's TCP timeout.
		cfg.ConnectTimeout = 2 * time.Second
	}
	if cfg.Runtime == nil {
		cfg.Runtime = map[string]string{}
	}
	if _, ok := cfg.Runtime["application_name"]; !ok {
		// Shows in pg_stat_activity, so an instructor can tell our connections apart.
		cfg.Runtime["application_name"] = "cse-motors"
	}
	if opts.TransactionPooler {
		// Parse, Bind and Execute in one message: see pooler.go.
		cfg.BinaryParameters = true
	}
	pqConnector, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}

	var connector driver.Connector = pqConnector
	if opts.Observer != nil {
		connector = observedConnector{connector, opts.Observer}
	}
	if opts.TransactionPooler {
		connector = pooledConnector{connector}
	}
	db := sql.OpenDB(connector)
	maxOpen := cmp.Or(opts.MaxOpenConns, 16)
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(cmp.Or(opts.MaxIdleConns, maxOpen))
	// Recycle connections now and then so a server-side restart or a
	// failover does not leave stale connections around forever.
	db.SetConnMaxLifetime(30 * time.Minute)
	db.SetConnMaxIdleTime(5 * time.Minute)

	if err := waitForServer(ctx, db, cmp.Or(opts.ConnectWait, 5*time.Second)); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// waitForServer pings until the server answers or wait has passed.
func waitForServer(ctx context.Context, db *sql.DB, wait time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var lastErr error
	for {
		pingCtx, pingCancel := context.WithTimeout(ctx, 2*time.Second)
		lastErr = db.PingContext(pingCtx)
		pingCancel()
		if lastErr == nil {
			return nil
		}
		slog.Debug("database not ready yet", "err", lastErr)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w after %s: %v", ErrUnreachable, wait, lastErr)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
