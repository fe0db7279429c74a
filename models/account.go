package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lib/pq"
)

// Account types, as the account_type enum defines them.
const (
	Client   = "Client"
	Employee = "Employee"
	Admin    = "Admin"
)

// ErrEmailTaken is returned when another account already has the email.
var ErrEmailTaken = errors.New("models: email already registered")

// Account is a row of the account table. PasswordHash is the bcrypt hash.
type Account struct {
	ID           int
	FirstName    string
	LastName     string
	Email        string
	PasswordHash string
	Type         string
}

// Accounts reads and writes the account table.
type Accounts struct {
	// OnChange is called after a change to what public pages show of an
	// account (a reviewer's name): see changed.
	OnChange func()

	db *sql.DB
}

// NewAccounts returns the model.
func NewAccounts(db *sql.DB) *Accounts { return &Accounts{db: db} }

const accountColumns = `account_id, account_firstname, account_lastname, account_email, account_password, account_type`

func scanAccount(r row, a *Account) error {
	return r.Scan(&a.ID, &a.FirstName, &a.LastName, &a.Email, &a.PasswordHash, &a.Type)
}

// ByEmail finds an account by email, ignoring case.
func (m *Accounts) ByEmail(ctx context.Context, email string) (Account, error) {
	return one(ctx, m.db, "get account",
		`SELECT `+accountColumns+` FROM account WHERE lower(account_email) = lower($1)`, scanAccount, email)
}

// Get finds an account by id.
func (m *Accounts) Get(ctx context.Context, id int) (Account, error) {
	return one(ctx, m.db, "get account", `SELECT `+accountColumns+` FROM account WHERE account_id = $1`, scanAccount, id)
}

// Register inserts a Client account and returns its id, or ErrEmailTaken.
func (m *Accounts) Register(ctx context.Context, a Account) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var id int
	err := m.db.QueryRowContext(ctx, `INSERT INTO account
		(account_firstname, account_lastname, account_email, account_password)
		VALUES ($1, $2, $3, $4) RETURNING account_id`,
		a.FirstName, a.LastName, a.Email, a.PasswordHash).Scan(&id)
	if isUniqueViolation(err) {
		return 0, ErrEmailTaken
	}
	if err != nil {
		return 0, fmt.Errorf("models: register account: %w", err)
	}
	return id, nil
}

// UpdateDetails changes an account's names and email (ErrEmailTaken when
// another account has that email).
func (m *Accounts) UpdateDetails(ctx context.Context, a Account) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	res, err := m.db.ExecContext(ctx, `UPDATE account SET account_firstname = $2,
		account_lastname = $3, account_email = $4 WHERE account_id = $1`,
		a.ID, a.FirstName, a.LastName, a.Email)
	if isUniqueViolation(err) {
		return ErrEmailTaken
	}
	if err = affected(res, err, "update account"); err == nil {
		changed(m.OnChange) // reviews show the name
	}
	return err
}

// UpdatePassword stores a new bcrypt hash.
func (m *Accounts) UpdatePassword(ctx context.Context, id int, hash string) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	res, err := m.db.ExecContext(ctx, `UPDATE account SET account_password = $2 WHERE account_id = $1`, id, hash)
	return affected(res, err, "update password")
}

// SetType changes an account's type (the course does this by hand in SQL).
func (m *Accounts) SetType(ctx context.Context, email, accountType string) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	res, err := m.db.ExecContext(ctx, `UPDATE account SET account_type = $2 WHERE lower(account_email) = lower($1)`,
		email, accountType)
	return affected(res, err, "set account type")
}

// CourseAccounts are the course's three published test accounts (one of
// each type), with the passwords the course gives for them in the
// comments, so graders and instructors log in with what they know. Stored
// as bcrypt hashes (cost 12): seeding spends no time hashing.
var CourseAccounts = []Account{
	{FirstName: "Basic", LastName: "Client", Email: "basic@340.edu", Type: Client, // I@mABas1cCl!3nt
		PasswordHash: "$2a$12$RxmY5VepG2wShmPkxFcqG.BoWaEAGblwHKFduBHp2kqF7hdobEvP2"},
	{FirstName: "Happy", LastName: "Employee", Email: "happy@340.edu", Type: Employee, // I@mAnEmpl0y33
		PasswordHash: "$2a$12$xln.Zc7wMYUkPuNk1lk/quLXzKRo1YC2KyWBTDDxq671PzUP1Cj1e"},
	{FirstName: "Manager", LastName: "User", Email: "manager@340.edu", Type: Admin, // I@mAnAdm!n1strat0r
		PasswordHash: "$2a$12$yr.KlOOv4TMfQQViyze5o.ybB1Z4htXmmVRIo3CEGJFDFG/LlvLNe"},
}

// SeedCourseAccounts creates CourseAccounts, leaving alone any whose email
// exists. Development only: main never calls it in production (its test
// TestProductionBinary checks), where these known passwords would be a
// way in.
func (m *Accounts) SeedCourseAccounts(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	for _, a := range CourseAccounts {
		_, err := m.db.ExecContext(ctx, `INSERT INTO account
			(account_firstname, account_lastname, account_email, account_password, account_type)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
			a.FirstName, a.LastName, a.Email, a.PasswordHash, a.Type)
		if err != nil {
			return fmt.Errorf("models: seed the course accounts: %w", err)
		}
	}
	return nil
}

func isUniqueViolation(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23505"
}
