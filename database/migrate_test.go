package database_test

import (
	"context"
	"sync"
	"testing"

	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/database/dbtest"
)

func TestMigrateIsIdempotentAndSafeInParallel(t *testing.T) {
	db, _ := dbtest.New(t, nil) // migrated once already
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- database.Migrate(context.Background(), db, database.Migrations) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Migrate again: %v", err)
		}
	}
	var names string
	db.QueryRow(`SELECT string_agg(classification_name, ',' ORDER BY classification_id) FROM classification`).Scan(&names)
	if names != "Custom,Sport,SUV,Truck,Sedan" {
		t.Errorf("classifications = %s; want the five seed rows once, in id order", names)
	}
}

func TestOpenRefusesABadURL(t *testing.T) {
	_, err := database.Open(context.Background(), database.Options{URL: "postgres://u@host:port/db"})
	if err == nil {
		t.Fatal("Open accepted a URL with a non-numeric port")
	}
}
