package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestHelpListsCommandsAndSettings(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, envOf(nil), &out, &out); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"serve", "migrate", "check-frameworks DIR", "DATABASE_URL", "FRAMEWORKS_DIR", "LISTEN_ADDR"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help does not mention %q:\n%s", want, out.String())
		}
	}
	var errOut bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, envOf(nil), &out, &errOut); code != 2 || !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, errOut.String())
	}
}

func TestConfigReportsEveryBadValue(t *testing.T) {
	_, err := LoadConfig(envOf(map[string]string{"LOG_FORMAT": "xml", "SHUTDOWN_TIMEOUT": "soon", "LOG_LEVEL": "loud"}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, want := range []string{"LOG_FORMAT", "SHUTDOWN_TIMEOUT", "LOG_LEVEL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	cfg, err := LoadConfig(envOf(nil))
	if err != nil || cfg.DataDir != "./data" || cfg.DatabaseURL != "" || cfg.ShutdownTimeout != 15*time.Second {
		t.Fatalf("defaults: %+v %v", cfg, err)
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
	code := run(context.Background(), []string{"check-frameworks", dir}, envOf(nil), &out, &errOut)
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
	if code := run(context.Background(), []string{"check-frameworks", "frameworks/data"}, envOf(nil), &out, &errOut); code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errOut.String())
	}
	if n := strings.Count(out.String(), "\nok  ") + 1; n < 4 {
		t.Errorf("listed %d editions:\n%s", n, out.String())
	}
}

// TestServeStartsAndStops runs the product as `go run .` would, on the
// embedded database (and on PostgreSQL when TEST_DATABASE_URL is set), waits
// for /readyz, and stops it as SIGTERM would.
func TestServeStartsAndStops(t *testing.T) {
	urls := map[string]string{"sqlite": ""}
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		urls["postgres"] = u
	}
	for name, dbURL := range urls {
		t.Run(name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			env := map[string]string{"DATABASE_URL": dbURL, "DATA_DIR": t.TempDir(), "LISTEN_ADDR": addr, "LOG_FORMAT": "json"}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			logs := &syncBuffer{}
			exited := make(chan int, 1)
			go func() { exited <- run(ctx, nil, envOf(env), logs, logs) }()

			deadline := time.Now().Add(20 * time.Second)
			for {
				resp, err := http.Get("http://" + addr + "/readyz")
				if err == nil {
					var body map[string]any
					json.NewDecoder(resp.Body).Decode(&body)
					resp.Body.Close()
					if resp.StatusCode == 200 && body["status"] == "ready" {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("not ready within 20s; logs:\n%s", logs.String())
				}
				select {
				case code := <-exited:
					t.Fatalf("exited early with %d; logs:\n%s", code, logs.String())
				case <-time.After(50 * time.Millisecond):
				}
			}
			var out bytes.Buffer
			if code := run(context.Background(), []string{"healthcheck"}, envOf(env), &out, &out); code != 0 {
				t.Errorf("healthcheck exit %d: %s", code, out.String())
			}
			cancel()
			select {
			case code := <-exited:
				if code != 0 {
					t.Fatalf("exit %d", code)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("did not stop")
			}
			if strings.Contains(logs.String(), "password") {
				t.Error("logs mention a password")
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
	for _, s := range configSettings {
		if !strings.Contains(string(readme), "| `"+s.name+"` |") {
			t.Errorf("README.md has no row for %s", s.name)
		}
	}
	for _, c := range commands {
		if !strings.Contains(string(readme), "| `"+strings.TrimSpace(c.name+" "+c.args)+"` |") {
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
	if code := run(context.Background(), nil, envOf(env), logs, logs); code != 1 {
		t.Fatalf("exit %d, want 1; logs:\n%s", code, logs.String())
	}
	for _, want := range []string{"refusing to start", filepath.Join(dir, "bad.yaml") + ":1: likelihood: the scale needs at least two levels"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
}
