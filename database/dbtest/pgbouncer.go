package dbtest

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// PgBouncer starts a PgBouncer in transaction mode (the mode of Neon's and
// Supabase's pooled connection strings) in front of the server dbURL points
// at, for the rest of the test, and returns dbURL rewritten to go through
// it. Its server pool is small (poolSize connections for each database),
// so the clients' transactions keep landing on each other's server
// connections, as they do on a busy host. A missing pgbouncer fails the
// test with the command that installs it; `make test` installs it.
//
// dbURL must be a postgres:// URL with a user and password (dbtest.New's).
func PgBouncer(t testing.TB, dbURL string, poolSize int) string {
	t.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		bin = "/usr/sbin/pgbouncer" // Debian's, often off a user's PATH
		if _, err := os.Stat(bin); err != nil {
			t.Fatal("pgbouncer is not installed: run  sudo apt-get install -y pgbouncer  (make test installs it)")
		}
	}
	u, err := url.Parse(dbURL)
	if err != nil || u.User == nil {
		t.Fatalf("dbtest: PgBouncer needs a postgres://user:password@host:port/db URL, got %q", dbURL)
	}
	password, _ := u.User.Password()
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}

	// Not t.TempDir: its parent is closed to the user PgBouncer runs as.
	dir, err := os.MkdirTemp("", "cse-pgbouncer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var asUser []string
	handOver := func() {} // gives dir's files to the user PgBouncer runs as
	if os.Getuid() == 0 {
		// PgBouncer refuses to run as root: -u makes it drop to "postgres"
		// (the user db.sh runs the server as), which must read its files.
		pg, err := user.Lookup("postgres")
		if err != nil {
			t.Fatal("dbtest: running as root, PgBouncer needs a 'postgres' user to run as: run  sudo apt-get install -y postgresql")
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		handOver = func() {
			filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, uid, gid) })
		}
		asUser = []string{"-u", "postgres"}
	}
	userlist := filepath.Join(dir, "userlist.txt")
	if err := os.WriteFile(userlist, fmt.Appendf(nil, "%q %q\n", u.User.Username(), password), 0o600); err != nil {
		t.Fatal(err)
	}

	logs := &Logs{}
	var cmd *exec.Cmd
	var listen string
	for attempt := 0; ; attempt++ {
		listen = freePort(t)
		ini := filepath.Join(dir, "pgbouncer.ini")
		conf := fmt.Sprintf(`[databases]
* = host=%s port=%s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %s
unix_socket_dir =
auth_type = scram-sha-256
auth_file = %s
pool_mode = transaction
default_pool_size = %d
max_client_conn = 200
`, host, port, listen, userlist, poolSize)
		if err := os.WriteFile(ini, []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		handOver()
		cmd = exec.Command(bin, append(asUser, ini)...)
		cmd.Dir = dir
		cmd.Stdout, cmd.Stderr = logs, logs
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the test binary
		if err := cmd.Start(); err != nil {
			t.Fatalf("dbtest: start pgbouncer: %v", err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		if waitListening(listen, exited) {
			t.Cleanup(func() {
				cmd.Process.Signal(syscall.SIGTERM) // immediate shutdown
				select {
				case <-exited:
				case <-time.After(5 * time.Second):
					cmd.Process.Kill()
					<-exited
				}
				if t.Failed() {
					t.Logf("pgbouncer's log:\n%s", logs)
				}
			})
			break
		}
		cmd.Process.Kill()
		<-exited
		if attempt == 2 { // the port was taken between freePort and the start: try another
			t.Fatalf("dbtest: pgbouncer did not start:\n%s", logs)
		}
	}
	u.Host = net.JoinHostPort("127.0.0.1", listen)
	return u.String()
}

// freePort returns a TCP port nobody listens on right now.
func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// waitListening waits up to 10 s for 127.0.0.1:port to accept a
// connection, and reports whether it did before the process exited.
func waitListening(port string, exited <-chan struct{}) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, time.Second); err == nil {
			c.Close()
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}
