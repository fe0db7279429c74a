// Package config reads the app's settings from .env and the environment
// (the environment wins) into a typed Config. It is the only package that
// knows about viper; everything else receives a Config.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
	"github.com/spf13/viper"
)

// MinSecretLen is the shortest SESSION_SECRET accepted: 32 bytes, the size
// of the HMAC-SHA256 key it protects.
const MinSecretLen = 32

// Config is every setting the app reads at start-up.
type Config struct {
	Env            string // "development" or "production"
	Host           string
	Port           string
	DatabaseURL    string
	SessionSecret  string
	PreviousSecret string        // still accepted while rotating SESSION_SECRET
	IdleTimeout    time.Duration // a session unused this long ends
	Lifetime       time.Duration // every session ends this long after it began
	MaxOpenConns   int
	MaxIdleConns   int
	// TransactionPooler says DATABASE_URL goes through a pooler in
	// transaction mode (PgBouncer, Neon's and Supabase's pooled strings),
	// where prepared statements must not outlive a transaction.
	// DATABASE_POOLER=transaction or none; unset, it is guessed from the
	// URL (see poolerFromURL).
	TransactionPooler bool
	LogSQL            bool
	ShutdownTimeout   time.Duration
	// ShutdownDrain is how long, after SIGTERM, the instance keeps serving
	// with its health check failing, so a load balancer takes it out before
	// it stops accepting connections (SHUTDOWN_DRAIN, default 0: no
	// balancer). Set it above the balancer's check interval.
	ShutdownDrain   time.Duration
	JanitorInterval time.Duration // how often expired sessions are deleted
	// DemoRoutes serves /demo/* (the classroom demos). Default: on in
	// development, off in production; the benchmark turns it on to drive
	// flash round trips through the production binary.
	DemoRoutes bool
	// SessionAsyncCommit lets session writes that only move flash messages
	// or slide the idle expiry commit without waiting for the disk (see
	// postgres.Store.AsyncCommit for what a crash can lose). Off unless
	// SESSION_ASYNC_COMMIT=true.
	SessionAsyncCommit bool
	// TrustedProxies are the addresses whose X-Forwarded-For is believed
	// when finding a client's address (login throttling); none by default.
	TrustedProxies []string
}

// Production reports whether the app runs in production mode.
func (c Config) Production() bool { return c.Env == "production" }

// Addr is the address the server listens on. In production it listens on
// every interface (a platform such as Render routes traffic to $PORT);
// in development only on HOST, so a laptop does not expose the app.
func (c Config) Addr() string {
	if c.Production() {
		return ":" + c.Port
	}
	return c.Host + ":" + c.Port
}

// Secrets returns the session signing secrets, newest first.
func (c Config) Secrets() [][]byte {
	keys := [][]byte{[]byte(c.SessionSecret)}
	if c.PreviousSecret != "" {
		keys = append(keys, []byte(c.PreviousSecret))
	}
	return keys
}

// Load reads envFile (ignored when missing) and the environment, applies
// defaults and checks the result. Each error is one line that says how to
// fix it.
func Load(envFile string) (Config, error) {
	v := viper.New()
	v.SetDefault("APP_ENV", "development")
	v.SetDefault("HOST", "localhost")
	v.SetDefault("PORT", "5500")
	v.SetDefault("SESSION_IDLE_TIMEOUT", "1h")
	v.SetDefault("SESSION_LIFETIME", "24h")
	v.SetDefault("DB_MAX_OPEN_CONNS", 16)
	v.SetDefault("DB_MAX_IDLE_CONNS", 0)
	v.SetDefault("SHUTDOWN_TIMEOUT", "15s")
	v.SetDefault("SHUTDOWN_DRAIN", "0s")
	v.SetDefault("SESSION_JANITOR_INTERVAL", "5m")
	v.AutomaticEnv()
	if envFile != "" {
		v.SetConfigFile(envFile)
		v.SetConfigType("env")
		if err := v.ReadInConfig(); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Config{}, fmt.Errorf("config: cannot read %s: %w", envFile, err)
		}
	}

	c := Config{
		Env:            strings.ToLower(strings.TrimSpace(v.GetString("APP_ENV"))),
		Host:           v.GetString("HOST"),
		Port:           v.GetString("PORT"),
		DatabaseURL:    strings.TrimSpace(v.GetString("DATABASE_URL")),
		SessionSecret:  v.GetString("SESSION_SECRET"),
		PreviousSecret: v.GetString("SESSION_SECRET_PREVIOUS"),
		MaxOpenConns:   v.GetInt("DB_MAX_OPEN_CONNS"),
		MaxIdleConns:   v.GetInt("DB_MAX_IDLE_CONNS"),
		TrustedProxies: strings.Fields(strings.ReplaceAll(v.GetString("TRUSTED_PROXIES"), ",", " ")),
	}
	if err := c.readDurations(v); err != nil {
		return c, err
	}
	if err := c.readSwitches(v); err != nil {
		return c, err
	}
	return c, c.validate()
}

// readDurations reads the settings that are durations.
func (c *Config) readDurations(v *viper.Viper) error {
	var err error
	if c.IdleTimeout, err = duration(v, "SESSION_IDLE_TIMEOUT"); err != nil {
		return err
	}
	if c.Lifetime, err = duration(v, "SESSION_LIFETIME"); err != nil {
		return err
	}
	if c.ShutdownTimeout, err = duration(v, "SHUTDOWN_TIMEOUT"); err != nil {
		return err
	}
	if c.JanitorInterval, err = duration(v, "SESSION_JANITOR_INTERVAL"); err != nil {
		return err
	}
	drain := strings.TrimSpace(v.GetString("SHUTDOWN_DRAIN"))
	if c.ShutdownDrain, err = time.ParseDuration(drain); err != nil || c.ShutdownDrain < 0 {
		return fmt.Errorf("config: SHUTDOWN_DRAIN=%q is not a duration such as 0s or 2s", drain)
	}
	return nil
}

// readSwitches reads the on/off settings and the pooler mode.
func (c *Config) readSwitches(v *viper.Viper) error {
	var err error
	// SQL is logged and the demo pages served in development unless the
	// setting says otherwise; in production only when it asks for them.
	if c.LogSQL, err = boolean(v, "LOG_SQL", !c.Production()); err != nil {
		return err
	}
	if c.DemoRoutes, err = boolean(v, "DEMO_ROUTES", !c.Production()); err != nil {
		return err
	}
	if c.SessionAsyncCommit, err = boolean(v, "SESSION_ASYNC_COMMIT", false); err != nil {
		return err
	}
	switch p := strings.ToLower(strings.TrimSpace(v.GetString("DATABASE_POOLER"))); p {
	case "":
		c.TransactionPooler = poolerFromURL(c.DatabaseURL)
	case "transaction":
		c.TransactionPooler = true
	case "none", "session":
		c.TransactionPooler = false
	default:
		return fmt.Errorf("config: DATABASE_POOLER=%q: use transaction (PgBouncer in transaction mode, Neon's or Supabase's pooled string) or none", p)
	}
	return nil
}

// boolean reads an on/off setting: def when it is unset or empty, an
// error naming it when it is neither true nor false (a typo must not
// quietly turn a setting off).
func boolean(v *viper.Viper, key string, def bool) (bool, error) {
	s := strings.TrimSpace(v.GetString(key))
	if s == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return def, fmt.Errorf("config: %s=%q must be true or false", key, s)
	}
	return b, nil
}

func duration(v *viper.Viper, key string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v.GetString(key)))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("config: %s=%q is not a positive duration such as 30m or 24h", key, v.GetString(key))
	}
	return d, nil
}

func (c Config) validate() error {
	switch {
	case c.Env != "development" && c.Env != "production":
		return fmt.Errorf("config: APP_ENV=%q: use development or production", c.Env)
	case c.SessionSecret == "":
		return errors.New("config: SESSION_SECRET is not set: make one with `go run . secret` and put it in .env (or the host's environment)")
	case len(c.SessionSecret) < MinSecretLen:
		return fmt.Errorf("config: SESSION_SECRET is too short (%d bytes, need at least %d): make one with `go run . secret`", len(c.SessionSecret), MinSecretLen)
	case c.PreviousSecret != "" && len(c.PreviousSecret) < MinSecretLen:
		return fmt.Errorf("config: SESSION_SECRET_PREVIOUS is too short (%d bytes, need at least %d)", len(c.PreviousSecret), MinSecretLen)
	case c.DatabaseURL == "":
		return errors.New("config: DATABASE_URL is not set: run `make run`, which starts a local PostgreSQL and writes .env, or set it to postgres://user:password@host:5432/dbname")
	case c.MaxOpenConns < 1:
		return fmt.Errorf("config: DB_MAX_OPEN_CONNS=%d: must be at least 1", c.MaxOpenConns)
	case c.MaxIdleConns < 0:
		return fmt.Errorf("config: DB_MAX_IDLE_CONNS=%d: must not be negative", c.MaxIdleConns)
	case c.Lifetime < c.IdleTimeout:
		return fmt.Errorf("config: SESSION_LIFETIME (%s) must not be shorter than SESSION_IDLE_TIMEOUT (%s)", c.Lifetime, c.IdleTimeout)
	}
	if _, err := pq.NewConfig(c.DatabaseURL); err != nil {
		return fmt.Errorf("config: DATABASE_URL is not a valid PostgreSQL URL (%v): expected postgres://user:password@host:5432/dbname", redact(err))
	}
	return nil
}

// poolerFromURL guesses whether a URL is one of the hosted poolers in
// transaction mode students meet: Neon's pooled string (its host name has
// "-pooler." in it) and Supabase's pooler on port 6543 (its port 5432 is
// session mode). Anything else is taken as a direct connection;
// DATABASE_POOLER=transaction says otherwise.
func poolerFromURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return strings.Contains(host, "-pooler.") ||
		(strings.HasSuffix(host, ".pooler.supabase.com") && u.Port() == "6543")
}

// userInfo matches the user:password part of a URL quoted in an error.
var userInfo = regexp.MustCompile(`//[^/@\s"]*@`)

// redact keeps a password that pq echoes in an error out of the terminal.
func redact(err error) string {
	return userInfo.ReplaceAllString(err.Error(), "//***@")
}

// NewSecret returns 64 random bytes as hex: the Go counterpart of the
// course's `node -e "console.log(require('crypto').randomBytes(64).toString('hex'))"`.
func NewSecret() string {
	b := make([]byte, 64)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// EnvFile is the .env path: ENV_FILE when set, else .env in the working
// directory.
func EnvFile() string {
	if f := os.Getenv("ENV_FILE"); f != "" {
		return f
	}
	return ".env"
}
