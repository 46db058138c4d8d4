package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/seed/loadgen"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/config"
	"github.com/xuri/excelize/v2"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestHelpListsCommandsAndSettings(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, envOf(nil), nil, &out, &out); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"serve", "migrate", "check-frameworks DIR", "DATABASE_URL", "FRAMEWORKS_DIR", "LISTEN_ADDR"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help does not mention %q:\n%s", want, out.String())
		}
	}
	var errOut bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, envOf(nil), nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, errOut.String())
	}
}

func TestCheckFrameworksPrintsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.yaml": "kind: framework\nkey: broken\nversion: \"1\"\ntitle: Broken\nedition: One\nstatus: released\nnotice: x\ncolour: red\n",
		"b.yaml": "kind: crosswalk\nkey: cw\nversion: \"1\"\ntitle: X\nstatus: released\nfrom: {key: nope, version: \"1\"}\nto: {key: blwf, version: \"2024\"}\nmappings:\n  - relation: new\n    to: [LEAD-01]\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"check-frameworks", dir}, envOf(nil), nil, &out, &errOut)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{
		filepath.Join(dir, "a.yaml") + `:8: unknown field "colour" in a framework`,
		filepath.Join(dir, "a.yaml") + ":1: scale: a maturity scale needs at least two levels",
		filepath.Join(dir, "a.yaml") + ":1: areas: a framework needs at least one area",
		filepath.Join(dir, "b.yaml") + ":6: crosswalk refers to framework nope 1, which is not loaded",
	} {
		if !strings.Contains(out.String(), want+"\n") {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestCheckFrameworksAcceptsTheBuiltInEditions(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check-frameworks", "frameworks/data"}, envOf(nil), nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errOut.String())
	}
	if n := strings.Count(out.String(), "\nok  ") + 1; n < 4 {
		t.Errorf("listed %d editions:\n%s", n, out.String())
	}
}

// startServe runs the product as `go run .` would, with the given settings
// plus a free loopback address, and waits for /readyz. It returns the base
// URL, the output so far, and a stop function that checks a clean exit.
func startServe(t *testing.T, settings map[string]string) (string, *syncBuffer, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := map[string]string{"LISTEN_ADDR": addr, "LOG_FORMAT": "json"}
	for k, v := range settings {
		env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, nil, envOf(env), nil, logs, logs) }()
	stop := func() {
		cancel()
		select {
		case code := <-exited:
			if code != 0 {
				t.Fatalf("exit %d; output:\n%s", code, logs.String())
			}
		case <-time.After(20 * time.Second):
			t.Fatal("did not stop")
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			var body map[string]any
			json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if resp.StatusCode == 200 && body["status"] == "ready" {
				return "http://" + addr, logs, stop
			}
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("not ready within 20s; output:\n%s", logs.String())
		}
		select {
		case code := <-exited:
			t.Fatalf("exited early with %d; output:\n%s", code, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestServeStartsAndStops runs the product on the embedded database (and on
// PostgreSQL when TEST_DATABASE_URL is set), waits for /readyz, and stops it
// as SIGTERM would.
func TestServeStartsAndStops(t *testing.T) {
	urls := map[string]string{"sqlite": ""}
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		urls["postgres"] = u
	}
	for name, dbURL := range urls {
		t.Run(name, func(t *testing.T) {
			settings := map[string]string{"DATABASE_URL": dbURL, "DATA_DIR": t.TempDir(), "DEMO_DATA": "off"}
			base, logs, stop := startServe(t, settings)
			var out bytes.Buffer
			env := envOf(map[string]string{"LISTEN_ADDR": strings.TrimPrefix(base, "http://")})
			if code := run(context.Background(), []string{"healthcheck"}, env, nil, &out, &out); code != 0 {
				t.Errorf("healthcheck exit %d: %s", code, out.String())
			}
			stop()
			if name == "sqlite" && !strings.Contains(logs.String(), base+"/set-password/") {
				t.Errorf("first start did not print a set-password link for the first admin:\n%s", logs.String())
			}
			if strings.Contains(logs.String(), "password_hash") {
				t.Error("output mentions a password hash")
			}
		})
	}
}

// syncBuffer collects output written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The README's configuration table is written by hand; keep it in step.
func TestREADMEDocumentsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range config.Settings {
		if !strings.Contains(string(readme), "| `"+s.Name+"` |") {
			t.Errorf("README.md has no row for %s", s.Name)
		}
	}
	for _, c := range commands {
		if !strings.Contains(string(readme), "| `"+c.name) {
			t.Errorf("README.md has no row for the %s command", c.name)
		}
	}
}

func TestServeRefusesAnInvalidFramework(t *testing.T) {
	dir := t.TempDir()
	bad := "kind: risk-model\nkey: bad-risk\nversion: \"1\"\ntitle: Bad\nstatus: released\nnotice: x\n"
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	env := map[string]string{"DATA_DIR": t.TempDir(), "FRAMEWORKS_DIR": dir, "LISTEN_ADDR": "127.0.0.1:0"}
	if code := run(context.Background(), nil, envOf(env), nil, logs, logs); code != 1 {
		t.Fatalf("exit %d, want 1; logs:\n%s", code, logs.String())
	}
	for _, want := range []string{"refusing to start", filepath.Join(dir, "bad.yaml") + ":1: likelihood: the scale needs at least two levels"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
}

// TestUserCommandThenSignIn is the path a new deployment takes: add an
// organisation and its owner from the command line, then sign in as them.
func TestUserCommandThenSignIn(t *testing.T) {
	dataDir := t.TempDir()
	env := envOf(map[string]string{"DATA_DIR": dataDir})
	cli := func(stdin string, args ...string) (int, string) {
		var out bytes.Buffer
		code := run(context.Background(), args, env, strings.NewReader(stdin), &out, &out)
		return code, out.String()
	}
	if code, out := cli("", "org", "add", "-slug", "avon-somerset", "-name", "Avon and Somerset Constabulary", "-sector", "police", "-region", "South West"); code != 0 {
		t.Fatalf("org add: %d %s", code, out)
	}
	if code, out := cli("short\n", "user", "add", "-email", "lead@avon.example", "-name", "Wellbeing Lead", "-role", "owner", "-org", "avon-somerset"); code != 1 || !strings.Contains(out, "password refused") {
		t.Fatalf("weak password accepted: %d %s", code, out)
	}
	if code, out := cli("marmalade kettle orchard lantern\n", "user", "add", "-email", "lead@avon.example", "-name", "Wellbeing Lead", "-role", "owner", "-org", "avon-somerset"); code != 0 {
		t.Fatalf("user add: %d %s", code, out)
	}
	if code, out := cli("", "user", "add", "-email", "lead@avon.example", "-name", "Again", "-role", "owner", "-org", "avon-somerset", "-link"); code != 1 || !strings.Contains(out, "already") {
		t.Fatalf("duplicate user: %d %s", code, out)
	}
	var links []string // two links in turn: the second ends the first
	for range 2 {
		code, out := cli("", "user", "reset", "-email", "lead@avon.example", "-link")
		link := regexp.MustCompile(`/set-password/[A-Za-z0-9_-]+`).FindString(out)
		if code != 0 || link == "" {
			t.Fatalf("reset -link: %d %s", code, out)
		}
		links = append(links, link)
	}
	if code, out := cli("", "user", "disable", "-email", "nobody@avon.example"); code != 1 || !strings.Contains(out, "no account") {
		t.Fatalf("disable unknown: %d %s", code, out)
	}

	base, _, stop := startServe(t, map[string]string{"DATA_DIR": dataDir})
	defer stop()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := func(resp *http.Response, err error) (int, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for i, want := range []int{http.StatusNotFound, http.StatusOK} {
		if code, _ := page(client.Get(base + links[i])); code != want {
			t.Errorf("link %d of 2 from reset -link = %d, want %d", i+1, code, want)
		}
	}
	_, body := page(client.Get(base + "/sign-in"))
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page:\n%s", body)
	}
	form := url.Values{"_csrf": {m[1]}, "email": {"lead@avon.example"}, "password": {"marmalade kettle orchard lantern"}}
	if code, body := page(client.PostForm(base+"/sign-in", form)); code != http.StatusSeeOther {
		t.Fatalf("sign in = %d\n%s", code, body)
	}
	code, body := page(client.Get(base + "/"))
	if code != 200 || !strings.Contains(body, "Avon and Somerset Constabulary") || !strings.Contains(body, "Wellbeing Lead") {
		t.Fatalf("home after sign-in = %d\n%s", code, body)
	}
	if code, _ := page(client.Get(base + "/organisations")); code != http.StatusForbidden {
		t.Fatalf("an owner opened the national organisation list: %d", code)
	}
}

// TestDemoOnFirstStart is the newcomer's `go run .`: an empty embedded
// database gets the demo, whose accounts are printed and work.
func TestDemoOnFirstStart(t *testing.T) {
	base, logs, stop := startServe(t, map[string]string{"DATA_DIR": t.TempDir()})
	defer stop()
	for _, want := range []string{"Demo mode", "owner@avon-somerset.demo.example", seed.DemoPassword} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("start-up output lacks %q", want)
		}
	}
	if strings.Contains(logs.String(), "/set-password/") {
		t.Error("a first-admin link was printed although the demo has accounts")
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(string(b))
	resp, err = client.PostForm(base+"/sign-in", url.Values{"_csrf": {token[1]}, "email": {"owner@avon-somerset.demo.example"}, "password": {seed.DemoPassword}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo sign-in: %v %v", resp.StatusCode, err)
	}
	resp, err = client.Get(base + "/assessments")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Count(string(b), "<h2 class=\"govuk-heading-m\">") < 3 {
		t.Fatalf("demo owner's assessments page = %d with fewer than three cycles", resp.StatusCode)
	}
}

// A synthetic data set has no accounts: the first start gives it the first
// national admin rather than loading the demo on top.
func TestSyntheticDatabaseGetsAnAdminNotTheDemo(t *testing.T) {
	dataDir := t.TempDir()
	var out bytes.Buffer
	if code := run(context.Background(), []string{"seed", "-synthetic", "-orgs", "3", "-cycles", "1"}, envOf(map[string]string{"DATA_DIR": dataDir}), nil, &out, &out); code != 0 {
		t.Fatalf("seed -synthetic: %d %s", code, out.String())
	}
	base, logs, stop := startServe(t, map[string]string{"DATA_DIR": dataDir})
	stop()
	if strings.Contains(logs.String(), "Demo mode") || !strings.Contains(logs.String(), base+"/set-password/") {
		t.Errorf("start-up on a synthetic database:\n%s", logs.String())
	}
}

// TestExportImportCommands backs an organisation up with `export`, restores
// it with `import` into an empty embedded database and, when
// TEST_DATABASE_URL is set, into PostgreSQL, and exports it again there.
func TestExportImportCommands(t *testing.T) {
	source := t.TempDir()
	fx := prepareSaves(t, "", source)
	cli := func(settings map[string]string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, envOf(settings), nil, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	from := map[string]string{"DATA_DIR": source}
	file := filepath.Join(t.TempDir(), "faults.json")
	code, out, errOut := cli(from, "export", "-org", "faults", "-o", file)
	if code != 0 || !strings.Contains(out, "exported faults: 1 people, 1 assessments") {
		t.Fatalf("export: %d %s %s", code, out, errOut)
	}
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", info, err)
	}
	doc, _ := os.ReadFile(file)
	for _, secret := range []string{"$argon2id$", fx.token, auth.HashToken(fx.token), "password_hash"} {
		if bytes.Contains(doc, []byte(secret)) {
			t.Errorf("the export contains %q", secret)
		}
	}
	if code, _, errOut := cli(from, "export", "-org", "nope"); code != 1 || !strings.Contains(errOut, "There is no such organisation with the short name nope") {
		t.Errorf("export of an unknown organisation: %d %s", code, errOut)
	}
	if code, _, errOut := cli(from, "export"); code != 2 || !strings.Contains(errOut, "export needs -org SLUG") {
		t.Errorf("export without -org: %d %s", code, errOut)
	}

	exportedAt := regexp.MustCompile(`"exported_at": "[^"]+"`)
	for name, dbURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			to := map[string]string{"DATABASE_URL": dbURL(t), "DATA_DIR": t.TempDir()}
			code, out, errOut := cli(to, "import", file)
			if code != 0 || !strings.Contains(out, "imported Faults Constabulary (faults): 1 people, 1 assessments") ||
				!strings.Contains(out, "opened the cycles it needed: 2026/27") || !strings.Contains(out, "Imported people have no password") {
				t.Fatalf("import: %d\n%s%s", code, out, errOut)
			}
			code, again, errOut := cli(to, "export", "-org", "faults")
			if code != 0 {
				t.Fatalf("export after import: %d %s", code, errOut)
			}
			// The clock moved on between the two exports; nothing else may differ.
			if exportedAt.ReplaceAllString(again, "") != exportedAt.ReplaceAllString(string(doc), "") {
				t.Errorf("the export after import differs from the original:\n%s", again)
			}
			if code, out, _ := cli(to, "user", "reset", "-email", fx.email, "-link"); code != 0 || !strings.Contains(out, "/set-password/") {
				t.Errorf("set-password link for an imported person: %d %s", code, out)
			}
			code, _, errOut = cli(to, "import", file)
			if code != 1 || !strings.Contains(errOut, "nothing was imported") || !strings.Contains(errOut, `organisation.slug: this database already has an organisation with the short name \"faults\"`) {
				t.Errorf("second import: %d %s", code, errOut)
			}
		})
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"format": "bluelight-toolkit-export/1", "exported_at": "2026-11-23T08:00:00Z", "notes": [], "organisation": {"slug": "x", "colour": "blue"}}`), 0o600)
	code, _, errOut = cli(map[string]string{"DATA_DIR": t.TempDir()}, "import", bad)
	if code != 1 || !strings.Contains(errOut, "organisation.name: is missing") {
		t.Errorf("import of a bad file: %d %s", code, errOut)
	}
	if code, _, errOut := cli(from, "import"); code != 2 || !strings.Contains(errOut, "import needs exactly one export file") {
		t.Errorf("import without a file: %d %s", code, errOut)
	}
}

// TestLoadAgainstTheRealServer runs `toolkit load` with five people against
// the product on a small synthetic data set, every step of the mix equally
// likely, until 150 requests (a second or two; longer under -race on a busy
// machine, up to 30 s), and expects every action to have run with no errors
// and the request bound to hold.
func TestLoadAgainstTheRealServer(t *testing.T) {
	dataDir := t.TempDir()
	env := envOf(map[string]string{"DATA_DIR": dataDir})
	var out bytes.Buffer
	if code := run(context.Background(), []string{"seed", "-synthetic", "-orgs", "8", "-cycles", "2"}, env, nil, &out, &out); code != 0 {
		t.Fatalf("seed: %d %s", code, out.String())
	}
	base, _, stop := startServe(t, map[string]string{"DATA_DIR": dataDir, "LOG_LEVEL": "warn"})
	defer stop()

	var mix []string
	for _, w := range loadgen.DefaultMix {
		mix = append(mix, string(w.Step)+"=1")
	}
	var report, errOut bytes.Buffer
	code := run(context.Background(), []string{"load", "-url", base, "-people", "5", "-orgs", "2", "-duration", "30s", "-max-requests", "150", "-think", "5ms",
		"-mix", strings.Join(mix, ","), "-pid", strconv.Itoa(os.Getpid())}, env, nil, &report, &errOut)
	if code != 0 {
		t.Fatalf("load exit %d\n%s\n%s", code, report.String(), errOut.String())
	}
	// Rows read "<action> <count> <req/s> <p50> <p95> <p99> <max> <conflicts> <errors>".
	counts := map[string]int{}
	for _, line := range strings.Split(report.String(), "\n") {
		for _, a := range append(loadgen.ActionOrder, "all") {
			rest, ok := strings.CutPrefix(line, a)
			if f := strings.Fields(rest); ok && len(f) == 8 {
				counts[a], _ = strconv.Atoi(f[0])
				if f[7] != "0" {
					t.Errorf("%s: %s errors", a, f[7])
				}
			}
		}
	}
	if counts["all"] > 150 {
		t.Errorf("%d requests counted, more than -max-requests 150", counts["all"])
	}
	for _, a := range loadgen.ActionOrder {
		if counts[a] == 0 {
			t.Errorf("%s never ran:\n%s", a, report.String())
		}
	}
	for _, want := range []string{"Warm-up: 5 of 5 people signed in", "\n0 errors", "VmHWM"} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, report.String())
		}
	}
}

// A server elsewhere is refused before the database is touched.
func TestLoadRefusesAnotherMachine(t *testing.T) {
	dataDir := t.TempDir()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"load", "-url", "http://192.0.2.10:8080"}, envOf(map[string]string{"DATA_DIR": dataDir}), nil, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "only runs against a server on this machine") {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if entries, _ := os.ReadDir(dataDir); len(entries) != 0 {
		t.Errorf("the refused run left %s in the data folder", filepath.Join(dataDir, entries[0].Name()))
	}
}

// TestReportCommand writes each report of the demo's 2025/26 cycle without a
// server and reads it back: the organisation's reports name it and its
// figures, the national summary names no organisation, the national
// workbook names them all; bad arguments change nothing and say why.
func TestReportCommand(t *testing.T) {
	dataDir := t.TempDir()
	env := envOf(map[string]string{"DATA_DIR": dataDir, "LOG_LEVEL": "warn"})
	cli := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, env, nil, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, out, errOut := cli("seed", "-demo"); code != 0 {
		t.Fatalf("seed -demo: %d %s %s", code, out, errOut)
	}
	dir := t.TempDir()
	write := func(kind string, extra ...string) []byte {
		t.Helper()
		file := filepath.Join(dir, kind)
		code, out, errOut := cli(append([]string{"report", "-cycle", "2025/26", "-kind", kind, "-o", file}, extra...)...)
		if code != 0 || !strings.Contains(out, "wrote "+kind+" for 2025/26") {
			t.Fatalf("report %s: %d %s %s", kind, code, out, errOut)
		}
		if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("report %s file: %v %v", kind, info, err)
		}
		data, _ := os.ReadFile(file)
		return data
	}
	avon := "Avon and Somerset Constabulary"
	if text := pdftest.Text(t, write("benchmark-pdf", "-org", "avon-somerset")); !strings.Contains(text, avon) || !strings.Contains(text, "2025/26") {
		t.Errorf("the benchmark PDF does not name the organisation and cycle:\n%.500s", text)
	}
	if text := pdftest.Text(t, write("business-case-pdf", "-org", "avon-somerset")); !strings.Contains(text, avon) {
		t.Errorf("the business case does not name the organisation:\n%.500s", text)
	}
	summary := pdftest.Text(t, write("national-summary-pdf"))
	if !strings.Contains(summary, "2025/26") || strings.Contains(summary, avon) {
		t.Errorf("the national summary should give the cycle and name no organisation:\n%.500s", summary)
	}
	sheets := func(data []byte) string {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, name := range f.GetSheetList() {
			rows, _ := f.GetRows(name)
			for _, r := range rows {
				all.WriteString(strings.Join(r, "\t") + "\n")
			}
		}
		return all.String()
	}
	if gap := sheets(write("gap-xlsx", "-org", "dsfrs")); !strings.Contains(gap, "Devon and Somerset Fire and Rescue Service") || strings.Contains(gap, avon) {
		t.Errorf("the gap analysis should name DSFRS and no one else")
	}
	if national := sheets(write("national-xlsx")); !strings.Contains(national, avon) || !strings.Contains(national, "South Western Ambulance Service") {
		t.Errorf("the national workbook should name every organisation")
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-cycle", "2025/26", "-kind", "benchmark-pdf"}, 2, "report needs -cycle NAME, -kind KIND and -o FILE"},
		{[]string{"-cycle", "2025/26", "-kind", "benchmark-pdf", "-o", filepath.Join(dir, "x")}, 2, "benchmark-pdf is an organisation's report: name it with -org SLUG"},
		{[]string{"-cycle", "2025/26", "-kind", "national-xlsx", "-org", "dsfrs", "-o", filepath.Join(dir, "x")}, 2, "national-xlsx covers every organisation"},
		{[]string{"-cycle", "2025/26", "-kind", "poster", "-o", filepath.Join(dir, "x")}, 2, `unknown report kind "poster"`},
		{[]string{"-cycle", "1999/00", "-kind", "national-xlsx", "-o", filepath.Join(dir, "x")}, 1, "there is no cycle named"},
		{[]string{"-cycle", "2025/26", "-kind", "gap-xlsx", "-org", "nope", "-o", filepath.Join(dir, "x")}, 1, "There is no such organisation"},
	} {
		code, _, errOut := cli(append([]string{"report"}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("report %v: %d %s, want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !os.IsNotExist(err) {
		t.Errorf("a refused report left a file behind: %v", err)
	}
}
