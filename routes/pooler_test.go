package routes_test

// Behind PgBouncer in transaction mode (Neon's, Supabase's pooled strings): the session, flash, login and management journeys of 16 visitors at once, with nothing logged as an error.

import (
	"context"
	"database/sql/driver"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cse-motors/cse-motors/database"
	"github.com/cse-motors/cse-motors/database/dbtest"
)

// sqlErrors counts the statements that failed, and keeps the first one.
type sqlErrors struct {
	n     atomic.Int64
	first atomic.Value
}

func (e *sqlErrors) observe(_ context.Context, query string, _ time.Duration, err error) {
	if err != nil && err != driver.ErrSkip {
		if e.n.Add(1) == 1 {
			e.first.Store(err.Error() + " in " + query)
		}
	}
}

func TestJourneysBehindTransactionPooler(t *testing.T) {
	_, dbURL := dbtest.New(t, nil)
	errs := &sqlErrors{}
	// Eight server connections for two instances of 8 client connections:
	// every visitor's statements keep changing server connection, as on a
	// busy host. (Fewer than the instances' connections, but not so few
	// that a loaded machine's requests wait past the store's deadline:
	// each save is a transaction that holds its server connection.)
	pooled, err := database.Open(context.Background(), database.Options{URL: dbtest.PgBouncer(t, dbURL, 8),
		MaxOpenConns: 8, TransactionPooler: true, Observer: errs.observe})
	if err != nil {
		t.Fatal(err)
	}
	defer pooled.Close()
	// Two instances over the one pooled database: the production site, and
	// a development one for the flash demo.
	site := instance(t, pooled, dbURL, "production", testSecret)
	demo := instance(t, pooled, dbURL, "development", testSecret)
	const visitors = 16
	for v := range visitors {
		site.account("Client", "client"+itoa(v)+"@example.com", "Client")
		site.account("Staff", "staff"+itoa(v)+"@example.com", "Employee")
	}

	var wg sync.WaitGroup
	for v := range visitors {
		wg.Go(func() {
			for round := range 3 {
				flashJourney(t, demo)
				loginJourney(t, site, "client"+itoa(v)+"@example.com", v)
				manageJourney(t, site, "staff"+itoa(v)+"@example.com", v, "Pooled"+itoa(v)+"x"+itoa(round))
			}
		})
	}
	wg.Wait()

	if n := errs.n.Load(); n > 0 {
		t.Errorf("%d statements failed behind the pooler; the first: %v", n, errs.first.Load())
	}
	for _, a := range []*app{site, demo} {
		if logged := a.logs.String(); strings.Contains(logged, "level=ERROR") || strings.Contains(logged, "level=WARN") {
			t.Errorf("the app logged errors behind the pooler:\n%s", logged)
		}
	}
	if n := site.count(`SELECT count(*) FROM classification WHERE classification_name LIKE 'Pooled%'`); n != visitors*3 {
		t.Errorf("%d classifications added; want %d", n, visitors*3)
	}
}

// flashJourney: a flash message set by one request is shown by the next
// page, once.
func flashJourney(t *testing.T, a *app) {
	b := a.browser()
	if rec := b.get("/demo/flash"); rec.Code != http.StatusSeeOther {
		t.Errorf("GET /demo/flash = %d; want 303", rec.Code)
		return
	}
	if got := messages(b.get("/").Body.String()); !strings.Contains(got, "This is a flash message.") {
		t.Errorf("after /demo/flash the home page's banner = %q", got)
	}
	if got := messages(b.get("/").Body.String()); got != "" {
		t.Errorf("the flash message showed twice: %q", got)
	}
}

// loginJourney: log in, see the account page, log out, be a visitor again.
func loginJourney(t *testing.T, a *app, email string, visitor int) {
	b := a.browser()
	if rec := loginFrom(b, email, visitor); rec.Header().Get("Location") != "/account/" {
		t.Errorf("login of %s = %d to %q; want 303 to /account/", email, rec.Code, rec.Header().Get("Location"))
		return
	}
	if rec := b.get("/account/"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<h2>Welcome Client</h2>") {
		t.Errorf("account page after login = %d, without its welcome", rec.Code)
	}
	if rec := b.post("/account/logout", url.Values{}); rec.Header().Get("Location") != "/" {
		t.Errorf("logout = %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := b.get("/account/"); rec.Code != http.StatusSeeOther {
		t.Errorf("account page after logout = %d; want 303 to the login page", rec.Code)
	}
}

// manageJourney: an employee adds a classification and sees the banner and
// the management page's JSON list.
func manageJourney(t *testing.T, a *app, email string, visitor int, name string) {
	b := a.browser()
	if rec := loginFrom(b, email, visitor); rec.Code != http.StatusSeeOther {
		t.Errorf("login of %s = %d", email, rec.Code)
		return
	}
	if rec := b.get("/inv/add-classification"); rec.Code != http.StatusOK {
		t.Errorf("GET /inv/add-classification = %d", rec.Code)
		return
	}
	rec := b.post("/inv/add-classification", url.Values{"classification_name": {name}})
	if rec.Header().Get("Location") != "/inv/" {
		t.Errorf("add classification %s = %d to %q", name, rec.Code, rec.Header().Get("Location"))
		return
	}
	if got := messages(b.get("/inv/").Body.String()); !strings.Contains(got, "The "+name+" classification was successfully added.") {
		t.Errorf("management banner after adding %s = %q", name, got)
	}
	if rec := b.get("/inv/getInventory/2"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"inv_make"`) {
		t.Errorf("GET /inv/getInventory/2 = %d", rec.Code)
	}
}

// loginFrom logs in from the visitor's own address: the login throttle
// counts the tries in flight per address, and 16 people log in at once.
func loginFrom(b *browser, email string, visitor int) *httptest.ResponseRecorder {
	b.get("/account/login")
	form := url.Values{"account_email": {email}, "account_password": {goodPassword}}
	if m := csrfRE.FindStringSubmatch(b.last); m != nil {
		form.Set("csrf_token", m[1])
	}
	req := sameOrigin(formRequest("/account/login", form))
	req.RemoteAddr = "198.51.100." + itoa(visitor+1) + ":4000"
	return b.do(req)
}
