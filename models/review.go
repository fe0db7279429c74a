package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/cse-motors/cse-motors/database"
)

// Review is a row of the review table (the worked final enhancement), with
// what the pages show beside it: the reviewer as first name and last
// initial, and the vehicle's name.
type Review struct {
	ID        int
	Text      string
	Rating    int // 1 to 5
	Date      time.Time
	VehicleID int
	AccountID int
	Reviewer  string // "Basic C.": a review never shows the full name or the email
	Vehicle   string // "2019 Jeep Wrangler"
}

// Reviews reads and writes the review table.
type Reviews struct {
	// OnChange is called after every successful write (see changed).
	OnChange func()

	db    *sql.DB
	stmts *database.Stmts // the detail page's query, prepared once
}

// NewReviews returns the model.
func NewReviews(db *sql.DB) *Reviews { return &Reviews{db: db, stmts: database.NewStmts(db)} }

// reviewSelect joins what every review query shows.
const reviewSelect = `SELECT r.review_id, r.review_text, r.review_rating, r.review_date, r.inv_id, r.account_id,
	a.account_firstname || ' ' || left(a.account_lastname, 1) || '.',
	i.inv_year || ' ' || i.inv_make || ' ' || i.inv_model
	FROM review r JOIN account a ON a.account_id = r.account_id JOIN inventory i ON i.inv_id = r.inv_id `

func scanReview(row row, r *Review) error {
	return row.Scan(&r.ID, &r.Text, &r.Rating, &r.Date, &r.VehicleID, &r.AccountID, &r.Reviewer, &r.Vehicle)
}

// ByVehicle returns a vehicle's reviews, newest first (the detail page).
func (m *Reviews) ByVehicle(ctx context.Context, invID int) ([]Review, error) {
	return all(ctx, m.stmts, "list reviews",
		reviewSelect+`WHERE r.inv_id = $1 ORDER BY r.review_date DESC, r.review_id DESC`, scanReview, invID)
}

// ByAccount returns an account's reviews, newest first (its review page).
func (m *Reviews) ByAccount(ctx context.Context, accountID int) ([]Review, error) {
	return all(ctx, m.stmts, "list reviews",
		reviewSelect+`WHERE r.account_id = $1 ORDER BY r.review_date DESC, r.review_id DESC`, scanReview, accountID)
}

// Get returns one review. Ids are positive: another is ErrNotFound
// without a query.
func (m *Reviews) Get(ctx context.Context, id int) (Review, error) {
	if id <= 0 {
		return Review{}, ErrNotFound
	}
	return one(ctx, m.db, "get review", reviewSelect+`WHERE r.review_id = $1`, scanReview, id)
}

// Add inserts r (its text, rating, vehicle and account) and returns its id.
// A vehicle or account deleted meanwhile gives ErrNotFound.
func (m *Reviews) Add(ctx context.Context, r Review) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var id int
	err := m.db.QueryRowContext(ctx, `INSERT INTO review (review_text, review_rating, inv_id, account_id)
		VALUES ($1, $2, $3, $4) RETURNING review_id`, r.Text, r.Rating, r.VehicleID, r.AccountID).Scan(&id)
	if pqErr, ok := errors.AsType[*pq.Error](err); ok && pqErr.Code == "23503" { // foreign_key_violation
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("models: add review: %w", err)
	}
	changed(m.OnChange)
	return id, nil
}

// Update changes the text and rating of review r.ID, if r.AccountID wrote
// it: the controller checks the author first, and the statement checks
// again, so a review can never be changed on another account's behalf.
func (m *Reviews) Update(ctx context.Context, r Review) error {
	return change(ctx, m.db, m.OnChange, "update review", `UPDATE review SET review_text = $3, review_rating = $4
		WHERE review_id = $1 AND account_id = $2`, r.ID, r.AccountID, r.Text, r.Rating)
}

// Delete removes review id (the controller decides who may).
func (m *Reviews) Delete(ctx context.Context, id int) error {
	return change(ctx, m.db, m.OnChange, "delete review", `DELETE FROM review WHERE review_id = $1`, id)
}
