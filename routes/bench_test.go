package routes_test

// Benchmarks of the hot paths (home, inventory, account, static files, a flash round trip) through the real router and PostgreSQL.

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Benchmarks of the hot paths through the real router and a real
// PostgreSQL; run with `go test -bench . -benchmem ./routes`. They report
// time and allocations per request; `make bench` measures the server
// under load.

func benchGet(b *testing.B, a *app, path, cookie string, want int) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
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
	for range b.N {
		if rec := br.get("/demo/flash"); rec.Code != http.StatusSeeOther {
			b.Fatalf("/demo/flash = %d", rec.Code)
		}
		if body := br.get("/").Body.String(); !strings.Contains(body, "This is a flash message.") {
			b.Fatal("flash lost")
		}
	}
}
