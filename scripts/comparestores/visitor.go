package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// clientTimeout bounds every request, so a hung store cannot hang the run.
const clientTimeout = 10 * time.Second

// A visitor is one browser: an HTTP client with a cookie jar of its own,
// which keeps the sessionId cookie as the responses set and expire it.
type visitor struct {
	base   *url.URL
	client *http.Client
}

// response is what the visitor saw.
type response struct {
	status int
	body   string
	header http.Header
	cookie *http.Cookie // the sessionId Set-Cookie, nil when none was sent
	took   time.Duration
	err    error
}

// newVisitor returns a browser for the server at base holding cookie
// (nil: none), which lets a scenario replay an old cookie.
func newVisitor(base string, cookie *http.Cookie) *visitor {
	u, err := url.Parse(base)
	if err != nil {
		panic(err) // an httptest server's URL
	}
	jar, _ := cookiejar.New(nil) // never fails without options
	if cookie != nil {
		jar.SetCookies(u, []*http.Cookie{{Name: cookie.Name, Value: cookie.Value, Path: "/"}})
	}
	return &visitor{base: u, client: &http.Client{Jar: jar, Timeout: clientTimeout}}
}

func (v *visitor) get(path string) response { return v.do(http.MethodGet, path, nil) }

func (v *visitor) post(path string, form url.Values) response {
	return v.do(http.MethodPost, path, form)
}

func (v *visitor) do(method, path string, form url.Values) response {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, v.base.String()+path, body)
	if err != nil {
		return response{err: err}
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	start := time.Now()
	resp, err := v.client.Do(req)
	if err != nil {
		return response{err: err, took: time.Since(start)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, body: string(b), header: resp.Header, took: time.Since(start), err: err}
	for _, c := range resp.Cookies() {
		if c.Name == cookieName {
			r.cookie = c
		}
	}
	return r
}

// cookie returns the sessionId cookie the browser holds now, or nil.
func (v *visitor) cookie() *http.Cookie {
	for _, c := range v.client.Jar.Cookies(v.base) {
		if c.Name == cookieName {
			return c
		}
	}
	return nil
}
