package postgres_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-contrib/sessions/tester"
	"github.com/gin-gonic/gin"

	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

const cookieName = "sessionId"

var secret = []byte("0123456789abcdef0123456789abcdef-test-secret")

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// harness is a real server over a real store on a throwaway database.
type harness struct {
	t       *testing.T
	db      *sql.DB
	store   *postgres.Store
	counter *dbtest.Counter
	srv     *httptest.Server
	// hooks let a test pause a handler between loading and saving.
	hook func(name string)
}

func newHarness(t *testing.T, keys ...[]byte) *harness {
	t.Helper()
	counter := &dbtest.Counter{}
	db, _ := dbtest.New(t, counter)
	h := &harness{t: t, db: db, counter: counter}
	if len(keys) == 0 {
		keys = [][]byte{secret}
	}
	h.store = postgres.NewStore(db, keys...)
	if err := h.store.CreateTable(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.serve(h.store)
	return h
}

// serve starts a server with the test routes over store, wired as the
// app wires it: postgres.Sessions loads the session and saves it by
// itself; no handler saves.
func (h *harness) serve(store *postgres.Store) *httptest.Server {
	r := gin.New()
	r.Use(postgres.Sessions(cookieName, store, func(c *gin.Context) {
		c.Header("Retry-After", "5")
		c.String(http.StatusServiceUnavailable, "unavailable")
	}))
	// answer lets a test pause a handler between loading and saving.
	answer := func(c *gin.Context, body string) {
		if h.hook != nil {
			h.hook(c.Request.URL.Path)
		}
		c.String(http.StatusOK, body)
	}
	r.GET("/set", func(c *gin.Context) {
		sessions.Default(c).Set(c.Query("k"), c.Query("v"))
		answer(c, "ok")
	})
	r.GET("/get", func(c *gin.Context) {
		v, _ := sessions.Default(c).Get(c.Query("k")).(string)
		answer(c, v)
	})
	r.GET("/flash", func(c *gin.Context) {
		postgres.AddFlash(sessions.Default(c), "notice", c.Query("m"))
		answer(c, "ok")
	})
	r.GET("/take", func(c *gin.Context) {
		var texts []string
		for _, f := range postgres.TakeFlashes(sessions.Default(c)) {
			texts = append(texts, f.Text)
		}
		answer(c, strings.Join(texts, ","))
	})
	r.GET("/rotate", func(c *gin.Context) {
		postgres.Rotate(sessions.Default(c))
		answer(c, "ok")
	})
	r.GET("/rotate-flash", func(c *gin.Context) { // a password change, say
		s := sessions.Default(c)
		postgres.Rotate(s)
		postgres.AddFlash(s, "notice", "Password changed.")
		answer(c, "ok")
	})
	r.GET("/renew", func(c *gin.Context) { // a login
		s := sessions.Default(c)
		postgres.Renew(s)
		s.Set("account_id", 7)
		answer(c, "ok")
	})
	r.GET("/destroy", func(c *gin.Context) {
		postgres.Destroy(sessions.Default(c))
		answer(c, "ok")
	})
	srv := httptest.NewServer(r)
	h.t.Cleanup(srv.Close)
	if h.srv == nil {
		h.srv = srv
	}
	return srv
}

// result is one response as a browser would see it.
type result struct {
	status int
	body   string
	cookie *http.Cookie // the Set-Cookie for cookieName, if any
}

// do sends a GET to path with the given cookie value ("" for none).
func (h *harness) do(srv *httptest.Server, path, cookie string) result {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookieName+"="+cookie)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	out := result{status: res.StatusCode, body: b.String()}
	for _, c := range res.Cookies() {
		if c.Name == cookieName {
			out.cookie = c
		}
	}
	return out
}

func (h *harness) get(path, cookie string) result { return h.do(h.srv, path, cookie) }

// login stores k=v in a new session and returns its cookie value.
func (h *harness) newSession(k, v string) string {
	h.t.Helper()
	r := h.get("/set?k="+url.QueryEscape(k)+"&v="+url.QueryEscape(v), "")
	if r.cookie == nil {
		h.t.Fatalf("/set sent no cookie (status %d)", r.status)
	}
	return r.cookie.Value
}

func (h *harness) rows(where string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.db.QueryRow(`SELECT count(*) FROM session `+where, args...).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func sidOf(cookie string) string { return cookie[:strings.IndexByte(cookie, '.')] }

// --- gin-contrib/sessions' own conformance suite ---

func TestConformance(t *testing.T) {
	db, _ := dbtest.New(t, nil)
	store := postgres.NewStore(db, secret)
	if err := store.CreateTable(context.Background()); err != nil {
		t.Fatal(err)
	}
	newStore := func(*testing.T) sessions.Store { return postgres.NewStore(db, secret) }
	t.Run("GetSet", func(t *testing.T) { tester.GetSet(t, newStore) })
	t.Run("DeleteKey", func(t *testing.T) { tester.DeleteKey(t, newStore) })
	t.Run("Flashes", func(t *testing.T) { tester.Flashes(t, newStore) })
	t.Run("Clear", func(t *testing.T) { tester.Clear(t, newStore) })
	t.Run("Options", func(t *testing.T) { tester.Options(t, newStore) })
	t.Run("Many", func(t *testing.T) { tester.Many(t, newStore) })
}

// --- what is written, and when ---

func TestVisitorsWhoStoreNothingCostNothing(t *testing.T) {
	h := newHarness(t)
	before := h.counter.Count()
	for range 1000 {
		r := h.get("/get?k=x", "")
		if r.status != http.StatusOK || r.cookie != nil {
			t.Fatalf("cookieless GET: status %d, cookie %v; want 200 and no cookie", r.status, r.cookie)
		}
	}
	if n := h.counter.Count() - before; n != 0 {
		t.Errorf("1000 cookieless GETs sent %d statements; want 0", n)
	}
	if n := h.rows(""); n != 0 {
		t.Errorf("1000 cookieless GETs left %d session rows; want 0", n)
	}
}

func TestUnchangedSessionIsNotRewritten(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	before := h.counter.Count()
	for range 10 {
		r := h.get("/get?k=name", c)
		if r.body != "Ada" || r.cookie != nil {
			t.Fatalf("GET /get = %q, cookie %v; want Ada and no new cookie", r.body, r.cookie)
		}
	}
	if n := h.counter.Count() - before; n != 10 {
		t.Errorf("10 reads of an unchanged session sent %d statements; want 10 (one SELECT each)", n)
	}
}

func TestIdleTimeoutSlidesAtMostOncePerMinute(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	// Pretend the last write was two minutes ago.
	h.db.Exec(`UPDATE session SET expire = expire - interval '2 minutes'`)
	var before time.Time
	h.db.QueryRow(`SELECT expire FROM session`).Scan(&before)

	n0 := h.counter.Count()
	h.get("/get?k=name", c)
	if n := h.counter.Count() - n0; n != 2 {
		t.Errorf("first read after 2 idle minutes sent %d statements; want 2 (SELECT + expiry UPDATE)", n)
	}
	var after time.Time
	h.db.QueryRow(`SELECT expire FROM session`).Scan(&after)
	if !after.After(before.Add(time.Minute)) {
		t.Errorf("expire moved from %v to %v; want it pushed forward", before, after)
	}
	n1 := h.counter.Count()
	h.get("/get?k=name", c)
	if n := h.counter.Count() - n1; n != 1 {
		t.Errorf("second read sent %d statements; want 1 (no second refresh within a minute)", n)
	}
}

func TestCookieAttributes(t *testing.T) {
	h := newHarness(t)
	r := h.get("/set?k=a&v=b", "")
	c := r.cookie
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || c.Secure {
		t.Fatalf("cookie = %+v; want HttpOnly, SameSite=Lax, Path=/, no Domain, not Secure by default", c)
	}
	if want := int(postgres.DefaultLifetime.Seconds()); c.MaxAge < want-5 || c.MaxAge > want {
		t.Errorf("Max-Age = %d; want about %d (the session's lifetime)", c.MaxAge, want)
	}
	if len(c.Value) != 87 {
		t.Errorf("cookie value %d chars; want 87 (43-char ID, dot, 43-char signature)", len(c.Value))
	}
	var sess string
	h.db.QueryRow(`SELECT sess::text FROM session WHERE sid = $1`, sidOf(c.Value)).Scan(&sess)
	if !strings.Contains(sess, `"a": "b"`) || !strings.Contains(sess, `"cookie": {"created"`) {
		t.Errorf("stored JSON = %s; want the value and the cookie meta, readable", sess)
	}

	secure := postgres.NewStore(h.db, secret)
	secure.Options(sessions.Options{Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
	srv := h.serve(secure)
	if c := h.do(srv, "/set?k=a&v=b", "").cookie; c == nil || !c.Secure || c.MaxAge != 60 {
		t.Errorf("cookie with Secure and MaxAge 60 = %+v", c)
	}
}

// --- expiry ---

func TestExpiredSessionIsNeverAcceptedNorRevived(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	h.db.Exec(`UPDATE session SET expire = now() - interval '1 second'`)
	if r := h.get("/get?k=name", c); r.body != "" {
		t.Fatalf("expired session read %q; want nothing", r.body)
	}
	r := h.get("/set?k=name&v=Bob", c)
	if r.cookie == nil || r.cookie.Value == c {
		t.Fatalf("storing after expiry: cookie %v; want a new session ID", r.cookie)
	}
	if n := h.rows(`WHERE sid = $1 AND expire > now()`, sidOf(c)); n != 0 {
		t.Errorf("expired ID came back to life (%d live rows)", n)
	}
}

func TestAbsoluteLifetimeIsEnforced(t *testing.T) {
	h := newHarness(t)
	h.store.Lifetime = 2 * time.Second
	c := h.newSession("name", "Ada")
	var left float64
	h.db.QueryRow(`SELECT extract(epoch FROM expire - now()) FROM session`).Scan(&left)
	if left > 2.5 {
		t.Errorf("expire is %.1fs away; want at most the 2s lifetime, not the 1h idle timeout", left)
	}
	time.Sleep(2100 * time.Millisecond)
	if r := h.get("/get?k=name", c); r.body != "" {
		t.Errorf("session read %q after its lifetime; want nothing", r.body)
	}
}

// --- bad cookies ---

func TestBadCookiesAreNeverAcceptedAndCostNoQuery(t *testing.T) {
	h := newHarness(t)
	good := h.newSession("name", "Ada")
	other := postgres.NewStore(h.db, []byte("another-secret-another-secret-another"))
	otherSrv := h.serve(other)
	foreign := h.do(otherSrv, "/set?k=name&v=Eve", "").cookie.Value

	bad := []string{"", "x", good[:86], good + "A", good + good, strings.Repeat("A", 16<<10),
		good[:40] + "\x00" + good[41:], good[:40] + "\xff" + good[41:], foreign,
		sidOf(good), "s%3A" + good}
	for i := range good {
		b := []byte(good)
		b[i] ^= 0x01
		bad = append(bad, string(b))
	}
	before := h.counter.Count()
	for _, v := range bad {
		// Straight into the handler: a Go client refuses to send NUL bytes.
		req := httptest.NewRequest(http.MethodGet, "/get?k=name", nil)
		req.Header.Set("Cookie", cookieName+"="+v)
		rec := httptest.NewRecorder()
		h.srv.Config.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Body.String() != "" {
			t.Errorf("cookie %.40q: status %d body %q; want 200 and anonymous", v, rec.Code, rec.Body)
		}
	}
	if n := h.counter.Count() - before; n != 0 {
		t.Errorf("%d bad cookies cost %d statements; want 0", len(bad), n)
	}
	// A valid value under another cookie name is refused too.
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/get?k=name", nil)
	req.Header.Set("Cookie", "other="+good+"; "+cookieName+"=")
	if res, _ := h.srv.Client().Do(req); res != nil {
		res.Body.Close()
	}
	if h.store.BadCookies() == 0 {
		t.Error("BadCookies() = 0; want the refusals counted")
	}
}

// --- rotation and destruction ---

func TestRotateKeepsDataUnderANewID(t *testing.T) {
	h := newHarness(t)
	old := h.newSession("name", "Ada")
	r := h.get("/rotate", old)
	if r.cookie == nil || sidOf(r.cookie.Value) == sidOf(old) {
		t.Fatalf("rotate: cookie %v; want a new ID", r.cookie)
	}
	if got := h.get("/get?k=name", r.cookie.Value).body; got != "Ada" {
		t.Errorf("after rotate the new ID reads %q; want Ada", got)
	}
	if got := h.get("/get?k=name", old).body; got != "" {
		t.Errorf("after rotate the old ID reads %q; want nothing", got)
	}
	if n := h.rows(`WHERE sid = $1`, sidOf(old)); n != 0 {
		t.Errorf("old row still there after rotate")
	}
}

func TestDestroyedSessionCannotBeReplayed(t *testing.T) {
	h := newHarness(t)
	old := h.newSession("role", "admin")
	r := h.get("/destroy", old)
	if r.cookie == nil || r.cookie.MaxAge != -1 || r.cookie.Path != "/" || !r.cookie.HttpOnly {
		t.Fatalf("destroy cookie = %+v; want expired with Path=/ and HttpOnly", r.cookie)
	}
	if n := h.rows(""); n != 0 {
		t.Fatalf("%d rows after destroy; want 0", n)
	}
	if got := h.get("/get?k=role", old).body; got != "" {
		t.Fatalf("replayed cookie reads %q; want nothing", got)
	}
	r = h.get("/set?k=x&v=y", old)
	if r.cookie == nil || sidOf(r.cookie.Value) == sidOf(old) {
		t.Fatalf("storing with a replayed cookie: %v; want a fresh ID", r.cookie)
	}
	if n := h.rows(`WHERE sid = $1`, sidOf(old)); n != 0 {
		t.Errorf("destroyed ID was re-inserted")
	}
}

// --- parallel requests ---

func TestParallelFlashesAreAllKept(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if r := h.get("/flash?m=m"+string(rune('a'+i)), c); r.status != http.StatusOK {
				t.Errorf("flash %d: status %d", i, r.status)
			}
		})
	}
	wg.Wait()
	got := strings.Split(h.get("/take", c).body, ",")
	if len(got) != n {
		t.Errorf("after %d parallel flashes the session holds %d: %v", n, len(got), got)
	}
	if again := h.get("/take", c).body; again != "" {
		t.Errorf("flashes shown twice: %q", again)
	}
}

// A request that takes the messages at its load but does not show them
// puts them back, before the ones it queued itself: a page that loads
// meanwhile misses them, the next one shows them all, in order, once.
func TestMessagesTakenButNotShownComeBackInOrder(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	h.get("/flash?m=old", c)
	loaded, release := make(chan struct{}), make(chan struct{})
	h.hook = func(path string) {
		if path == "/flash" {
			close(loaded)
			<-release
		}
	}
	done := make(chan struct{})
	go func() { h.get("/flash?m=new", c); close(done) }() // a GET: it takes "old"
	<-loaded
	h.hook = nil
	if got := h.get("/take", c).body; got != "" {
		t.Errorf("take while another request holds the messages = %q; want nothing", got)
	}
	close(release)
	<-done
	if got := h.get("/take", c).body; got != "old,new" {
		t.Errorf("take = %q; want old,new", got)
	}
	if got := h.get("/take", c).body; got != "" {
		t.Errorf("messages shown twice: %q", got)
	}
}

func TestSlowRequestCannotUndoALogout(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("role", "admin")
	loaded, release := make(chan struct{}), make(chan struct{})
	h.hook = func(path string) {
		if path == "/set" {
			close(loaded)
			<-release
		}
	}
	done := make(chan struct{})
	go func() { h.get("/set?k=seen&v=1", c); close(done) }()
	<-loaded
	h.hook = nil
	h.get("/destroy", c)
	close(release)
	<-done
	if n := h.rows(""); n != 0 {
		t.Errorf("a request that started before the logout brought the session back (%d rows)", n)
	}
	if got := h.get("/get?k=role", c).body; got != "" {
		t.Errorf("logged-out cookie reads %q", got)
	}
}

// --- failures ---

func TestLockedTableGivesAnErrorWithinTheDeadline(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	tx := dbtest.LockTable(t, h.db, "session", "ACCESS EXCLUSIVE")
	start := time.Now()
	r := h.get("/get?k=name", c)
	took := time.Since(start)
	if r.status != http.StatusServiceUnavailable {
		t.Errorf("status %d with the table locked; want 503", r.status)
	}
	if took > 2*time.Second {
		t.Errorf("503 took %v; want within 2s", took)
	}
	tx.Rollback()
	if got := h.get("/get?k=name", c).body; got != "Ada" {
		t.Errorf("after the lock was released the session reads %q; want Ada", got)
	}
}

func TestUnreachableDatabaseIsNotTreatedAsLoggedOut(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	down, err := sql.Open("postgres", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	srv := h.serve(postgres.NewStore(down, secret))
	start := time.Now()
	if r := h.do(srv, "/get?k=name", c); r.status != http.StatusServiceUnavailable || r.cookie != nil {
		t.Errorf("database down: status %d cookie %v; want 503 and no cookie", r.status, r.cookie)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("503 took %v; want within 2s", took)
	}
	// Anonymous visitors need no database and keep being served.
	if r := h.do(srv, "/get?k=name", ""); r.status != http.StatusOK {
		t.Errorf("cookieless request with the database down: %d; want 200", r.status)
	}
	if got := h.get("/get?k=name", c).body; got != "Ada" {
		t.Errorf("session lost: reads %q after the outage; want Ada", got)
	}
}

// --- several instances, secrets ---

func TestInstancesShareSessionsAndSecretsRotate(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	twin := h.serve(postgres.NewStore(h.db, secret))
	if got := h.do(twin, "/get?k=name", c).body; got != "Ada" {
		t.Errorf("second instance reads %q; want Ada", got)
	}
	newSecret := []byte("a-brand-new-secret-a-brand-new-secret!!")
	rotating := h.serve(postgres.NewStore(h.db, newSecret, secret))
	if got := h.do(rotating, "/get?k=name", c).body; got != "Ada" {
		t.Errorf("with the old secret listed as previous, the session reads %q; want Ada", got)
	}
	rotated := h.serve(postgres.NewStore(h.db, newSecret))
	if r := h.do(rotated, "/get?k=name", c); r.body != "" || r.status != http.StatusOK {
		t.Errorf("after dropping the old secret: %d %q; want 200 and anonymous", r.status, r.body)
	}
}

func TestJanitorDeletesExpiredRowsInBatches(t *testing.T) {
	h := newHarness(t)
	live := h.newSession("name", "Ada")
	if _, err := h.db.Exec(`INSERT INTO session (sid, sess, expire)
		SELECT 'old' || i, '{}', now() - interval '1 hour' FROM generate_series(1, 2500) i`); err != nil {
		t.Fatal(err)
	}
	n, err := h.store.DeleteExpired(context.Background(), 1000, time.Millisecond)
	if err != nil || n != 2500 {
		t.Fatalf("DeleteExpired = %d, %v; want 2500, nil", n, err)
	}
	if got := h.get("/get?k=name", live).body; got != "Ada" {
		t.Errorf("live session reads %q after the janitor; want Ada", got)
	}
}

func TestRotationCannotReviveAnEndedSession(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("role", "admin")
	loaded, release := make(chan struct{}), make(chan struct{})
	h.hook = func(path string) {
		if path == "/rotate-flash" {
			close(loaded)
			<-release
		}
	}
	done := make(chan result)
	go func() { done <- h.get("/rotate-flash", c) }()
	<-loaded
	h.hook = nil
	h.get("/destroy", c)
	close(release)
	r := <-done
	var sess string
	h.db.QueryRow(`SELECT sess::text FROM session`).Scan(&sess)
	if strings.Contains(sess, "admin") {
		t.Errorf("a rotation that started before the logout brought the session back: %s", sess)
	}
	if r.cookie == nil || h.get("/take", r.cookie.Value).body != "Password changed." {
		t.Errorf("the rotating request's own flash was lost: cookie %v, row %s", r.cookie, sess)
	}
}

func TestRotationKeepsTheLifetime(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	h.db.Exec(`UPDATE session SET sess = jsonb_set(sess, '{cookie,created}', to_jsonb(to_char(now() - interval '3 hours', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))`)
	var before string
	h.db.QueryRow(`SELECT sess->'cookie'->>'created' FROM session`).Scan(&before)
	r := h.get("/rotate", c)
	var after string
	h.db.QueryRow(`SELECT sess->'cookie'->>'created' FROM session WHERE sid = $1`, sidOf(r.cookie.Value)).Scan(&after)
	if after != before {
		t.Errorf("rotation restarted the lifetime: created %s, now %s", before, after)
	}
}

func TestFailedLoadSurvivesClear(t *testing.T) {
	h := newHarness(t)
	c := h.newSession("name", "Ada")
	down, _ := sql.Open("postgres", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	defer down.Close()
	st := postgres.NewStore(down, secret)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", cookieName+"="+c)
	s, _ := st.Get(req, cookieName)
	for k := range s.Values { // what gin-contrib's Clear does
		delete(s.Values, k)
	}
	s.Values["x"] = "y"
	rec := httptest.NewRecorder()
	if err := st.Save(req, rec, s); err == nil || rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("Save after a failed load and a Clear = %v, cookie %q; want an error and no cookie", err, rec.Header().Get("Set-Cookie"))
	}
}

func TestJanitorsOnTwoInstancesAreHarmless(t *testing.T) {
	h := newHarness(t)
	live := h.newSession("name", "Ada")
	if _, err := h.db.Exec(`INSERT INTO session (sid, sess, expire)
		SELECT 'old' || i, '{}', now() - interval '1 hour' FROM generate_series(1, 5000) i`); err != nil {
		t.Fatal(err)
	}
	other := postgres.NewStore(h.db, secret)
	var wg sync.WaitGroup
	var total atomic.Int64
	for _, st := range []*postgres.Store{h.store, other} {
		wg.Go(func() {
			n, err := st.DeleteExpired(context.Background(), 500, time.Millisecond)
			if err != nil {
				t.Errorf("DeleteExpired: %v", err)
			}
			total.Add(n)
		})
	}
	wg.Wait()
	if total.Load() != 5000 || h.rows(`WHERE expire <= now()`) != 0 {
		t.Errorf("two janitors deleted %d of 5000 expired rows, %d left", total.Load(), h.rows(`WHERE expire <= now()`))
	}
	if got := h.get("/get?k=name", live).body; got != "Ada" {
		t.Errorf("the live session reads %q after both janitors ran", got)
	}
}

// With AsyncCommit on, only the writes that move flash messages skip the
// wait for the disk; a login, another value, a rotation and a logout
// commit synchronously.
func TestAsyncCommitOnlyForFlashMessages(t *testing.T) {
	h := newHarness(t)
	h.store.AsyncCommit = true
	cookie := h.newSession("name", "Ada")
	for _, tc := range []struct {
		path      string
		wantAsync bool
	}{
		{"/flash?m=saved", true},
		{"/set?k=name&v=Grace", false},
		{"/renew", false},
		{"/flash?m=again", true},
		{"/rotate", false},
		{"/destroy", false},
	} {
		before := len(h.counter.Queries())
		r := h.get(tc.path, cookie)
		if r.status != http.StatusOK {
			t.Fatalf("%s = %d", tc.path, r.status)
		}
		if r.cookie != nil && r.cookie.MaxAge >= 0 {
			cookie = r.cookie.Value
		}
		var writes, async int
		for _, q := range h.counter.Queries()[before:] {
			if strings.Contains(q, "flash_take(") {
				if !strings.Contains(q, "flash_take(s.sid, $3, true)") {
					t.Errorf("%s: the load that takes the flash messages commits synchronously", tc.path)
				}
				continue
			}
			if strings.HasPrefix(strings.TrimSpace(q), "SELECT") {
				continue // a merge's locking read
			}
			writes++
			if strings.Contains(q, "synchronous_commit") {
				async++
			}
		}
		if writes == 0 || (async > 0) != tc.wantAsync || (tc.wantAsync && async != writes) {
			t.Errorf("%s: %d writes, %d asynchronous; want asynchronous %v", tc.path, writes, async, tc.wantAsync)
		}
	}
}
