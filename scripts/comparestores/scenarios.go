package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lib/pq"
)

// The scenarios' sizes. Every figure in the table comes from a run; these
// are only the questions' sizes, printed into the rows' titles.
const (
	newVisitors = 10
	pageViews   = 100
	parallel    = 20
	lockFor     = 5 * time.Second
	bigValue    = 5 * 1024
)

// A scenario is one row of the table: a title and what to measure,
// run once against each store.
type scenario struct {
	title string
	run   func(ctx context.Context, s *subject) string
}

func scenarios() []scenario {
	return []scenario{
		{fmt.Sprintf("1. A visitor who stores nothing (%d new visitors, one page each): rows written, Set-Cookie sent", newVisitors), storesNothing},
		{fmt.Sprintf("2. An unchanged session on %d page views: writes made", pageViews), unchanged},
		{fmt.Sprintf("3. %d parallel requests each adding a flash message to one session, the app's way (`session.Flash`): messages kept", parallel), parallelFlashes("/flash")},
		{"3b. The same with gin-contrib's `session.AddFlash`: messages kept", parallelFlashes("/addflash")},
		{"4. Logout (the store's way) racing a slow request on the same session: is the session alive afterwards?", logoutRace("/logout")},
		{"4b. The same with logout by `session.Clear()` and a save", logoutRace("/logout-clear")},
		{"5. A destroyed session's cookie replayed with a change: row written back?", destroyedReplay},
		{"5b. A new session saved twice in one request (as a retried save is): rows for its ID", savedTwice},
		{"6. An expired row still in the table: is the session loaded?", expiredRow},
		{fmt.Sprintf("7. A value of %d KB (over 4 KB): stored?", bigValue/1024), bigValueStored},
		{fmt.Sprintf("8. The session table locked for %v: time to answer, status", lockFor), lockedTable},
		{"9. PostgreSQL stopped: status, what the visitor is shown", databaseStopped},
		{"10. The default cookie's attributes", defaultCookie},
		{"11. ID rotation at login: available? does the pre-login cookie still work?", rotationAtLogin},
		{"12. `go test -race` over concurrent use: data races found", nil}, // filled in by main
		{fmt.Sprintf("13. Throughput, a page with a session (%d visitors in parallel, each on a session of its own, %v per store)", throughputVisitors, throughputFor), pagesThroughput},
		{fmt.Sprintf("14. Throughput, flash round trips (a POST queueing a message the store's way, then the page taking it; %d visitors, %v per store)", throughputVisitors, throughputFor), flashThroughput},
	}
}

// storesNothing shows whether a visitor who stores nothing costs a row and
// a cookie. The page only looks for flash messages, as every page of the
// app does, with gin-contrib's session.Flashes, which marks the session
// changed even when there was nothing to take: a store that writes
// whatever it is handed writes then, ours compares what it holds. A store
// that writes here fills its table with a row per crawler and per
// one-page visitor, and sets a cookie nobody asked for.
func storesNothing(ctx context.Context, s *subject) string {
	before, err := s.rows(ctx, "")
	if err != nil {
		return errCell(err)
	}
	cookies := 0
	for range newVisitors {
		r := newVisitor(s.base, nil).get("/page")
		if msg := failed(r); msg != "" {
			return msg
		}
		if r.cookie != nil {
			cookies++
		}
	}
	after, err := s.rows(ctx, "")
	if err != nil {
		return errCell(err)
	}
	return fmt.Sprintf("%d rows written, %d of %d responses with Set-Cookie", after-before, cookies, newVisitors)
}

// unchanged counts the INSERT, UPDATE and DELETE statements the store sends
// while a logged-in visitor views pages that change nothing (the same page
// as in storesNothing). Each write is a database round trip and a dead row
// for VACUUM, on every page view.
func unchanged(ctx context.Context, s *subject) string {
	v, _, msg := login(s)
	if msg != "" {
		return msg
	}
	before := s.writes.Load()
	for range pageViews {
		if msg := failed(v.get("/page")); msg != "" {
			return msg
		}
	}
	return fmt.Sprintf("%d writes", s.writes.Load()-before)
}

// parallelFlashes sends parallel requests on one session, each adding one
// flash message, then counts the messages the session holds. A browser
// does this with several tabs or parallel form posts; a store that keeps
// only the last save loses the other confirmations and error messages.
// Our store merges parallel changes, and the values it is told are queues
// (the app's flash messages) message by message; gin-contrib's AddFlash
// is a plain value to it, and the last save wins (row 3b).
func parallelFlashes(path string) func(context.Context, *subject) string {
	return func(ctx context.Context, s *subject) string {
		v, _, msg := login(s)
		if msg != "" {
			return msg
		}
		cookie := v.cookie()
		results := make([]response, parallel)
		var wg sync.WaitGroup
		for i := range parallel {
			wg.Go(func() {
				results[i] = newVisitor(s.base, cookie).get(fmt.Sprintf("%s?m=message-%d", path, i))
			})
		}
		wg.Wait()
		for _, r := range results {
			if msg := failed(r); msg != "" {
				return msg
			}
		}
		r := v.get("/count")
		if msg := failed(r); msg != "" {
			return msg
		}
		var app, added int
		if _, err := fmt.Sscan(r.body, &app, &added); err != nil {
			return errCell(err)
		}
		kept := app
		if path == "/addflash" {
			kept = added
		}
		return fmt.Sprintf("%d of %d kept", kept, parallel)
	}
}

// logoutRace logs out while a slower request on the same session is in
// flight: the slow request reads the session, the logout completes, then
// the slow request saves. The browser keeps whatever cookie arrives last.
// If the session is alive afterwards, "log out" on a shared computer does
// not log out.
func logoutRace(logoutPath string) func(context.Context, *subject) string {
	return func(ctx context.Context, s *subject) string {
		v, id, msg := login(s)
		if msg != "" {
			return msg
		}
		slow := make(chan response, 1)
		go func() { slow <- v.get("/slow") }()
		select {
		case <-s.slowLoaded:
		case <-time.After(5 * time.Second):
			return "error: the slow request never read its session"
		}
		if msg := failed(v.post(logoutPath, nil)); msg != "" {
			return msg
		}
		select {
		case s.slowRelease <- struct{}{}:
		case <-time.After(5 * time.Second):
			return "error: the slow request stopped waiting"
		}
		sr := <-slow
		if msg := failed(sr); msg != "" {
			return msg
		}
		after := v.get("/get?k=user")
		if msg := failed(after); msg != "" {
			return msg
		}
		n, err := s.rows(ctx, id)
		if err != nil {
			return errCell(err)
		}
		cell := "no: logged out"
		if after.body != "" {
			cell = "yes: logged in as " + after.body
		}
		cell += fmt.Sprintf(" (%s under the old ID", plural(n, "row"))
		if sr.cookie != nil && sr.cookie.Value != "" && sr.cookie.MaxAge >= 0 {
			cell += "; the slow response set the old session's cookie again"
		}
		return cell + ")"
	}
}

// destroyedReplay logs in, logs out, then sends the old cookie again with
// a change, as a second tab, a stolen cookie or a browser restoring its
// session does. A store that writes the destroyed ID back lets whoever
// holds the old cookie carry on under a session the user ended.
func destroyedReplay(ctx context.Context, s *subject) string {
	v, id, msg := login(s)
	if msg != "" {
		return msg
	}
	old := v.cookie()
	if msg := failed(v.post("/logout", nil)); msg != "" {
		return msg
	}
	if n, err := s.rows(ctx, id); err != nil || n != 0 {
		return fmt.Sprintf("error: logout left %d rows (%v)", n, err)
	}
	r := newVisitor(s.base, old).get("/set?k=cart&v=1")
	if msg := failed(r); msg != "" {
		return msg
	}
	n, err := s.rows(ctx, id)
	if err != nil {
		return errCell(err)
	}
	if n > 0 {
		return fmt.Sprintf("yes: %s under the destroyed ID", plural(n, "row"))
	}
	cell := "no: 0 rows under the destroyed ID"
	if got := r.header.Get(idHeader); got != "" && got != id {
		cell += " (the change started a session with a new ID)"
	}
	return cell
}

// savedTwice saves a new session twice in one request. A store that inserts
// on every save of a session it thinks new leaves two rows for one ID, and
// which of them a later request reads is up to the query plan; a primary
// key on the ID column would have refused the second.
func savedTwice(ctx context.Context, s *subject) string {
	r := newVisitor(s.base, nil).get("/set-twice")
	if msg := failed(r); msg != "" {
		return msg
	}
	n, err := s.rows(ctx, r.header.Get(idHeader))
	if err != nil {
		return errCell(err)
	}
	unique, err := s.idUnique(ctx)
	if err != nil {
		return errCell(err)
	}
	return fmt.Sprintf("%s for one ID (column %s unique: %s)", plural(n, "row"), s.idColumn, yesNo(unique))
}

// expiredRow moves a live session's expiry into the past, as time would,
// and asks for the session again. A store that does not check expiry in
// its query keeps an old cookie valid for as long as the row lasts (until
// a cleanup runs, if one does), whatever the expiry says.
func expiredRow(ctx context.Context, s *subject) string {
	v, id, msg := login(s)
	if msg != "" {
		return msg
	}
	q := fmt.Sprintf("UPDATE %s SET %s = now() - interval '1 hour' WHERE %s = $1",
		pq.QuoteIdentifier(s.table), pq.QuoteIdentifier(s.expireColumn), pq.QuoteIdentifier(s.idColumn))
	if _, err := s.inspect.ExecContext(ctx, q, id); err != nil {
		return errCell(err)
	}
	r := v.get("/get?k=user")
	if msg := failed(r); msg != "" {
		return msg
	}
	if r.body != "" {
		return "yes: " + shown(r)
	}
	return "no: " + shown(r)
}

// bigValueStored stores one value over 4 KB (a cart, a draft form, a
// list of recently viewed vehicles) and reads it back.
func bigValueStored(ctx context.Context, s *subject) string {
	v := newVisitor(s.base, nil)
	big := strings.Repeat("x", bigValue)
	r := v.post("/set", url.Values{"k": {"big"}, "v": {big}})
	if r.err != nil {
		return errCell(r.err)
	}
	if r.status != http.StatusOK {
		return fmt.Sprintf("no: Save returned %q (answered %d)", strings.TrimPrefix(r.body, "session not saved: "), r.status)
	}
	g := v.get("/get?k=big")
	if msg := failed(g); msg != "" {
		return msg
	}
	if g.body != big {
		return fmt.Sprintf("no: %d bytes read back", len(g.body))
	}
	return fmt.Sprintf("yes: %d bytes read back", len(g.body))
}

// lockedTable holds an exclusive lock on the store's table (a migration, a
// VACUUM FULL, a stuck transaction) while a logged-in visitor asks for a
// page. Without a deadline the request waits as long as the lock does,
// and so does every other request, until the server runs out of
// connections.
func lockedTable(ctx context.Context, s *subject) string {
	v, _, msg := login(s)
	if msg != "" {
		return msg
	}
	tx, err := s.inspect.BeginTx(ctx, nil)
	if err != nil {
		return errCell(err)
	}
	if _, err := tx.ExecContext(ctx, "LOCK TABLE "+pq.QuoteIdentifier(s.table)+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		tx.Rollback()
		return errCell(err)
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(lockFor)
		tx.Rollback()
		close(released)
	}()
	r := v.get("/get?k=user")
	<-released
	return answered(r) + ": " + shown(r)
}

// databaseStopped builds the same store and router over a pool whose
// connections go through a relay, logs a visitor in, stops the relay and
// asks for a page. A store that hides the failure shows a logged-in
// visitor a logged-out page (and a form that posts back may then save an
// empty session over theirs); a 503 says "try again" and loses nothing.
func databaseStopped(ctx context.Context, s *subject) string {
	db, rl, err := openRelayed(s.url)
	if err != nil {
		return errCell(err)
	}
	defer db.Close()
	defer rl.stop()
	relayed, err := s.reopen(ctx, db)
	if err != nil {
		return errCell(err)
	}
	srv := httptest.NewServer(newRouter(relayed))
	defer srv.Close()
	v := newVisitor(srv.URL, nil)
	if msg := failed(v.get("/set?k=user&v=alice")); msg != "" {
		return msg
	}
	rl.stop()
	r := v.get("/get?k=user")
	return answered(r) + ": " + shown(r)
}

// defaultCookie lists the attributes of the cookie a store sends when the
// app sets none. Without HttpOnly any script injected into a page can read
// the session ID; without SameSite older browsers send it with cross-site
// form posts.
func defaultCookie(ctx context.Context, s *subject) string {
	r := newVisitor(s.base, nil).get("/set?k=user&v=alice")
	if msg := failed(r); msg != "" {
		return msg
	}
	c := r.cookie
	if c == nil {
		return "no cookie sent"
	}
	parts := []string{"Path=" + c.Path}
	if c.Domain != "" {
		parts = append(parts, "Domain="+c.Domain)
	}
	if c.MaxAge > 0 {
		parts = append(parts, "Max-Age "+days(c.MaxAge))
	}
	parts = append(parts, has(c.HttpOnly, "HttpOnly"), has(c.Secure, "Secure"))
	switch c.SameSite {
	case http.SameSiteLaxMode:
		parts = append(parts, "SameSite=Lax")
	case http.SameSiteStrictMode:
		parts = append(parts, "SameSite=Strict")
	case http.SameSiteNoneMode:
		parts = append(parts, "SameSite=None")
	default:
		parts = append(parts, "no SameSite")
	}
	return strings.Join(parts, "; ")
}

// rotationAtLogin stores something before login (a cart), logs in, then
// sends the pre-login cookie again. If it is now logged in, an attacker
// who planted or saw the cookie before login (session fixation) is logged
// in as the user.
func rotationAtLogin(ctx context.Context, s *subject) string {
	v := newVisitor(s.base, nil)
	r := v.get("/set?k=cart&v=1")
	if msg := failed(r); msg != "" {
		return msg
	}
	before, pre := r.header.Get(idHeader), v.cookie()
	l := v.post("/login?user=alice", nil)
	if msg := failed(l); msg != "" {
		return msg
	}
	old := newVisitor(s.base, pre).get("/get?k=user")
	if msg := failed(old); msg != "" {
		return msg
	}
	api := "not available"
	if s.rotate != nil {
		api = s.rotateName
	}
	return fmt.Sprintf("%s; ID changed at login: %s; the pre-login cookie is %s",
		api, yesNo(l.header.Get(idHeader) != before), shown(old))
}

// --- helpers ---

// login makes a visitor whose session holds user=alice, and returns it
// with the session's ID, or an error cell.
func login(s *subject) (*visitor, string, string) {
	v := newVisitor(s.base, nil)
	r := v.get("/set?k=user&v=alice")
	if msg := failed(r); msg != "" {
		return nil, "", msg
	}
	return v, r.header.Get(idHeader), ""
}

// rows counts the store's rows, all of them or those of session id.
func (s *subject) rows(ctx context.Context, id string) (int, error) {
	q := "SELECT count(*) FROM " + pq.QuoteIdentifier(s.table)
	var args []any
	if id != "" {
		q += " WHERE " + pq.QuoteIdentifier(s.idColumn) + " = $1"
		args = append(args, id)
	}
	var n int
	err := s.inspect.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// idUnique reports whether a unique index (or primary key) covers the ID
// column alone.
func (s *subject) idUnique(ctx context.Context) (bool, error) {
	var ok bool
	err := s.inspect.QueryRowContext(ctx, `SELECT EXISTS (
		SELECT 1 FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
		WHERE i.indrelid = $1::regclass AND i.indisunique AND i.indnatts = 1 AND a.attname = $2)`,
		s.table, s.idColumn).Scan(&ok)
	return ok, err
}

// failed describes a request that did not get a 200, or returns "".
func failed(r response) string {
	switch {
	case r.err != nil:
		return errCell(r.err)
	case r.status != http.StatusOK:
		return fmt.Sprintf("error: %d %s", r.status, r.body)
	}
	return ""
}

// answered is the status and the time it took, or why there was none.
func answered(r response) string {
	if r.err != nil {
		return fmt.Sprintf("no answer after %.1f s", r.took.Seconds())
	}
	return fmt.Sprintf("%d after %.1f s", r.status, r.took.Seconds())
}

// shown says what a /get?k=user response shows the visitor.
func shown(r response) string {
	switch {
	case r.err != nil:
		return "nothing (" + r.err.Error() + ")"
	case r.status == http.StatusOK && r.body == "":
		return "logged out"
	case r.status == http.StatusOK:
		return "logged in as " + r.body
	case r.header.Get("Retry-After") != "":
		return fmt.Sprintf("an error page (Retry-After: %s)", r.header.Get("Retry-After"))
	}
	return "an error page"
}

func errCell(err error) string { return "error: " + err.Error() }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func has(b bool, attr string) string {
	if b {
		return attr
	}
	return "no " + attr
}

// days writes a Max-Age in seconds as days or hours, to the minute: our
// store caps it by the session's remaining lifetime, which is a second
// short by the time the cookie is written.
func days(seconds int) string {
	d := (time.Duration(seconds) * time.Second).Round(time.Minute)
	switch {
	case d%(24*time.Hour) == 0 && d > 24*time.Hour:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	}
	return d.String()
}
