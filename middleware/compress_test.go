package middleware

import (
	"net/http/httptest"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "gzip, deflate, br": true, "br, gzip;q=0.5": true, "*": true,
		"gzip;q=0": false, "gzip; q=0": false, "gzip;q=0.0": false, "gzip;q=0.001": true, "deflate": false, "identity": false,
		"x-gzip": false, "*, gzip;q=0": false, "gzip;Q=0": false, "GZIP": true, "gzip; q=0.5": true, "*;q=0": false,
		"gzip;q=nonsense": false,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if header != "" {
			r.Header.Set("Accept-Encoding", header)
		}
		if got := AcceptsGzip(r); got != want {
			t.Errorf("Accept-Encoding %q: AcceptsGzip = %v; want %v", header, got, want)
		}
	}
}
