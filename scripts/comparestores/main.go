// Command comparestores runs the same session scenarios against
// gin-contrib/sessions/postgres, the store the course design names, and
// against the project's own sessionstore/postgres, through the same gin
// router and the same PostgreSQL, and prints one markdown table: a row per
// scenario, a column per store, each cell what was measured. It is the
// evidence behind the README's "Why our own session store".
//
//	make compare-stores
//	cd scripts && TEST_DATABASE_URL=postgres://user:password@host:5432/postgres go run ./comparestores
//
// The URL's role must be allowed to create databases: the stores and the
// race check each get a throwaway database, dropped at the end. Nothing
// here is compiled into the app's binary.
package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/lib/pq"

	"github.com/cse-motors/cse-motors/database"
)

// quietLogger swallows the stores' and gin-contrib's log lines, so the
// output is the table alone. (gin-contrib logs the load failure of row 9;
// the visitor is not told.)
var quietLogger = slog.New(slog.DiscardHandler)

func main() { os.Exit(run()) }

// run reads which PostgreSQL to use, then compares the stores; it returns
// the exit status: 2 when no database was given, 1 when the comparison
// could not be set up.
func run() int {
	start := time.Now()
	admin := cmp.Or(os.Getenv("TEST_DATABASE_URL"), os.Getenv("DATABASE_URL"))
	flag.StringVar(&admin, "db", admin, "PostgreSQL URL whose role may create databases (default $TEST_DATABASE_URL, then $DATABASE_URL)")
	flag.Parse()
	if admin == "" {
		fmt.Fprintln(os.Stderr, "comparestores: no database: run `make compare-stores`, or set TEST_DATABASE_URL")
		return 2
	}
	gin.SetMode(gin.ReleaseMode)
	slog.SetDefault(quietLogger)
	if err := compare(context.Background(), admin); err != nil {
		fmt.Fprintln(os.Stderr, "comparestores:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "comparestores: done in %.0f s\n", time.Since(start).Seconds())
	return 0
}

// compare does the whole comparison in three steps: set up (a database and
// a server per store), run the scenarios, print the table. The deferred
// calls undo the set-up in reverse, servers first, so that no throwaway
// database is left behind whichever step fails.
func compare(ctx context.Context, admin string) error {
	dbs, err := openDatabases(ctx, admin)
	if err != nil {
		return err
	}
	defer dbs.dropAll()
	dropOnInterrupt(dbs)

	subjects, stopServers, err := startSubjects(ctx, dbs)
	if err != nil {
		return err
	}
	defer stopServers()

	// The race checks compile and run in the background meanwhile, on a
	// database of their own so they do not disturb the row counts.
	raceURL, err := dbs.create(ctx)
	if err != nil {
		return err
	}
	races := startRaceChecks(raceURL, subjects)

	rows := runScenarios(ctx, subjects, races)
	printTable(dbs.serverVersion, subjects, rows)
	return nil
}

// dropOnInterrupt drops the throwaway databases when the program is
// stopped with Ctrl-C (or SIGTERM): deferred calls do not run then, and
// the databases would stay behind.
func dropOnInterrupt(dbs *databases) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		dbs.dropAll()
		os.Exit(130)
	}()
}

// startSubjects opens each store, gin-contrib's first (the table's first
// column), on a database of its own, and serves the shared router over it:
// the scenarios then drive both stores through real HTTP requests, as a
// browser does. Both stores sign cookies with the same random key.
// stopServers closes the servers, the last started first.
func startSubjects(ctx context.Context, dbs *databases) (subjects []*subject, stopServers func(), err error) {
	key := make([]byte, 32)
	rand.Read(key)
	var servers []*httptest.Server
	stopServers = func() {
		for _, srv := range slices.Backward(servers) {
			srv.Close()
		}
	}
	for _, open := range []opener{newGinContrib, newOurs} {
		s, err := dbs.subject(ctx, open, key)
		if err != nil {
			stopServers()
			return nil, nil, err
		}
		srv := httptest.NewServer(newRouter(s))
		servers = append(servers, srv)
		s.base = srv.URL
		subjects = append(subjects, s)
	}
	return subjects, stopServers, nil
}

// runScenarios runs each scenario against each store, one at a time: the
// scenarios measure times and count rows, which requests of another
// scenario running alongside would distort. It returns the table's rows, a
// title and a cell per store. Row 12 has no function of its own: its cells
// are the race checks' results, waited for here.
func runScenarios(ctx context.Context, subjects []*subject, races *raceChecks) [][]string {
	var rows [][]string
	for _, sc := range scenarios() {
		fmt.Fprintf(os.Stderr, "comparestores: %s\n", sc.title)
		row := []string{sc.title}
		for _, s := range subjects {
			if sc.run == nil {
				row = append(row, races.result(s.raceTest))
			} else {
				row = append(row, sc.run(ctx, s))
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// printTable prints the result to standard output, as it is pasted into
// the README: a line saying what was compared (the versions of Go,
// PostgreSQL and each module, read from the build, so the table says what
// produced it), the markdown table, and the notes on how it was measured.
func printTable(serverVersion string, subjects []*subject, rows [][]string) {
	mods := modules()
	fmt.Printf("Session stores side by side, %s: Go %s (%s/%s), PostgreSQL %s; gin %s, "+
		"gin-contrib/sessions %s (its postgres store is antonlindstrom/pgstore %s), gorilla/sessions %s, lib/pq %s.\n\n",
		time.Now().Format("2006-01-02"), strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH,
		serverVersion, mods["github.com/gin-gonic/gin"], mods["github.com/gin-contrib/sessions"],
		mods["github.com/antonlindstrom/pgstore"], mods["github.com/gorilla/sessions"], mods["github.com/lib/pq"])
	fmt.Printf("| scenario | %s %s | %s |\n|---|---|---|\n",
		subjects[0].column, mods["github.com/gin-contrib/sessions"], subjects[1].column)
	for _, row := range rows {
		for i := range row {
			// A "|" inside a cell would end the cell.
			row[i] = strings.ReplaceAll(row[i], "|", `\|`)
		}
		fmt.Printf("| %s |\n", strings.Join(row, " | "))
	}
	printNotes()
}

// printNotes prints the paragraph under the table: how the rows were
// measured, with the sizes the scenarios used.
func printNotes() {
	fmt.Printf("\nEach store ran on a throwaway database of its own on the same PostgreSQL, behind the same gin router "+
		"(`scripts/comparestores/router.go`), saved, logged out and logged in the way its documentation says (`stores.go`). "+
		"In 3 and 3b each request spends %v between reading and saving the session. In 8 the lock is held for %v and "+
		"the client gives up after %v. In 9 \"stopped\" means the store's pool connects through a local TCP relay that is "+
		"then closed, so the port it connects to has nothing listening; the shared PostgreSQL keeps running. "+
		"12 runs `go test -race` on `racecheck/race_test.go` (parallel requests through gin, on one session and on new ones) "+
		"and reads the race detector's reports: the variables raced on are the same from run to run, the number of reports "+
		"(one per interleaving caught) is not. 13 and 14 run after it, so no compiler runs beside them; each store in turn, "+
		"with %d visitors in parallel through net/http's client, in the same process as the server, each on a session of its own "+
		"(14: a message missing from its page is lost, not shown to another visitor): compare the two stores in one run, not figures across runs.\n",
		work, lockFor, clientTimeout, throughputVisitors)
}

// databases creates the throwaway databases and drops them at the end.
type databases struct {
	admin         string
	adminDB       *sql.DB
	serverVersion string

	mu    sync.Mutex
	names []string
	pools []*sql.DB
}

func openDatabases(ctx context.Context, admin string) (*databases, error) {
	db, err := sql.Open("postgres", admin)
	if err != nil {
		return nil, err
	}
	d := &databases{admin: admin, adminDB: db}
	if err := db.QueryRowContext(ctx, "SHOW server_version").Scan(&d.serverVersion); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL: %w", err)
	}
	d.serverVersion, _, _ = strings.Cut(d.serverVersion, " ") // "17.6 (Debian 17.6-0+deb13u1)"
	return d, nil
}

// create makes a new empty database and returns its URL.
func (d *databases) create(ctx context.Context) (string, error) {
	b := make([]byte, 6)
	rand.Read(b)
	name := "cse_compare_" + hex.EncodeToString(b)
	if _, err := d.adminDB.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		return "", fmt.Errorf("create database (the URL's role needs CREATEDB): %w", err)
	}
	d.mu.Lock()
	d.names = append(d.names, name)
	d.mu.Unlock()
	return withDatabase(d.admin, name)
}

// subject opens a database for one store: the store's pool (through
// database.Open, as main.go opens the app's, counting its writes) and a
// second pool for the scenarios' own queries.
func (d *databases) subject(ctx context.Context, open opener, key []byte) (*subject, error) {
	u, err := d.create(ctx)
	if err != nil {
		return nil, err
	}
	writes := new(atomic.Int64)
	pool, err := database.Open(ctx, database.Options{URL: u, Observer: func(_ context.Context, query string, _ time.Duration, _ error) {
		switch verb, _, _ := strings.Cut(strings.TrimSpace(query), " "); strings.ToUpper(verb) {
		case "INSERT", "UPDATE", "DELETE":
			writes.Add(1)
		}
	}})
	if err != nil {
		return nil, err
	}
	inspect, err := sql.Open("postgres", u)
	if err != nil {
		pool.Close()
		return nil, err
	}
	d.mu.Lock()
	d.pools = append(d.pools, pool, inspect)
	d.mu.Unlock()
	s, err := open(ctx, pool, key)
	if err != nil {
		return nil, err
	}
	s.url, s.inspect, s.writes = u, inspect, writes
	return s, nil
}

// dropAll closes the pools and drops every database made; it is safe to
// call twice.
func (d *databases) dropAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range d.pools {
		p.Close()
	}
	d.pools = nil
	for _, name := range d.names {
		if _, err := d.adminDB.Exec("DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(name) + " WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "comparestores: drop database %s: %v\n", name, err)
		}
	}
	d.names = nil
}

// withDatabase returns the URL (or key=value string) with its database
// name replaced, as database/dbtest does.
func withDatabase(raw, name string) (string, error) {
	if strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://") {
		u, err := url.Parse(raw)
		if err != nil {
			return "", err
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	return raw + " dbname=" + name, nil
}

// modules returns the version of each module this program was built with.
func modules() map[string]string {
	m := map[string]string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			m[d.Path] = d.Version
		}
	}
	return m
}

// raceChecks runs racecheck's test for each store under the race detector.
type raceChecks struct {
	done    chan struct{}
	results map[string]string
}

// startRaceChecks runs the checks one after the other (the second reuses
// the first one's build) in the background.
func startRaceChecks(dbURL string, subjects []*subject) *raceChecks {
	rc := &raceChecks{done: make(chan struct{}), results: map[string]string{}}
	pkg := "./comparestores/racecheck"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Path != "" {
		pkg = bi.Path + "/racecheck" // works from any folder of the module
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = "/usr/local/go/bin/go"
	}
	go func() {
		defer close(rc.done)
		for _, s := range subjects {
			rc.results[s.raceTest] = raceCheck(goBin, pkg, s.raceTest, dbURL)
		}
	}()
	return rc
}

func (rc *raceChecks) result(test string) string {
	<-rc.done
	return rc.results[test]
}

// raceCheck runs one test with -race and counts the race reports.
func raceCheck(goBin, pkg, test, dbURL string) string {
	// Running takes a second or two; building for the race detector takes
	// a few more once `make test` has run (it builds the same packages),
	// minutes on an empty build cache.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, goBin, "test", "-race", "-count=1", "-v", "-tags", "comparestores",
		"-run", "^"+test+"$", pkg)
	cmd.Env = append(os.Environ(), "COMPARESTORES_DATABASE_URL="+dbURL)
	b, _ := cmd.CombinedOutput()
	out := string(b)
	fmt.Fprintf(os.Stderr, "comparestores: go test -race -run %s took %.0f s\n", test, time.Since(start).Seconds())
	n := strings.Count(out, "WARNING: DATA RACE")
	passed := strings.Contains(out, "--- PASS: "+test)
	if ctx.Err() != nil {
		return fmt.Sprintf("error: go test -race stopped after %.0f s", time.Since(start).Seconds())
	}
	if n == 0 && !passed {
		// It failed for another reason, or never ran: show its last line.
		lines := strings.Split(strings.TrimSpace(out), "\n")
		return "error: go test: " + lines[len(lines)-1]
	}
	if n == 0 {
		return "none (0 reports)"
	}
	vars, writers := races(out)
	return fmt.Sprintf("yes: %s raced on, written by %s",
		plural(len(vars), "variable"), strings.Join(writers, " and "))
}

// raceReport matches the two accesses of a race report and the function
// of each: "Write at 0xc000123 by goroutine 7:\n  pkg.(*T).M()".
var raceReport = regexp.MustCompile(`(?m)^(Write|Read|Previous write|Previous read) at (0x[0-9a-f]+) by .*\n\s+(\S+)\(`)

// races reads the race detector's reports: the variables raced on (one
// report per interleaving is printed, so their number varies from run to
// run; the variables do not) and the functions that wrote them.
func races(out string) (vars map[string]bool, writers []string) {
	vars = map[string]bool{}
	for _, m := range raceReport.FindAllStringSubmatch(out, -1) {
		vars[m[2]] = true
		if strings.HasSuffix(m[1], "rite") {
			fn := m[3][strings.LastIndex(m[3], "/")+1:] // pgstore.(*PGStore).MaxAge
			if !slices.Contains(writers, fn) {
				writers = append(writers, fn)
			}
		}
	}
	slices.Sort(writers)
	return vars, writers
}
