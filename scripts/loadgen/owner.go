package main

import "fmt"

// owned returns the indexes of the sessions that worker w of workers owns
// out of n: every workers-th one, starting at w. Each session belongs to
// exactly one worker, so no two round trips ever run on one session at the
// same time and a message missing from its page is a lost message, not one
// taken by another worker's GET. (Before, worker w visited sessions w,
// w+workers, ... modulo n, which, with gcd(32, 1000) = 8, gave each
// session to 4 workers at once.)
func owned(w, workers, n int) []int {
	var mine []int
	for i := w; i < n; i += workers {
		mine = append(mine, i)
	}
	return mine
}

// checkOwnership refuses a run in which some worker would own no session:
// it would either sit idle (less load than asked for) or have to share.
func checkOwnership(workers, n int) error {
	if workers < 1 || n < workers {
		return fmt.Errorf("-sessions (%d) must be at least -c (%d): each worker owns sessions of its own", n, workers)
	}
	return nil
}
