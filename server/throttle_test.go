package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// serveOn serves srv on a loopback listener until the test ends and returns
// its base URL.
func serveOn(t *testing.T, srv *server.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, 5*time.Second) }()
	t.Cleanup(func() {
		stop()
		<-done
	})
	return "http://" + ln.Addr().String()
}

// browser is one browser at a loopback address of its own (127.0.0.0/8 is
// all loopback), so the server sees it as that address.
type browser struct {
	t    *testing.T
	http *http.Client
	csrf string
}

func newBrowser(t *testing.T, ip string) *browser {
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &browser{t: t, http: &http.Client{
		Jar:           jar,
		Transport:     &http.Transport{DialContext: dialer.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// openSignIn loads the sign-in page, for its CSRF cookie and token.
func (b *browser) openSignIn(base string) {
	b.t.Helper()
	resp, err := b.http.Get(base + "/sign-in")
	if err != nil {
		b.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if m := reCSRF.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
}

// signIn posts the sign-in form and returns the status; it is safe to call
// from any goroutine.
func (b *browser) signIn(base, email, password string) int {
	resp, err := b.http.PostForm(base+"/sign-in", url.Values{"_csrf": {b.csrf}, "email": {email}, "password": {password}})
	if err != nil {
		b.t.Error(err)
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// Thirty wrong passwords for one account at once, spread over two instances
// sharing the database, each browser with its own CSRF cookie: five are
// checked and the rest refused unchecked. The owner, at the address they
// have signed in from before, still gets in; a right password from any
// other address waits out the window.
func TestSignInThrottleHoldsInParallel(t *testing.T) {
	storetest.ForEachDialectShared(t, func(t *testing.T, st, other *store.Store) {
		f := newFixture(t, st)
		owner := f.people["A owner"]
		setPassword(t, f, owner)
		second, err := server.New(server.Deps{Store: other, Frameworks: builtinFrameworks(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(second.Close)
		bases := []string{serveOn(t, f.srv), serveOn(t, second)}

		usual := newBrowser(t, "127.0.0.3")
		usual.openSignIn(bases[0])
		if code := usual.signIn(bases[0], owner.Email, testPassword); code != http.StatusSeeOther {
			t.Fatalf("the owner's first sign-in = %d", code)
		}

		const attempts = 30
		attackers := make([]*browser, attempts)
		for i := range attackers {
			attackers[i] = newBrowser(t, "127.0.0.2")
			attackers[i].openSignIn(bases[i%2])
		}
		codes := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, b := range attackers {
			wg.Go(func() {
				<-start
				code := b.signIn(bases[i%2], owner.Email, "not the password at all")
				mu.Lock()
				codes[code]++
				mu.Unlock()
			})
		}
		close(start)
		wg.Wait()
		if codes[http.StatusUnauthorized] != 5 || codes[http.StatusTooManyRequests] != attempts-5 {
			t.Errorf("%d parallel wrong passwords: %v; want 5 checked (401) and %d refused (429)", attempts, codes, attempts-5)
		}
		events, _, err := st.ListAudit(context.Background(), store.Scope{OrgID: f.orgA.ID}, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, e := range events {
			if e.Action == "signin.failed" {
				checked++
			}
		}
		if checked != 5 {
			t.Errorf("%d passwords checked for the account, want 5", checked)
		}

		elsewhere := newBrowser(t, "127.0.0.4")
		elsewhere.openSignIn(bases[1])
		if code := elsewhere.signIn(bases[1], owner.Email, testPassword); code != http.StatusTooManyRequests {
			t.Errorf("the right password from a new address during the attack = %d, want 429", code)
		}
		usual = newBrowser(t, "127.0.0.3") // another browser there: it is the address that counts
		usual.openSignIn(bases[1])
		if code := usual.signIn(bases[1], owner.Email, testPassword); code != http.StatusSeeOther {
			t.Errorf("the owner at their usual address during the attack = %d, want 303", code)
		}
	})
}

// Thirty people of one force signing in at the same moment from its one
// address (an office behind NAT), through two instances: all get in,
// though the address allows only 20 failures; attempts still being
// checked are not failures.
func TestSignInFromOneOfficeAtOnce(t *testing.T) {
	storetest.ForEachDialectShared(t, func(t *testing.T, st, other *store.Store) {
		f := newFixture(t, st)
		second, err := server.New(server.Deps{Store: other, Frameworks: builtinFrameworks(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(second.Close)
		bases := []string{serveOn(t, f.srv), serveOn(t, second)}

		const people = 30
		hash, err := auth.HashPassword(testPassword)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		browsers := make([]*browser, people)
		emails := make([]string, people)
		for i := range browsers {
			emails[i] = "officer" + strconv.Itoa(i) + "@alpha.example"
			u, err := st.CreateUser(ctx, store.SystemActor("test"), store.AllOrganisations(), store.User{Email: emails[i], DisplayName: "Officer " + strconv.Itoa(i), Role: store.RoleViewer, OrganisationID: &f.orgA.ID})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetPassword(ctx, store.SystemActor("test"), store.AllOrganisations(), u.ID, hash); err != nil {
				t.Fatal(err)
			}
			browsers[i] = newBrowser(t, "127.0.0.4")
			browsers[i].openSignIn(bases[i%2])
		}
		codes := make([]int, people)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, b := range browsers {
			wg.Go(func() {
				<-start
				codes[i] = b.signIn(bases[i%2], emails[i], testPassword)
			})
		}
		close(start)
		wg.Wait()
		for i, code := range codes {
			if code != http.StatusSeeOther {
				t.Errorf("officer %d of %d signing in at once from one address: %d, want 303", i, people, code)
			}
		}
	})
}
