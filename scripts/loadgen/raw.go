package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// newRawDo returns a doFunc that speaks HTTP/1.1 by hand over conns
// keep-alive connections, as wrk does, instead of through net/http's
// client. The load generator shares two cores with the server and
// PostgreSQL, and net/http's client spent about as much CPU per request
// as the server's own HTTP stack: CPU that pgbench, the yardstick, does
// not spend. It understands what this server sends: a status line,
// headers, and a body of Content-Length bytes; anything else is an error.
func newRawDo(base string, conns int) doFunc {
	u, _ := url.Parse(base)
	pool := make(chan *rawConn, conns)
	return func(method, path, cookie, body string) (*http.Response, string, error) {
		var rc *rawConn
		select {
		case rc = <-pool:
		default:
			rc = &rawConn{host: u.Host, origin: u.Scheme + "://" + u.Host}
		}
		res, page, err := rc.do(method, path, cookie, body)
		if err != nil || rc.closing {
			rc.close()
		}
		select {
		case pool <- rc:
		default:
			rc.close()
		}
		return res, page, err
	}
}

// rawConn is one connection, dialled when first needed and again after
// the server closed it.
type rawConn struct {
	host, origin string
	c            net.Conn
	r            *bufio.Reader
	req, body    []byte // reused buffers
	closing      bool   // the server said Connection: close
}

func (rc *rawConn) close() {
	if rc.c != nil {
		rc.c.Close()
	}
	rc.c, rc.closing = nil, false
}

// do sends one request and reads its response. The *http.Response holds
// the status and the Set-Cookie header, which is all the callers read.
func (rc *rawConn) do(method, path, cookie, body string) (*http.Response, string, error) {
	if rc.c == nil {
		c, err := net.DialTimeout("tcp", rc.host, 5*time.Second)
		if err != nil {
			return nil, "", err
		}
		rc.c, rc.r = c, bufio.NewReaderSize(c, 16<<10)
	}
	rc.c.SetDeadline(time.Now().Add(5 * time.Second))
	b := append(rc.req[:0], method...)
	b = append(append(append(b, ' '), path...), " HTTP/1.1\r\nHost: "...)
	b = append(append(b, rc.host...), "\r\n"...)
	if cookie != "" {
		b = append(append(append(b, "Cookie: "...), cookie...), "\r\n"...)
	}
	if method == http.MethodPost {
		b = append(append(append(b, "Origin: "...), rc.origin...), "\r\nSec-Fetch-Site: same-origin\r\n"...)
		b = append(b, "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "...)
		b = append(strconv.AppendInt(b, int64(len(body)), 10), "\r\n"...)
	}
	b = append(append(b, "\r\n"...), body...)
	rc.req = b
	if _, err := rc.c.Write(b); err != nil {
		return nil, "", err
	}
	return rc.read()
}

var errResponse = errors.New("loadgen: unexpected response")

// read reads a status line, the headers and a Content-Length body.
func (rc *rawConn) read() (*http.Response, string, error) {
	line, err := rc.r.ReadSlice('\n')
	if err != nil {
		return nil, "", err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return nil, "", fmt.Errorf("%w: status line %q", errResponse, line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return nil, "", fmt.Errorf("%w: status line %q", errResponse, line)
	}
	res := &http.Response{StatusCode: status, Header: http.Header{}}
	length := -1
	for {
		line, err := rc.r.ReadSlice('\n')
		if err != nil {
			return nil, "", err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(": "))
		if !ok {
			return nil, "", fmt.Errorf("%w: header %q", errResponse, line)
		}
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return nil, "", fmt.Errorf("%w: Content-Length %q", errResponse, value)
			}
		case bytes.EqualFold(name, []byte("Set-Cookie")):
			res.Header.Add("Set-Cookie", string(value))
		case bytes.EqualFold(name, []byte("Connection")) && bytes.EqualFold(value, []byte("close")):
			rc.closing = true
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			return nil, "", fmt.Errorf("%w: Transfer-Encoding %q", errResponse, value)
		}
	}
	if length < 0 {
		return nil, "", fmt.Errorf("%w: no Content-Length", errResponse)
	}
	if cap(rc.body) < length {
		rc.body = make([]byte, length)
	}
	rc.body = rc.body[:length]
	if _, err := io.ReadFull(rc.r, rc.body); err != nil {
		return nil, "", err
	}
	return res, string(rc.body), nil
}
