package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cse-motors/cse-motors/database/dbtest"
)

// startBinary builds the binary as `make build` does and starts it in
// production mode in an empty folder (so templates, static files and
// migrations must come from inside it) with env added to the environment.
// It returns once the server listens; the process is killed at cleanup.
func startBinary(t *testing.T, env ...string) (cmd *exec.Cmd, port string, logs *dbtest.Logs) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "cse-motors")
	if out, err := exec.Command("go", "build", "-trimpath", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port = strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	cmd = exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append([]string{"APP_ENV=production", "PORT=" + port, "PATH=" + os.Getenv("PATH")}, env...)
	logs = &dbtest.Logs{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
			c.Close()
			return cmd, port, logs
		}
		if i > 300 {
			t.Fatalf("the binary never listened:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestProductionBinary builds the binary as `make build` does, starts it in
// production mode away from the source tree (so templates, static files and
// migrations must come from inside it), and checks it as Render's proxy
// would reach it.
func TestProductionBinary(t *testing.T) {
	_, dbURL := dbtest.New(t, nil)
	cmd, port, logs := startBinary(t, "DATABASE_URL="+dbURL,
		"SESSION_SECRET="+strings.Repeat("9f", 32), "TRUSTED_PROXIES=127.0.0.1")

	base := "http://127.0.0.1:" + port
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string, header map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, logs.String())
		}
		res.Body.Close()
		return res
	}

	if res := get("/", nil); res.StatusCode != http.StatusOK || res.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("GET / = %d, HSTS %q; want 200 with HSTS", res.StatusCode, res.Header.Get("Strict-Transport-Security"))
	}
	if res := get("/css/styles.css", nil); res.StatusCode != http.StatusOK {
		t.Errorf("embedded stylesheet = %d", res.StatusCode)
	}
	for _, p := range []string{"/demo/flash", "/demo/session"} {
		if res := get(p, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("production GET %s = %d; want 404", p, res.StatusCode)
		}
	}
	// A guarded page stores "Please log in." and so starts a session: its
	// cookie, for a request that reached Render's proxy over HTTPS.
	res := get("/account/", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})
	cookie := res.Header.Get("Set-Cookie")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(cookie, "sessionId=") ||
		!strings.Contains(cookie, "; Secure") || !strings.Contains(cookie, "; HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Errorf("guarded page in production: %d, Set-Cookie %q; want 303 and a Secure, HttpOnly, SameSite=Lax cookie", res.StatusCode, cookie)
	}
	if strings.Contains(logs.String(), "msg=sql") {
		t.Error("production logs SQL without LOG_SQL")
	}

	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the binary did not stop on SIGTERM")
	}
	if !strings.Contains(logs.String(), "server stopped") {
		t.Errorf("no stop message:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "basic@340.edu") || countAccounts(t, dbURL) != 0 {
		t.Error("production created the development seed accounts")
	}
}

func countAccounts(t *testing.T, dbURL string) int {
	t.Helper()
	out, err := exec.Command("psql", dbURL, "-tAc", "SELECT count(*) FROM account").Output()
	if err != nil {
		t.Fatalf("psql: %v", err)
	}
	n, _ := strconv.Atoi(string(bytes.TrimSpace(out)))
	return n
}

// TestSIGTERMFinishesInFlightRequests holds 50 requests in the middle of
// their session write (the session table is locked against writes), sends
// SIGTERM, then releases the lock: every request completes, every write is
// in the database, new connections are refused meanwhile, and the process
// exits within its shutdown timeout.
func TestSIGTERMFinishesInFlightRequests(t *testing.T) {
	db, dbURL := dbtest.New(t, nil)
	cmd, port, logs := startBinary(t, "DATABASE_URL="+dbURL, "DEMO_ROUTES=true",
		"SESSION_SECRET="+strings.Repeat("7a", 32), "SHUTDOWN_TIMEOUT=10s", "DB_MAX_OPEN_CONNS=60")
	base := "http://127.0.0.1:" + port
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(cookie, token string) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodPost, base+"/demo/session/flash", strings.NewReader("csrf_token="+token))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		return client.Do(req)
	}
	tokenRE := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	type sess struct{ cookie, token string }
	var sessions []sess
	for range 50 {
		res, err := post("", "")
		if err != nil || res.StatusCode != http.StatusSeeOther {
			t.Fatalf("creating a session: %v %v", res, err)
		}
		res.Body.Close()
		c := res.Header.Get("Set-Cookie")
		c = c[:strings.IndexByte(c, ';')]
		req, _ := http.NewRequest(http.MethodGet, base+"/demo/session", nil)
		req.Header.Set("Cookie", c)
		page, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(page.Body)
		page.Body.Close()
		m := tokenRE.FindSubmatch(body)
		if m == nil {
			t.Fatal("no form token on the demo page")
		}
		sessions = append(sessions, sess{c, string(m[1])})
	}

	lock := dbtest.LockTable(t, db, "session", "EXCLUSIVE") // reads go on, writes wait
	codes := make(chan int, len(sessions))
	for _, s := range sessions {
		go func() {
			res, err := post(s.cookie, s.token)
			if err != nil {
				codes <- 0
				return
			}
			res.Body.Close()
			codes <- res.StatusCode
		}()
	}
	time.Sleep(300 * time.Millisecond) // the 50 are now waiting on their UPDATE
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(300 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, time.Second); err == nil {
		c.Close()
		t.Error("new connections are still accepted after SIGTERM")
	}
	lock.Rollback()

	done := map[int]int{}
	for range sessions {
		done[<-codes]++
	}
	if done[http.StatusSeeOther] != len(sessions) {
		t.Errorf("in-flight requests after SIGTERM: %v; want all %d answered 303", done, len(sessions))
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the process did not exit within the shutdown timeout")
	}
	var written int
	db.QueryRow(`SELECT count(*) FROM (SELECT sid FROM flash GROUP BY sid HAVING count(*) = 2) AS two`).Scan(&written)
	if written != len(sessions) {
		t.Errorf("%d of %d sessions hold the message written during the shutdown", written, len(sessions))
	}
	t.Logf("SIGTERM with %d requests in flight: %v, exited %v after the signal", len(sessions), done, time.Since(start).Round(time.Millisecond))
}
