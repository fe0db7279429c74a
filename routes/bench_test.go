package routes_test

// Benchmarks of the hot paths (home, inventory, account, static files, a flash round trip) through the real router and PostgreSQL.

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Benchmarks of the hot paths through the real router and a real
// PostgreSQL; run with `go test -bench . -benchmem ./routes`. They report
// time and allocations per request, and the CPU the process spent per
// request (cpu-ns/op): the app's own cost, without the wait for
// PostgreSQL that ns/op includes, and steadier than it on a shared
// machine. `make bench` measures the server under load.

// cpuPerOp starts counting the process's CPU time; the function it
// returns reports it per operation.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchGet(b *testing.B, a *app, path, cookie string, want int) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	defer cpuPerOp(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			if cookie != "" {
				req.Header.Set("Cookie", "sessionId="+cookie)
			}
			rec := httptest.NewRecorder()
			a.router.ServeHTTP(rec, req)
			if rec.Code != want {
				b.Errorf("GET %s = %d; want %d", path, rec.Code, want)
				return
			}
		}
	})
}

func BenchmarkHomeWithoutSession(b *testing.B) {
	a := newApp(b, "production")
	benchGet(b, a, "/", "", http.StatusOK)
}

func BenchmarkClassificationPageWithoutSession(b *testing.B) {
	a := newApp(b, "production")
	benchGet(b, a, "/inv/type/1", "", http.StatusOK)
}

func BenchmarkAccountPageWithSession(b *testing.B) {
	a := newApp(b, "production")
	br := a.staffBrowser("Client")
	benchGet(b, a, "/account/", br.cookie, http.StatusOK)
}

func BenchmarkStaticFile(b *testing.B) {
	a := newApp(b, "production")
	benchGet(b, a, "/css/styles.css", "", http.StatusOK)
}

// BenchmarkFlashRoundTrip is a flash set by a redirecting request and
// shown by the next page, in one session.
func BenchmarkFlashRoundTrip(b *testing.B) {
	a := newApp(b, "development")
	br := a.browser()
	br.get("/demo/flash")
	b.ReportAllocs()
	b.ResetTimer()
	defer cpuPerOp(b)()
	for range b.N {
		if rec := br.get("/demo/flash"); rec.Code != http.StatusSeeOther {
			b.Fatalf("/demo/flash = %d", rec.Code)
		}
		if body := br.get("/").Body.String(); !strings.Contains(body, "This is a flash message.") {
			b.Fatal("flash lost")
		}
	}
}
