package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cse-motors/cse-motors/database"
)

// Vehicle is a row of the inventory table, joined with its classification's
// name where the query needs it.
type Vehicle struct {
	ID                 int    `json:"inv_id"`
	Make               string `json:"inv_make"`
	Model              string `json:"inv_model"`
	Year               string `json:"inv_year"`
	Description        string `json:"inv_description"`
	Image              string `json:"inv_image"`
	Thumbnail          string `json:"inv_thumbnail"`
	Price              int64  `json:"inv_price"`
	Miles              int    `json:"inv_miles"`
	Color              string `json:"inv_color"`
	ClassificationID   int    `json:"classification_id"`
	ClassificationName string `json:"classification_name,omitempty"`
}

// Inventory reads and writes the inventory table.
type Inventory struct {
	// OnChange is called after every successful write (see changed).
	OnChange func()

	db    *sql.DB
	stmts *database.Stmts // the page queries, prepared once
}

// NewInventory returns the model.
func NewInventory(db *sql.DB) *Inventory { return &Inventory{db: db, stmts: database.NewStmts(db)} }

// queryTimeout bounds every model statement, so a slow database gives an
// error page instead of a hung request.
const queryTimeout = 3 * time.Second

const vehicleColumns = `i.inv_id, i.inv_make, i.inv_model, i.inv_year, i.inv_description, i.inv_image,
	i.inv_thumbnail, i.inv_price, i.inv_miles, i.inv_color, i.classification_id, c.classification_name`

func scanVehicle(r row, v *Vehicle) error {
	return r.Scan(&v.ID, &v.Make, &v.Model, &v.Year, &v.Description, &v.Image,
		&v.Thumbnail, &v.Price, &v.Miles, &v.Color, &v.ClassificationID, &v.ClassificationName)
}

// ByClassification returns the vehicles of one classification, by make and
// model.
func (m *Inventory) ByClassification(ctx context.Context, classificationID int) ([]Vehicle, error) {
	return all(ctx, m.stmts, "vehicles by classification", `SELECT `+vehicleColumns+`
		FROM inventory i JOIN classification c ON c.classification_id = i.classification_id
		WHERE i.classification_id = $1 ORDER BY i.inv_make, i.inv_model, i.inv_id`, scanVehicle, classificationID)
}

// Get returns one vehicle. Ids are positive: another is ErrNotFound
// without a query.
func (m *Inventory) Get(ctx context.Context, id int) (Vehicle, error) {
	if id <= 0 {
		return Vehicle{}, ErrNotFound
	}
	return one(ctx, m.stmts, "get vehicle", `SELECT `+vehicleColumns+`
		FROM inventory i JOIN classification c ON c.classification_id = i.classification_id
		WHERE i.inv_id = $1`, scanVehicle, id)
}

// Add inserts a vehicle and returns its id.
func (m *Inventory) Add(ctx context.Context, v Vehicle) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var id int
	err := m.db.QueryRowContext(ctx, `INSERT INTO inventory (inv_make, inv_model, inv_year,
		inv_description, inv_image, inv_thumbnail, inv_price, inv_miles, inv_color, classification_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING inv_id`,
		v.Make, v.Model, v.Year, v.Description, v.Image, v.Thumbnail, v.Price, v.Miles, v.Color,
		v.ClassificationID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("models: add vehicle: %w", err)
	}
	changed(m.OnChange)
	return id, nil
}

// Update replaces every column of vehicle v.ID.
func (m *Inventory) Update(ctx context.Context, v Vehicle) error {
	return change(ctx, m.db, m.OnChange, "update vehicle", `UPDATE inventory SET inv_make = $2, inv_model = $3,
		inv_year = $4, inv_description = $5, inv_image = $6, inv_thumbnail = $7, inv_price = $8,
		inv_miles = $9, inv_color = $10, classification_id = $11 WHERE inv_id = $1`,
		v.ID, v.Make, v.Model, v.Year, v.Description, v.Image, v.Thumbnail, v.Price, v.Miles,
		v.Color, v.ClassificationID)
}

// Delete removes vehicle id (and, by the foreign keys, its reviews).
func (m *Inventory) Delete(ctx context.Context, id int) error {
	return change(ctx, m.db, m.OnChange, "delete vehicle", `DELETE FROM inventory WHERE inv_id = $1`, id)
}

// affected turns "no row matched" into ErrNotFound.
func affected(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("models: %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}
