package session

// The path kept for after the login is never an open redirect to another site, nor a header injection.

import "testing"

func TestLocalPathRefusesOtherHosts(t *testing.T) {
	for p, want := range map[string]bool{"/inv/": true, "/account/?a=1": true, "//evil.example": false,
		"/\\evil.example": false, "https://evil.example/": false, "/ok\r\nSet-Cookie: x": false, "": false} {
		if got := LocalPath(p); got != want {
			t.Errorf("LocalPath(%q) = %v; want %v", p, got, want)
		}
	}
}
