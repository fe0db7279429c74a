package main

import (
	"slices"
	"testing"
)

// TestOwned checks the assignment of sessions to workers: each session to
// exactly one worker, every session used, and shares that differ by at most
// one, including the harness's own sizes (bench: 32 workers, 1000
// sessions, where the old stride gave each session to 4 workers; soak: 16
// and 160).
func TestOwned(t *testing.T) {
	for _, tc := range []struct{ workers, n int }{
		{32, 1000}, {16, 160}, {1, 1}, {1, 5}, {3, 3}, {3, 10}, {7, 8}, {8, 1000},
	} {
		owner := make([]int, tc.n)
		for i := range owner {
			owner[i] = -1
		}
		least, most := tc.n, 0
		for w := range tc.workers {
			mine := owned(w, tc.workers, tc.n)
			least, most = min(least, len(mine)), max(most, len(mine))
			for _, i := range mine {
				if i < 0 || i >= tc.n {
					t.Fatalf("%d workers, %d sessions: worker %d got index %d; want 0 to %d", tc.workers, tc.n, w, i, tc.n-1)
				}
				if owner[i] != -1 {
					t.Fatalf("%d workers, %d sessions: session %d owned by workers %d and %d; want one owner", tc.workers, tc.n, i, owner[i], w)
				}
				owner[i] = w
			}
		}
		if i := slices.Index(owner, -1); i >= 0 {
			t.Errorf("%d workers, %d sessions: session %d has no worker; want every session used", tc.workers, tc.n, i)
		}
		if least == 0 || most-least > 1 {
			t.Errorf("%d workers, %d sessions: shares from %d to %d sessions; want at least 1 each, differing by at most 1", tc.workers, tc.n, least, most)
		}
	}
}

// TestOwnedExample pins the rule itself on a small case.
func TestOwnedExample(t *testing.T) {
	for w, want := range [][]int{{0, 3, 6, 9}, {1, 4, 7}, {2, 5, 8}} {
		if got := owned(w, 3, 10); !slices.Equal(got, want) {
			t.Errorf("owned(%d, 3, 10) = %v; want %v", w, got, want)
		}
	}
}

// TestCheckOwnership: fewer sessions than workers is refused with a message.
func TestCheckOwnership(t *testing.T) {
	for _, tc := range []struct {
		workers, n int
		ok         bool
	}{{32, 1000, true}, {16, 160, true}, {4, 4, true}, {32, 31, false}, {0, 10, false}, {1, 0, false}} {
		if err := checkOwnership(tc.workers, tc.n); (err == nil) != tc.ok {
			t.Errorf("checkOwnership(%d, %d) = %v; want ok %v", tc.workers, tc.n, err, tc.ok)
		}
	}
}
