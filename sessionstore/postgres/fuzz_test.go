package postgres

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzVerify feeds arbitrary cookie values to the decoder: it must never
// panic, and it may accept a value only if it is exactly what the store
// would have issued for that name and ID.
func FuzzVerify(f *testing.F) {
	st := NewStore(nil, []byte("fuzz-secret-fuzz-secret-fuzz-secret!"))
	good := st.encodeCookie("sessionId", newID())
	f.Add("sessionId", good)
	f.Add("sessionId", good+good)
	f.Add("other", good)
	f.Add("sessionId", "")
	f.Add("sessionId", strings.Repeat(".", cookieLen))
	f.Add("sessionId", good[:idLen]+"\x00"+good[idLen+1:])
	f.Fuzz(func(t *testing.T, name, value string) {
		id, ok := st.verify(name, value)
		if !ok {
			return
		}
		if value != st.encodeCookie(name, id) || len(id) != idLen || !utf8.ValidString(id) {
			t.Fatalf("accepted %q for %q (id %q) that the store did not issue", value, name, id)
		}
	})
}
