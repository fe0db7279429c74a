// Command clusterdrill loads the site behind `make cluster` while a shell
// command disturbs it (a rolling restart, a SIGKILL of an instance), and
// prints what the visitors saw: requests, 5xx answers, resets, sessions
// kept and flash messages kept. `make cluster-drill` runs it
// (scripts/cluster-drill.sh). It uses the standard library only, so it
// can move to a tools module of its own as it is.
//
// Each simulated visitor logs in once, then loops: the home page, their
// account page (which must still say they are logged in), a flash message
// posted (the demo route, DEMO_ROUTES=true) and the page that must show it
// exactly once.
//
//	go run ./scripts/clusterdrill -url http://127.0.0.1:8080 -email e -password p -during "scripts/cluster.sh kill 2"
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const message = "This is a flash message."

var tokenRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// counts are what the visitors saw, shared by all of them.
type counts struct {
	requests, server5xx, resets, unexpected atomic.Int64
	flashesSent, flashesShown, flashesLost  atomic.Int64
	flashesTwice, loggedOut                 atomic.Int64
	firstProblem                            atomic.Value
}

func (c *counts) problem(format string, args ...any) {
	c.firstProblem.CompareAndSwap(nil, fmt.Sprintf(format, args...))
}

// visitor is one browser: its own connections, its session cookie and form token.
type visitor struct {
	base   string
	client *http.Client
	cookie string
	token  string
	c      *counts
}

// do sends one request; a transport error (reset, refused, EOF) is
// counted and returned.
func (v *visitor) do(method, path string, form url.Values) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, v.base+path, body)
	if err != nil {
		return nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", v.base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if v.cookie != "" {
		req.Header.Set("Cookie", v.cookie)
	}
	v.c.requests.Add(1)
	res, err := v.client.Do(req)
	if err != nil {
		v.c.resets.Add(1)
		v.c.problem("%s %s: %v", method, path, err)
		return nil, "", err
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		v.c.resets.Add(1)
		v.c.problem("%s %s: reading the answer: %v", method, path, err)
		return nil, "", err
	}
	if res.StatusCode >= 500 {
		v.c.server5xx.Add(1)
		v.c.problem("%s %s: %d", method, path, res.StatusCode)
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "sessionId" {
			v.cookie = "sessionId=" + ck.Value
		}
	}
	return res, string(b), nil
}

// login logs the visitor in and reads the form token of its new session.
func (v *visitor) login(email, password string) error {
	res, _, err := v.do(http.MethodPost, "/account/login", url.Values{"account_email": {email}, "account_password": {password}})
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/" {
		return fmt.Errorf("login answered %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, page, err := v.do(http.MethodGet, "/account/", nil)
	if err != nil {
		return err
	}
	m := tokenRE.FindStringSubmatch(page)
	if m == nil {
		return errors.New("the account page has no form token")
	}
	v.token = m[1]
	return nil
}

// round is one loop of the visitor; it reports false once the visitor was
// logged out (counted once), after which it stops.
func (v *visitor) round() bool {
	if res, _, err := v.do(http.MethodGet, "/", nil); err == nil && res.StatusCode != http.StatusOK {
		v.c.unexpected.Add(1)
		v.c.problem("GET / = %d", res.StatusCode)
	}
	res, page, err := v.do(http.MethodGet, "/account/", nil)
	if err == nil && res.StatusCode == http.StatusSeeOther {
		v.c.loggedOut.Add(1)
		v.c.problem("logged out: GET /account/ redirected to %s", res.Header.Get("Location"))
		return false
	}
	if err == nil && (res.StatusCode != http.StatusOK || !strings.Contains(page, "Welcome")) {
		v.c.unexpected.Add(1)
		v.c.problem("GET /account/ = %d", res.StatusCode)
	}
	res, _, err = v.do(http.MethodPost, "/demo/session/flash", url.Values{"csrf_token": {v.token}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		if err == nil {
			v.c.unexpected.Add(1)
			v.c.problem("POST /demo/session/flash = %d", res.StatusCode)
		}
		return true // not stored: nothing to look for
	}
	v.c.flashesSent.Add(1)
	res, page, err = v.do(http.MethodGet, "/", nil)
	if err != nil || res.StatusCode != http.StatusOK {
		// Not shown yet: it must come on the next page, which is the
		// next round's home page; count it there as lost if not.
		v.c.flashesLost.Add(1)
		return true
	}
	switch n := strings.Count(page, message); {
	case n == 0:
		v.c.flashesLost.Add(1)
		v.c.problem("a flash message was not shown")
	case n == 1:
		v.c.flashesShown.Add(1)
	default:
		v.c.flashesShown.Add(1)
		v.c.flashesTwice.Add(int64(n - 1))
	}
	return true
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the cluster's address")
	users := flag.Int("c", 16, "visitors, each logged in once and looping")
	email := flag.String("email", "", "the account the visitors log in to")
	password := flag.String("password", "", "its password")
	during := flag.String("during", "", "shell command run under load (bash -c)")
	name := flag.String("name", "drill", "what the command does, for the table")
	warmup := flag.Duration("warmup", 2*time.Second, "load before the command")
	cooldown := flag.Duration("cooldown", 3*time.Second, "load after the command")
	flag.Parse()

	c := &counts{}
	vs := make([]*visitor, *users)
	for i := range vs {
		vs[i] = &visitor{base: *base, c: c, client: &http.Client{
			Timeout:       15 * time.Second,
			Transport:     &http.Transport{MaxIdleConnsPerHost: 1},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}
		if err := vs[i].login(*email, *password); err != nil {
			fmt.Fprintf(os.Stderr, "clusterdrill: visitor %d could not log in: %v\n", i, err)
			os.Exit(1)
		}
	}
	*c = counts{} // count the drill only, not the logins

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var kept atomic.Int64
	for _, v := range vs {
		wg.Go(func() {
			for ctx.Err() == nil {
				if !v.round() {
					return
				}
			}
			kept.Add(1)
		})
	}
	start := time.Now()
	time.Sleep(*warmup)
	cmdErr := error(nil)
	if *during != "" {
		cmd := exec.Command("bash", "-c", *during)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		cmdErr = cmd.Run()
	}
	time.Sleep(*cooldown)
	stop()
	wg.Wait()
	took := time.Since(start)

	lost := c.server5xx.Load() + c.resets.Load() + c.unexpected.Load() + c.loggedOut.Load() + c.flashesLost.Load()
	fmt.Printf("| %s | %d in %.0f s | %d | %d | %d / %d | %d / %d (%d shown twice) |\n",
		*name, c.requests.Load(), took.Seconds(), c.server5xx.Load(), c.resets.Load(),
		kept.Load(), *users, c.flashesShown.Load(), c.flashesSent.Load(), c.flashesTwice.Load())
	if p := c.firstProblem.Load(); p != nil {
		fmt.Fprintf(os.Stderr, "clusterdrill: %s: first problem: %s (other unexpected answers: %d)\n", *name, p, c.unexpected.Load())
	}
	if cmdErr != nil {
		fmt.Fprintf(os.Stderr, "clusterdrill: %s: the command failed: %v\n", *name, cmdErr)
		os.Exit(1)
	}
	if lost > 0 {
		os.Exit(1)
	}
}
