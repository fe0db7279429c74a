package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const goodSecret = "0123456789abcdef0123456789abcdef0123456789"

// writeEnv writes a .env file into a temp folder and clears the
// environment variables the test could inherit.
func writeEnv(t *testing.T, body string) string {
	t.Helper()
	for _, k := range []string{"APP_ENV", "HOST", "PORT", "DATABASE_URL", "SESSION_SECRET", "SESSION_SECRET_PREVIOUS",
		"SESSION_IDLE_TIMEOUT", "SESSION_LIFETIME", "DB_MAX_OPEN_CONNS", "DB_MAX_IDLE_CONNS", "LOG_SQL", "SHUTDOWN_TIMEOUT", "SESSION_JANITOR_INTERVAL", "DEMO_ROUTES", "TRUSTED_PROXIES", "SESSION_ASYNC_COMMIT", "DATABASE_POOLER", "SHUTDOWN_DRAIN"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	p := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadReadsEnvFileAndEnvironmentWins(t *testing.T) {
	p := writeEnv(t, "PORT=6000\nSESSION_SECRET="+goodSecret+"\nDATABASE_URL=postgres://u:p@localhost:5432/db\nLOG_SQL=false\nSESSION_ASYNC_COMMIT=true\n")
	t.Setenv("PORT", "7000")
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != "7000" || c.Host != "localhost" || c.Env != "development" || c.LogSQL || !c.SessionAsyncCommit {
		t.Errorf("Load = %+v; want PORT from the environment, defaults, LOG_SQL=false from .env", c)
	}
	if c.IdleTimeout != time.Hour || c.Lifetime != 24*time.Hour || c.MaxOpenConns != 16 {
		t.Errorf("defaults = %v %v %d", c.IdleTimeout, c.Lifetime, c.MaxOpenConns)
	}
	if c.Addr() != "localhost:7000" {
		t.Errorf("Addr = %q", c.Addr())
	}
}

func TestLoadWithoutEnvFile(t *testing.T) {
	writeEnv(t, "")
	t.Setenv("SESSION_SECRET", goodSecret)
	t.Setenv("DATABASE_URL", "postgres://u:p@localhost/db")
	t.Setenv("APP_ENV", "production")
	c, err := Load(filepath.Join(t.TempDir(), "missing.env"))
	if err != nil {
		t.Fatalf("Load without .env: %v", err)
	}
	if !c.Production() || c.LogSQL || c.Addr() != ":5500" {
		t.Errorf("production config = %+v; want no SQL log and listening on all interfaces", c)
	}
}

func TestLoadRefusesBadSettings(t *testing.T) {
	db := "DATABASE_URL=postgres://u:p@localhost:5432/db\n"
	for _, tc := range []struct{ env, want string }{
		{db, "SESSION_SECRET is not set: make one with `go run . secret`"},
		{db + "SESSION_SECRET=short\n", "SESSION_SECRET is too short (5 bytes, need at least 32)"},
		{db + "SESSION_SECRET=" + goodSecret + "\nSESSION_SECRET_PREVIOUS=old\n", "SESSION_SECRET_PREVIOUS is too short"},
		{"SESSION_SECRET=" + goodSecret + "\n", "DATABASE_URL is not set"},
		{"SESSION_SECRET=" + goodSecret + "\nDATABASE_URL=postgres://u:p@host:notaport/db\n", "DATABASE_URL is not a valid PostgreSQL URL"},
		{db + "SESSION_SECRET=" + goodSecret + "\nAPP_ENV=staging\n", `APP_ENV="staging"`},
		{db + "SESSION_SECRET=" + goodSecret + "\nSESSION_IDLE_TIMEOUT=soon\n", "SESSION_IDLE_TIMEOUT"},
		{db + "SESSION_SECRET=" + goodSecret + "\nSESSION_ASYNC_COMMIT=maybe\n", "SESSION_ASYNC_COMMIT=\"maybe\" must be true or false"},
		{db + "SESSION_SECRET=" + goodSecret + "\nLOG_SQL=ture\n", "LOG_SQL=\"ture\" must be true or false"},
		{db + "SESSION_SECRET=" + goodSecret + "\nDEMO_ROUTES=yes please\n", "DEMO_ROUTES=\"yes please\" must be true or false"},
		{db + "SESSION_SECRET=" + goodSecret + "\nSESSION_LIFETIME=10m\n", "must not be shorter than SESSION_IDLE_TIMEOUT"},
		{db + "SESSION_SECRET=" + goodSecret + "\nDB_MAX_OPEN_CONNS=0\n", "DB_MAX_OPEN_CONNS"},
		{db + "SESSION_SECRET=" + goodSecret + "\nSHUTDOWN_DRAIN=-1s\n", `SHUTDOWN_DRAIN="-1s"`},
		{db + "SESSION_SECRET=" + goodSecret + "\nDATABASE_POOLER=pgbouncer\n", `DATABASE_POOLER="pgbouncer": use transaction`},
	} {
		_, err := Load(writeEnv(t, tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%q) error = %v; want one containing %q", tc.env, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error is not one line: %q", err)
		}
		if err != nil && strings.Contains(err.Error(), ":p@") {
			t.Errorf("error shows the database password: %q", err)
		}
	}
}

// DATABASE_POOLER says whether a transaction pooler sits in front of the
// database; unset, the hosted poolers students use are recognised by URL.
func TestDatabasePooler(t *testing.T) {
	for _, tc := range []struct {
		url, setting string
		want         bool
	}{
		{"postgres://u:p@localhost:5432/db", "", false},
		{"postgres://u:p@ep-cool-name-123456-pooler.eu-central-1.aws.neon.tech/db?sslmode=require", "", true},
		{"postgres://u:p@ep-cool-name-123456.eu-central-1.aws.neon.tech/db?sslmode=require", "", false},
		{"postgres://postgres.abc:p@aws-0-eu-west-1.pooler.supabase.com:6543/postgres", "", true},
		{"postgres://postgres.abc:p@aws-0-eu-west-1.pooler.supabase.com:5432/postgres", "", false},
		{"postgres://u:p@127.0.0.1:6432/db", "transaction", true},
		{"postgres://u:p@ep-x-pooler.neon.tech/db", "none", false},
		{"host=localhost dbname=db", "", false},
	} {
		env := "SESSION_SECRET=" + goodSecret + "\nDATABASE_URL=" + tc.url + "\n"
		if tc.setting != "" {
			env += "DATABASE_POOLER=" + tc.setting + "\n"
		}
		c, err := Load(writeEnv(t, env))
		if err != nil {
			t.Fatal(err)
		}
		if c.TransactionPooler != tc.want {
			t.Errorf("DATABASE_URL=%s DATABASE_POOLER=%q: TransactionPooler = %v; want %v", tc.url, tc.setting, c.TransactionPooler, tc.want)
		}
	}
}

func TestNewSecret(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if len(a) != 128 || a == b || strings.Trim(a, "0123456789abcdef") != "" {
		t.Errorf("NewSecret = %q, %q; want two different 128-char hex strings", a, b)
	}
}
