package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/models"
	"github.com/cse-motors/cse-motors/session"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// promote sets an existing account's type: `go run . promote EMAIL Employee`.
// The course does this by hand in SQL; a command cannot mistype the enum.
func promote(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 || (args[1] != models.Client && args[1] != models.Employee && args[1] != models.Admin) {
		fmt.Fprintln(stderr, "usage: go run . promote EMAIL Client|Employee|Admin")
		return 2
	}
	db, err := database.Open(ctx, database.Options{URL: cfg.DatabaseURL, MaxOpenConns: 2, TransactionPooler: cfg.TransactionPooler})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer db.Close()
	if err := database.Migrate(ctx, db, database.Migrations); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	accounts := models.NewAccounts(db)
	acct, err := accounts.ByEmail(ctx, args[0])
	if err == nil {
		err = accounts.SetType(ctx, args[0], args[1])
	}
	if errors.Is(err, models.ErrNotFound) {
		fmt.Fprintf(stderr, "no account has the email %q\n", args[0])
		return 1
	}
	if err == nil {
		// The session keeps the account type from the login: end the
		// account's sessions so the new type (or a demotion) applies now.
		store := postgres.NewStore(db, cfg.Secrets()...)
		if err = store.CreateTable(ctx); err == nil {
			_, err = store.DeleteSessionsWith(ctx, session.AccountIDKey, strconv.Itoa(acct.ID), "")
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "%s is now %s; their sessions were ended, so the change applies at their next login\n", args[0], args[1])
	return 0
}
