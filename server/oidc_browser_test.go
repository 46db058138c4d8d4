package server_test

import (
	"context"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/browsertest"
	"github.com/bluelight-wellbeing/toolkit/server/oidcsignin/oidctest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestBrowserOIDCSignIn drives sign-in through a real provider in Chromium
// with JavaScript switched off: a national admin sets the provider up on
// its page, then an owner types their email, signs in at the provider and
// comes back signed in; what they type as their session ends is offered
// back after they sign in again there. Each page of ours on the way is checked with
// axe-core.
func TestBrowserOIDCSignIn(t *testing.T) {
	st := storetest.Open(t, store.DialectSQLite)
	var offset atomic.Int64 // the server's clock runs this far ahead
	st.Now = func() time.Time { return time.Now().UTC().Add(time.Duration(offset.Load())) }
	b := browsertest.New(t)
	// The provider sends people back to PUBLIC_URL, so the app must listen
	// where PUBLIC_URL says: take the port first.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	f := newFixtureWith(t, st, func(d *server.Deps) { d.SecretKey = oidcKey; d.PublicURL = base })
	go func() { _ = f.srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = f.srv.App().ShutdownWithTimeout(5 * time.Second) })

	p := oidctest.Start(t, "toolkit", "browser test secret", base+"/sign-in/oidc/callback")
	owner := f.people["A owner"]
	p.AddUser(oidctest.User{Email: owner.Email, EmailVerified: true})
	admin := f.people["admin"]
	setPassword(t, f, admin)

	scripts := func(on bool) {
		b.Do(t, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
			return chromedp.Void{}, err
		})
	}
	scripts(false)
	// axe-core is a script: it runs with scripts on for the check alone.
	checkPage := func(name string) {
		t.Helper()
		scripts(true)
		b.CheckAccessibility(t, name)
		scripts(false)
	}
	location := func() *url.URL {
		u, _ := url.Parse(settledRun(t, b, chromedp.Location()))
		return u
	}
	// clickTo clicks and waits until the browser is on a page whose URL
	// (host and path) matches want.
	clickTo := func(sel, want string) {
		t.Helper()
		// Mark the document, to tell it from the next one: a form may lead
		// back to its own address.
		settledRun(t, b, chromedp.Evaluate[string](`document.body.dataset.page = "old"`))
		settled(t, b, chromedp.Click(chromedp.CSS(sel)))
		re := regexp.MustCompile(want)
		for deadline := time.Now().Add(10 * time.Second); ; {
			ctx, cancel := context.WithTimeout(b.Ctx(), 5*time.Second)
			loc, err := chromedp.Run(ctx, chromedp.Location())
			fresh, err2 := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && document.body.dataset.page !== "old"`))
			cancel()
			if u, perr := url.Parse(loc); err == nil && err2 == nil && perr == nil && fresh && re.MatchString(u.Host+u.Path) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after clicking %s: at %s, want %s", sel, loc, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	text := func() string { return settledRun(t, b, chromedp.Text(chromedp.CSS("body"))) }
	typeIn := func(sel, v string) { settled(t, b, chromedp.SendKeys(chromedp.CSS(sel), v)) }
	host := strings.TrimPrefix(base, "http://")

	b.Do(t, chromedp.Navigate(base+"/sign-in"))
	typeIn("#email", admin.Email)
	typeIn("#password", testPassword)
	clickTo("main form button", "^"+regexp.QuoteMeta(host)+"/$")

	b.Do(t, chromedp.Navigate(base+"/organisations/"+itoa(f.orgA.ID)+"/sign-in"))
	checkPage("sign-in settings")
	typeIn("#issuer", p.Issuer)
	typeIn("#client_id", p.ClientID)
	typeIn("#client_secret", p.ClientSecret)
	typeIn("#domains", "alpha.example")
	clickTo(`form[action$="/sign-in"] button`, `/organisations/\d+/sign-in$`)
	if !strings.Contains(text(), "Changes saved") || !strings.Contains(text(), "A secret is stored") {
		t.Fatalf("provider not saved: %s", text())
	}
	checkPage("sign-in settings, saved")
	clickTo(".app-sign-out button", "/sign-in$")

	// The owner: email first, then the provider, then back signed in.
	b.Do(t, chromedp.Navigate(base+"/sign-in"))
	checkPage("sign-in, email first")
	typeIn("#email", owner.Email)
	provider, _ := url.Parse(p.Issuer)
	clickTo("main form button", "^"+regexp.QuoteMeta(provider.Host)+"/login$")
	typeIn(`input[name="subject"]`, owner.Email)
	clickTo("form button", "^"+regexp.QuoteMeta(host)+"/$")
	if !strings.Contains(text(), owner.DisplayName) || !strings.Contains(text(), f.orgA.Name) {
		t.Fatalf("not signed in after the provider: %s", text())
	}

	// The session ends as they type; they sign in again through the
	// provider (the form may lead there) and have what they typed back.
	year := itoa(int64(time.Now().Year() - 1))
	b.Do(t, chromedp.Navigate(base+"/provision/peer-support?year="+year))
	typeIn("#supporters", "417")
	offset.Store(int64(31 * time.Minute))
	clickTo(`form[action^="/provision/peer-support?year="] button`, "/provision/peer-support$")
	if !strings.Contains(text(), "Sign in again") {
		t.Fatalf("save after the idle limit: %s", text())
	}
	clickTo("main form button", "^"+regexp.QuoteMeta(provider.Host)+"/login$")
	typeIn(`input[name="subject"]`, owner.Email)
	clickTo("form button", "/sign-in/oidc/callback$")
	if !strings.Contains(text(), "You are signed in again") {
		t.Fatalf("back from the provider: %s", text())
	}
	checkPage("signed in again through the provider")
	clickTo("main form button", "/provision/peer-support$")
	if v := settledRun(t, b, chromedp.Evaluate[string](`document.querySelector("#supporters").value`)); v != "417" || !strings.Contains(text(), "Not saved yet") {
		t.Fatalf("the return offered back: supporters %q: %s", v, text())
	}
	clickTo(".app-sign-out button", "/sign-in$")
	if !strings.Contains(text(), "Sign out of your organisation's account too") {
		t.Errorf("no offer of the provider's sign-out: %s", text())
	}
	checkPage("signed out, provider's sign-out offered")
	if loc := location(); loc.Query().Get("org") != itoa(f.orgA.ID) {
		t.Errorf("signed-out page = %s", loc)
	}

	// A refused return is a page too.
	b.Do(t, chromedp.Navigate(base+"/sign-in/oidc/callback?state=made-up"))
	if !strings.Contains(text(), "did not start in this browser") {
		t.Errorf("made-up return: %s", text())
	}
	checkPage("sign-in return refused")
}

// settled runs a browser action, trying again when the page was still
// settling: a script switched on or off for the accessibility check, or a
// page replacing a node, leaves Chromium briefly without the node or the
// execution context the action had found.
func settled(t *testing.T, b *browsertest.Browser, a chromedp.Action[chromedp.Void]) {
	t.Helper()
	settledRun(t, b, a)
}

// settledRun is settled for an action with a result.
func settledRun[T any](t *testing.T, b *browsertest.Browser, a chromedp.Action[T]) T {
	t.Helper()
	for try := 1; ; try++ {
		ctx, cancel := context.WithTimeout(b.Ctx(), 10*time.Second)
		v, err := chromedp.Run(ctx, a)
		cancel()
		if err == nil {
			return v
		}
		if try == 5 || !strings.Contains(err.Error(), "No node with given id") && !strings.Contains(err.Error(), "Cannot find context") {
			t.Fatalf("browser: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
