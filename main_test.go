package main

import (
	"bytes"
	"context"
	"database/sql"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/models"
)

func TestSecretCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"secret"}, &out, &errOut); code != 0 {
		t.Fatalf("secret exited %d: %s", code, errOut.String())
	}
	if s := strings.TrimSpace(out.String()); len(s) != 128 || strings.Trim(s, "0123456789abcdef") != "" {
		t.Errorf("secret printed %q; want 128 hex characters", s)
	}
}

// startEnv points the app at a .env of its own with the given lines.
func startEnv(t *testing.T, lines ...string) {
	t.Helper()
	for _, k := range []string{"APP_ENV", "PORT", "HOST", "DATABASE_URL", "SESSION_SECRET", "LOG_SQL"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	p := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	t.Setenv("ENV_FILE", p)
}

func TestStartupFailsFastWithOneLine(t *testing.T) {
	secret := "SESSION_SECRET=" + strings.Repeat("ab", 32)
	for _, tc := range []struct {
		name  string
		lines []string
		want  string
	}{
		{"no secret", []string{"DATABASE_URL=postgres://u@127.0.0.1:1/db"}, "SESSION_SECRET is not set"},
		{"bad url", []string{secret, "DATABASE_URL=postgres://u@127.0.0.1:port/db"}, "DATABASE_URL is not a valid"},
		{"unreachable", []string{secret, "DATABASE_URL=postgres://u@127.0.0.1:1/db?sslmode=disable"}, "server unreachable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			startEnv(t, tc.lines...)
			var out, errOut bytes.Buffer
			start := time.Now()
			code := run(context.Background(), nil, &out, &errOut)
			if code != 1 || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut.String(), tc.want)
			}
			if lines := strings.Count(strings.TrimSpace(errOut.String()), "\n"); lines != 0 {
				t.Errorf("stderr has %d lines; want one:\n%s", lines+1, errOut.String())
			}
			t.Logf("failed after %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(errOut.String()))
		})
	}
}

func TestServeAndGracefulShutdown(t *testing.T) {
	_, dbURL := dbtest.New(t, nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	startEnv(t, "SESSION_SECRET="+strings.Repeat("cd", 32), "DATABASE_URL="+dbURL,
		"HOST=127.0.0.1", "PORT="+itoa(port), "LOG_SQL=true")

	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut dbtest.Logs
	done := make(chan int)
	go func() { done <- run(ctx, nil, &out, &errOut) }()

	url := "http://127.0.0.1:" + itoa(port) + "/"
	var res *http.Response
	for range 600 { // up to 30 s: -race makes start-up slow
		if res, err = http.Get(url); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, errOut.String())
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET / = %d", res.StatusCode)
	}
	cancel() // as SIGTERM does
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop")
	}
	log := errOut.String()
	if !strings.Contains(log, `msg="server stopped"`) {
		t.Errorf("no stop message in the log:\n%s", log)
	}
	if !strings.Contains(log, "msg=sql") || !strings.Contains(log, "took=") {
		t.Errorf("with LOG_SQL the statements and durations are not logged:\n%s", log)
	}
	// Development seeds one account of each type, and the hashes match the
	// passwords the README lists.
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, a := range models.CourseAccounts {
		var hash, typ string
		if err := db.QueryRow(`SELECT account_password, account_type FROM account WHERE account_email = $1`, a.Email).Scan(&hash, &typ); err != nil {
			t.Fatalf("seed account %s: %v", a.Email, err)
		}
		if typ != a.Type {
			t.Errorf("%s is %s; want %s", a.Email, typ, a.Type)
		}
	}
	readme, _ := os.ReadFile("README.md")
	for _, line := range []string{"| Client | `basic@340.edu` | `I@mABas1cCl!3nt` |",
		"| Employee | `happy@340.edu` | `I@mAnEmpl0y33` |", "| Admin | `manager@340.edu` | `I@mAnAdm!n1strat0r` |"} {
		if !strings.Contains(string(readme), line) {
			t.Errorf("README lacks the seed account line %s", line)
		}
	}
	for i, pw := range []string{"I@mABas1cCl!3nt", "I@mAnEmpl0y33", "I@mAnAdm!n1strat0r"} {
		if bcrypt.CompareHashAndPassword([]byte(models.CourseAccounts[i].PasswordHash), []byte(pw)) != nil {
			t.Errorf("the stored hash of %s does not match %s", models.CourseAccounts[i].Email, pw)
		}
	}
}

func TestPromoteEndsTheAccountsSessions(t *testing.T) {
	db, dbURL := dbtest.New(t, nil)
	startEnv(t, "SESSION_SECRET="+strings.Repeat("ef", 32), "DATABASE_URL="+dbURL)
	var id int
	if err := db.QueryRow(`INSERT INTO account (account_firstname, account_lastname, account_email, account_password)
		VALUES ('Ex', 'Employee', 'ex@example.com', 'x') RETURNING account_id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"promote", "EX@example.com", "Employee"}, &out, &errOut); code != 0 {
		t.Fatalf("promote exited %d: %s", code, errOut.String())
	}
	db.Exec(`INSERT INTO session (sid, sess, expire) VALUES ('s1', jsonb_build_object('account_id', $1::int), now() + interval '1 hour')`, id)
	if code := run(context.Background(), []string{"promote", "ex@example.com", "Client"}, &out, &errOut); code != 0 {
		t.Fatalf("demote exited %d: %s", code, errOut.String())
	}
	var typ string
	var sessions int
	db.QueryRow(`SELECT account_type FROM account WHERE account_id = $1`, id).Scan(&typ)
	db.QueryRow(`SELECT count(*) FROM session`).Scan(&sessions)
	if typ != "Client" || sessions != 0 {
		t.Errorf("after the demotion: type %s, %d sessions left; want Client and 0", typ, sessions)
	}
	if code := run(context.Background(), []string{"promote", "nobody@example.com", "Admin"}, &out, &errOut); code != 1 {
		t.Errorf("promoting an unknown email exited %d; want 1", code)
	}
	if code := run(context.Background(), []string{"promote", "ex@example.com", "King"}, &out, &errOut); code != 2 {
		t.Errorf("promoting to an unknown type exited %d; want 2", code)
	}
}
