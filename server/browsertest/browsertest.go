// Package browsertest drives the real app in Debian's Chromium and checks
// pages with axe-core for WCAG 2.2 AA. Without Chromium or axe-core the tests
// are skipped with the reason, except under CI=true, where that fails.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"
)

// Browser is one headless Chromium with one tab.
type Browser struct {
	ctx context.Context
}

// Ctx is the tab's context, for calling chromedp directly. It has no
// timeout: wrap it in one, as Do and Run do.
func (b *Browser) Ctx() context.Context { return b.ctx }

func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("browser tests may not be skipped under CI=true: %s", msg)
	}
	t.Skip(msg)
}

// New starts headless Chromium for one test and closes it when the test ends.
func New(t testing.TB) *Browser {
	t.Helper()
	path := os.Getenv("CHROMIUM_PATH")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		unavailable(t, "no Chromium at %s: install Debian's chromium package (or set CHROMIUM_PATH)", path)
	}
	if _, err := axeSource(); err != nil {
		unavailable(t, "%v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // runs as root in CI containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		// The machine has no network beyond loopback: stop Chromium calling home.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first Do starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &Browser{ctx: ctx}
}

// Do runs steps in the tab, failing the test on error or after 30 seconds.
func (b *Browser) Do(t testing.TB, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Run runs one action that returns a value.
func Run[T any](t testing.TB, b *Browser, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// Violation is one axe-core rule a page breaks.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []Node `json:"nodes"`
}

// Node is one element that breaks a rule.
type Node struct {
	Target  string `json:"target"`  // CSS selector; " >>> " enters a shadow root, " | " an iframe
	HTML    string `json:"html"`    // the element's opening tag, as axe-core quotes it
	Summary string `json:"summary"` // axe-core's failureSummary: what to fix
}

// wcagTags selects the WCAG 2.0, 2.1 and 2.2 level A and AA rules.
const wcagTags = `["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]`

// Violations runs axe-core on the current page and returns what breaks the
// WCAG 2.0, 2.1 and 2.2 level A and AA rules. axe-core is injected through
// the DevTools protocol (Runtime.evaluate), which the page's
// Content-Security-Policy does not govern, so pages are checked exactly as
// served, under `default-src 'self'`.
func (b *Browser) Violations(t testing.TB) ([]Violation, error) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("inspect page: %w", err)
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+";\ntypeof window.axe === \"object\"")); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
	}
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + wcagTags + `}}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : s).join(" | "),
			html: n.html, summary: n.failureSummary || ""}))})))`
	return chromedp.Run(ctx, chromedp.Evaluate[[]Violation](script, chromedp.EvalAwaitPromise))
}

// CheckAccessibility fails the test with every WCAG 2.2 AA violation on the
// current page: rule, impact, help text and URL, and each element that breaks
// it. pageName labels the failure.
func (b *Browser) CheckAccessibility(t testing.TB, pageName string) {
	t.Helper()
	vs, err := b.Violations(t)
	if err != nil {
		t.Fatalf("%s: axe-core did not run: %v", pageName, err)
	}
	if len(vs) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	var msg strings.Builder
	fmt.Fprintf(&msg, "%s (%s): %d accessibility violation(s) of WCAG 2.2 A/AA", pageName, loc, len(vs))
	for _, v := range vs {
		fmt.Fprintf(&msg, "\n\n%s [%s]: %s\n  %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&msg, "\n  - %s\n      %s", n.Target, n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&msg, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
			}
		}
	}
	t.Error(msg.String())
}

var (
	axeOnce sync.Once
	axeJS   string
	axeErr  error
)

// axeSource reads axe-core from static/node_modules (installed by `npm ci`
// in static/), or from the file AXE_CORE_JS names.
func axeSource() (string, error) {
	axeOnce.Do(func() {
		path := os.Getenv("AXE_CORE_JS")
		if path == "" {
			root, err := moduleRoot()
			if err != nil {
				axeErr = err
				return
			}
			path = filepath.Join(root, "static", "node_modules", "axe-core", "axe.min.js")
		}
		b, err := os.ReadFile(path)
		if err != nil {
			axeErr = fmt.Errorf("axe-core not found at %s: run `npm ci` in static/ (or set AXE_CORE_JS)", path)
			return
		}
		axeJS = string(b)
	})
	return axeJS, axeErr
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// ServeFiber serves app on a free loopback port until the test ends and
// returns its base URL, such as http://127.0.0.1:41234.
func ServeFiber(t testing.TB, app *fiber.App) string {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &connsListener{Listener: raw}
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		// The test is over: rather than wait out Chromium's keep-alive and
		// speculative connections (up to fasthttp's timeout), drop them.
		_ = ln.Close()
		ln.closeConns()
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("stop test server: %v", err)
		}
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("test server: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("test server did not stop")
		}
	})
	return "http://" + raw.Addr().String()
}

// connsListener remembers the connections it accepts, so they can be closed
// when the test ends. Close may be called more than once.
type connsListener struct {
	net.Listener
	once  sync.Once
	mu    sync.Mutex
	conns []net.Conn
}

func (l *connsListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.mu.Lock()
		l.conns = append(l.conns, c)
		l.mu.Unlock()
	}
	return c, err
}

func (l *connsListener) Close() error {
	var err error
	l.once.Do(func() { err = l.Listener.Close() })
	return err
}

func (l *connsListener) closeConns() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		_ = c.Close()
	}
}

// SetDate fills a GOV.UK date input (the partial "date-input") named name
// with day: its day field has the id name, the others name-month and
// name-year. An empty field is typed into, as a person would.
func (b *Browser) SetDate(t testing.TB, name string, day time.Time) {
	t.Helper()
	b.Do(t,
		// By name: the part that holds the date's own id is the first wrong
		// one after an error, so the error summary's link lands on it.
		chromedp.SetValue(chromedp.CSS(`[name="`+name+`-day"]`), strconv.Itoa(day.Day())),
		chromedp.SetValue(chromedp.CSS(`[name="`+name+`-month"]`), strconv.Itoa(int(day.Month()))),
		chromedp.SetValue(chromedp.CSS(`[name="`+name+`-year"]`), strconv.Itoa(day.Year())),
	)
}
