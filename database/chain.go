package database

import (
	"context"
	"time"
)

// Observers returns one Observer telling each of obs in turn, skipping
// nil ones, or nil when none is left (the pool then pays nothing).
func Observers(obs ...Observer) Observer {
	var all []Observer
	for _, o := range obs {
		if o != nil {
			all = append(all, o)
		}
	}
	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	}
	return func(ctx context.Context, query string, took time.Duration, err error) {
		for _, o := range all {
			o(ctx, query, took, err)
		}
	}
}
