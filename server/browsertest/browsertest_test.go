package browsertest

import (
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// strictCSP is the policy the app sends on every page.
const strictCSP = "default-src 'self'"

// page serves fixed HTML at / under our strict Content-Security-Policy.
func page(body string) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error {
		c.Set("Content-Security-Policy", strictCSP)
		c.Type("html")
		return c.SendString(body)
	})
	return app
}

func TestViolationsAreFound(t *testing.T) {
	b := New(t)
	base := ServeFiber(t, page(`<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>
		<h1>Bad page</h1><img src="/x.png"><input type="text" name="q"></main></body></html>`))
	b.Do(t, chromedp.Navigate(base+"/"))
	vs, err := b.Violations(t)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Violation{}
	for _, v := range vs {
		got[v.ID] = v
	}
	for id, target := range map[string]string{"image-alt": "img", "label": "input"} {
		v, ok := got[id]
		if !ok {
			t.Errorf("axe-core did not report %s; got %v", id, vs)
			continue
		}
		if v.Impact == "" || v.Help == "" || v.HelpURL == "" || len(v.Nodes) != 1 || v.Nodes[0].Target != target || v.Nodes[0].HTML == "" || v.Nodes[0].Summary == "" {
			t.Errorf("%s reported as %+v; want one node %s with impact, help, URL, HTML and summary", id, v, target)
		}
	}
	if len(vs) != 2 {
		t.Errorf("want exactly image-alt and label, got %+v", vs)
	}
}

// TestCleanPagePassesUnderCSP shows the page's CSP is in force (it blocks
// the page's own inline script and a script element added by the page) and
// that axe-core, injected through DevTools, still runs and finds nothing.
func TestCleanPagePassesUnderCSP(t *testing.T) {
	b := New(t)
	base := ServeFiber(t, page(`<!DOCTYPE html><html lang="en"><head><title>Good</title>
		<script>window.inlineRan = true</script></head><body><main>
		<h1>Good page</h1><form><label for="q">Search</label><input id="q" name="q" type="text"><button>Go</button></form></main></body></html>`))
	b.Do(t, chromedp.Navigate(base+"/"))
	blocked := Run(t, b, chromedp.Evaluate[bool](`(() => {
		const s = document.createElement("script");
		s.textContent = "window.elementRan = true";
		document.head.append(s);
		return window.inlineRan === undefined && window.elementRan === undefined;
	})()`))
	if !blocked {
		t.Fatal("the page's Content-Security-Policy did not block inline scripts, so this test proves nothing")
	}
	vs, err := b.Violations(t)
	if err != nil {
		t.Fatalf("axe-core under %q: %v", strictCSP, err)
	}
	if len(vs) != 0 {
		t.Errorf("clean page: %+v", vs)
	}
	b.CheckAccessibility(t, "clean page")
}

// TestFormInteraction shows the pattern for driving a form: fill it in,
// submit it, wait for the next page and read it.
func TestFormInteraction(t *testing.T) {
	app := page(`<!DOCTYPE html><html lang="en"><head><title>Greeter</title></head><body><main>
		<h1>Greeter</h1>
		<form method="post" action="/greet">
		<label for="name">Your name</label><input id="name" name="name" type="text" autocomplete="name">
		<button type="submit" id="go">Greet me</button></form></main></body></html>`)
	app.Post("/greet", func(c *fiber.Ctx) error {
		c.Set("Content-Security-Policy", strictCSP)
		c.Type("html")
		return c.SendString(`<!DOCTYPE html><html lang="en"><head><title>Hello</title></head><body><main>
			<h1>Hello</h1><p id="greeting">Hello, ` + html.EscapeString(c.FormValue("name")) + `!</p></main></body></html>`)
	})
	b := New(t)
	base := ServeFiber(t, app)
	b.Do(t,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
	)
	b.CheckAccessibility(t, "greeter form")
	b.Do(t,
		chromedp.SetValue(chromedp.CSS("#name"), "Ada <Lovelace>"),
		chromedp.Click(chromedp.CSS("#go")),
		chromedp.WaitVisible(chromedp.CSS("#greeting")),
	)
	if got := Run(t, b, chromedp.Text(chromedp.CSS("#greeting"))); got != "Hello, Ada <Lovelace>!" {
		t.Errorf("greeting = %q", got)
	}
	if loc := Run(t, b, chromedp.Location()); loc != base+"/greet" {
		t.Errorf("location = %q", loc)
	}
	b.CheckAccessibility(t, "greeting")
}

// TestRealAppHome serves the real app and checks what a visitor to / sees:
// not signed in, that is the sign-in page. The signed-in pages are checked
// by the journey in package server.
func TestRealAppHome(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := New(t)
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		srv, err := server.New(server.Deps{Store: st, Frameworks: set, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		base := ServeFiber(t, srv.App())
		b.Do(t,
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(chromedp.CSS("main")),
		)
		loc, err := url.Parse(Run(t, b, chromedp.Location()))
		if err != nil {
			t.Fatal(err)
		}
		if loc.Path != "/sign-in" || loc.Query().Get("next") != "/" {
			t.Errorf("/ led to %s, want /sign-in?next=%%2F", loc)
		}
		b.CheckAccessibility(t, "/ (sign-in page)")
	})
}

func TestViolationsListedInFailure(t *testing.T) {
	b := New(t)
	base := ServeFiber(t, page(`<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>
		<h1>Bad page</h1><img src="/x.png"></main></body></html>`))
	b.Do(t, chromedp.Navigate(base+"/"))
	rec := &recorder{TB: t}
	b.CheckAccessibility(rec, "bad page")
	if !rec.failed {
		t.Fatal("CheckAccessibility passed a page with an image without alt text")
	}
	for _, want := range []string{"bad page (" + base + "/)", "image-alt [critical]", "Images must have alternative text", "https://dequeuniversity.com/rules/axe/", "- img", `<img src="/x.png">`, "Fix any of the following"} {
		if !strings.Contains(rec.msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, rec.msg)
		}
	}
}

// recorder captures a failure instead of failing the test.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Error(args ...any) {
	r.failed = true
	r.msg += fmt.Sprint(args...)
}
