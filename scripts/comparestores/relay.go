package main

import (
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lib/pq"
)

// A relay forwards TCP connections to the PostgreSQL server. A pool that
// connects through it sees "PostgreSQL stopped" when the relay stops: its
// connections are cut and its port has nothing listening, while the real
// server, which other work on this machine may be using, keeps running.
type relay struct {
	ln            net.Listener
	network, addr string // the real server

	mu      sync.Mutex
	conns   []net.Conn
	stopped bool
}

// openRelayed opens a pool on dbURL whose connections go through a new
// relay. Stop the relay to "stop PostgreSQL" for that pool only.
func openRelayed(dbURL string) (*sql.DB, *relay, error) {
	cfg, err := pq.NewConfig(dbURL)
	if err != nil {
		return nil, nil, err
	}
	host, port := cfg.Host, cfg.Port
	if host == "" {
		host = "localhost"
	}
	if port == 0 {
		port = 5432
	}
	rl := &relay{network: "tcp", addr: net.JoinHostPort(host, strconv.Itoa(int(port)))}
	if strings.HasPrefix(host, "/") { // a Unix socket directory
		rl.network, rl.addr = "unix", filepath.Join(host, fmt.Sprintf(".s.PGSQL.%d", port))
	}
	if rl.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, nil, err
	}
	go rl.serve()

	local := rl.ln.Addr().(*net.TCPAddr)
	cfg.Host, cfg.Port, cfg.Hostaddr, cfg.Multi = "127.0.0.1", uint16(local.Port), netip.Addr{}, nil
	cfg.ConnectTimeout = 2 * time.Second // as database.Open sets it
	connector, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		rl.stop()
		return nil, nil, err
	}
	return sql.OpenDB(connector), rl, nil
}

func (rl *relay) serve() {
	for {
		c, err := rl.ln.Accept()
		if err != nil {
			return // stopped
		}
		up, err := net.DialTimeout(rl.network, rl.addr, 2*time.Second)
		if err != nil {
			c.Close()
			continue
		}
		rl.mu.Lock()
		if rl.stopped {
			rl.mu.Unlock()
			c.Close()
			up.Close()
			return
		}
		rl.conns = append(rl.conns, c, up)
		rl.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

// stop closes the listener and cuts every relayed connection.
func (rl *relay) stop() {
	rl.ln.Close()
	rl.mu.Lock()
	defer rl.mu.Unlock()
	rl.stopped = true
	for _, c := range rl.conns {
		c.Close()
	}
	rl.conns = nil
}
