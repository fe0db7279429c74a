package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/config"
	"github.com/cse-motors/cse-motors/controllers"
	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/models"
)

// promote sets an existing account's type: `go run . promote EMAIL Employee`.
// The course does this by hand in SQL; a command cannot mistype the enum.
func promote(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 || (args[1] != models.Client && args[1] != models.Employee && args[1] != models.Admin) {
		fmt.Fprintln(stderr, "usage: go run . promote EMAIL Client|Employee|Admin")
		return 2
	}
	db, err := database.Open(ctx, database.Options{URL: cfg.DatabaseURL, MaxOpenConns: 2})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer db.Close()
	if err := database.Migrate(ctx, db, database.Migrations); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	err = models.NewAccounts(db).SetType(ctx, args[0], args[1])
	if errors.Is(err, models.ErrNotFound) {
		fmt.Fprintf(stderr, "no account has the email %q\n", args[0])
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "%s is now %s (sessions keep the old type until the next login)\n", args[0], args[1])
	return 0
}

// devAccounts are created in development only (never in production), so
// every role can be tried at once. The README lists them.
var devAccounts = []struct{ first, last, email, password, typ string }{
	{"Basic", "Client", "basic@340.edu", "Client!Pass2026", models.Client},
	{"Happy", "Employee", "happy@340.edu", "Employee!Pass2026", models.Employee},
	{"Manager", "User", "manager@340.edu", "Admin!Pass2026", models.Admin},
}

func seedAccounts(ctx context.Context, accounts *models.Accounts) error {
	for _, a := range devAccounts {
		if _, err := accounts.ByEmail(ctx, a.email); err == nil {
			continue
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(a.password), controllers.BcryptCost)
		if err != nil {
			return err
		}
		if err := accounts.EnsureSeed(ctx, models.Account{FirstName: a.first, LastName: a.last,
			Email: a.email, PasswordHash: string(hash), Type: a.typ}); err != nil {
			return err
		}
	}
	return nil
}
