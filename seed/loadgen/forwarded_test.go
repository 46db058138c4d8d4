package loadgen

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// With -forwarded-for each person sends an address of their own, in the
// benchmark range, on every request; without it, none.
func TestEachPersonSendsTheirOwnForwardedAddress(t *testing.T) {
	seen := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Get("X-Forwarded-For")
	}))
	defer srv.Close()
	rec := NewRecorder()
	accept := func(response) (Outcome, string) { return OK, "" }
	for _, tt := range []struct {
		index int
		on    bool
		want  string
	}{
		{0, true, "198.18.0.0"},
		{300, true, "198.18.1.44"},
		{65537, true, "198.19.0.1"},
		{7, false, ""},
	} {
		p := newPerson(Person{Role: "owner"}, srv.URL, &Plan{}, DefaultMix, http.DefaultTransport, 5*time.Second, rand.New(rand.NewPCG(1, 2)), rec, &budget{})
		if tt.on {
			p.forwardedFor = personAddress(tt.index)
		}
		if _, outcome, err := p.do(context.Background(), rec, ActionSignInPage, p.get("/sign-in"), accept); err != nil || outcome != OK {
			t.Fatalf("request: %v %v", outcome, err)
		}
		if got := <-seen; got != tt.want {
			t.Errorf("person %d (forwarded-for %v) sent X-Forwarded-For %q, want %q", tt.index, tt.on, got, tt.want)
		}
	}
}
