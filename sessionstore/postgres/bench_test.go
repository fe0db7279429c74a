package postgres_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/cse-motors/cse-motors/database/dbtest"
	"github.com/cse-motors/cse-motors/sessionstore/postgres"
)

// benchStore returns a store and the cookie of a stored session holding a
// logged-in visitor's values.
func benchStore(b *testing.B) (*postgres.Store, *http.Cookie) {
	db, _ := dbtest.New(b, nil)
	st := postgres.NewStore(db, secret)
	if err := st.CreateTable(context.Background()); err != nil {
		b.Fatal(err)
	}
	s, _ := st.Get(httptest.NewRequest(http.MethodGet, "/", nil), cookieName)
	s.Values["account_id"] = 42
	s.Values["account_firstname"] = "Ada"
	s.Values["account_type"] = "Client"
	rec := httptest.NewRecorder()
	if err := st.Save(httptest.NewRequest(http.MethodGet, "/", nil), rec, s); err != nil {
		b.Fatal(err)
	}
	return st, rec.Result().Cookies()[0]
}

// BenchmarkLoad is the work of every request that carries a session: verify
// the cookie, read the row, decode it.
func BenchmarkLoad(b *testing.B) {
	st, cookie := benchStore(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(cookie)
		for pb.Next() {
			s, _ := st.Get(req, cookieName)
			if s.IsNew {
				b.Error("session not found")
				return
			}
		}
	})
}

// BenchmarkSaveUnchanged is the save at the end of a request that changed
// nothing: it must cost no statement.
func BenchmarkSaveUnchanged(b *testing.B) {
	st, cookie := benchStore(b)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(cookie)
	s, _ := st.Get(req, cookieName)
	rec := httptest.NewRecorder()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := st.Save(req, rec, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadChangeSave is a request that adds a flash message: load,
// change, one UPDATE.
func BenchmarkLoadChangeSave(b *testing.B) {
	st, cookie := benchStore(b)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		s, _ := st.Get(req, cookieName)
		s.Values["flash"] = map[string][]string{"notice": {"Saved " + strconv.Itoa(i)}}
		if err := st.Save(req, rec, s); err != nil {
			b.Fatal(err)
		}
	}
}
