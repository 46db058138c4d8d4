package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func builtinFrameworks(t testing.TB) *frameworks.Set {
	t.Helper()
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func newServer(t testing.TB, st *store.Store) *server.Server {
	t.Helper()
	s, err := server.New(server.Deps{Store: st, Frameworks: builtinFrameworks(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// do sends a request through the app and decodes a JSON body into out, if given.
func do(t *testing.T, s *server.Server, req *http.Request, out any) *http.Response {
	t.Helper()
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		body, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s %s: body is not JSON: %v\n%s", req.Method, req.URL, err, body)
		}
	}
	return resp
}

func get(t *testing.T, s *server.Server, path string, out any) *http.Response {
	return do(t, s, httptest.NewRequest(http.MethodGet, path, nil), out)
}

func TestHealthAndReadiness(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		s := newServer(t, st)
		var health map[string]any
		if resp := get(t, s, "/healthz", &health); resp.StatusCode != 200 || health["status"] != "ok" {
			t.Fatalf("/healthz = %d %v", resp.StatusCode, health)
		}
		var ready map[string]any
		if resp := get(t, s, "/readyz", &ready); resp.StatusCode != 200 || ready["status"] != "ready" || ready["framework_editions"].(float64) < 4 {
			t.Fatalf("/readyz = %d %v", resp.StatusCode, ready)
		}
		// With the database gone, the instance must say it is not ready.
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		ready = nil
		if resp := get(t, s, "/readyz", &ready); resp.StatusCode != 503 || ready["database"] != "unreachable" {
			t.Fatalf("/readyz after close = %d %v", resp.StatusCode, ready)
		}
	})
}

type editionSummary struct {
	Kind, Key, Version, Title, Status, SHA256 string
	Counts                                    map[string]int
}

func TestFrameworksAPI(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		s := newServer(t, st)
		var list struct{ Editions []editionSummary }
		if resp := get(t, s, "/api/v1/frameworks", &list); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		found := map[string]editionSummary{}
		for _, e := range list.Editions {
			found[e.Key+" "+e.Version] = e
			if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(e.SHA256) {
				t.Errorf("%s %s: sha256 %q", e.Key, e.Version, e.SHA256)
			}
		}
		cur, prev, risk := found["blwf 2024"], found["blwf 2017"], found["psych-risk 2026.1"]
		if cur.Counts["areas"] != 7 || cur.Counts["standards"] < 45 {
			t.Errorf("current edition counts = %v", cur.Counts)
		}
		if prev.Counts["areas"] != 6 {
			t.Errorf("previous edition counts = %v", prev.Counts)
		}
		if risk.Kind != "risk-model" || risk.Counts["hazards"] < 12 || risk.Counts["controls"] < 15 || risk.Counts["roles"] < 18 {
			t.Errorf("risk model = %+v", risk)
		}
		if _, ok := found["blwf-2017-to-2024 1"]; !ok {
			t.Errorf("crosswalk missing from %v", found)
		}

		var detail struct {
			Edition editionSummary
			Content frameworks.Framework
		}
		if resp := get(t, s, "/api/v1/frameworks/blwf/2024", &detail); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if len(detail.Content.Areas) != 7 || detail.Content.Areas[6].Title != "Occupational Health" || detail.Content.Areas[0].Standards[0].Statement == "" {
			t.Errorf("full tree not returned: %d areas", len(detail.Content.Areas))
		}

		var apiErr struct {
			Error struct {
				Code, Message string
				RequestID     string `json:"request_id"`
			}
		}
		resp := get(t, s, "/api/v1/frameworks/blwf/1999", &apiErr)
		if resp.StatusCode != 404 || apiErr.Error.Code != "not_found" || !strings.Contains(apiErr.Error.Message, "1999") || apiErr.Error.RequestID == "" {
			t.Errorf("unknown edition: %d %+v", resp.StatusCode, apiErr)
		}
	})
}

// TestOpenAPICoversEveryRoute derives the routes from the router, so a new
// /api/v1 route without documentation fails here.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		s := newServer(t, st)
		var doc struct {
			OpenAPI string                    `json:"openapi"`
			Servers []struct{ URL string }    `json:"servers"`
			Paths   map[string]map[string]any `json:"paths"`
		}
		get(t, s, "/api/v1/openapi.json", &doc)
		if doc.OpenAPI != "3.1.0" || len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
			t.Fatalf("document header: %+v", doc)
		}
		param := regexp.MustCompile(`:(\w+)`)
		checked := 0
		for _, r := range s.App().GetRoutes(true) {
			if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == fiber.MethodHead {
				continue
			}
			p := param.ReplaceAllString(strings.TrimPrefix(r.Path, "/api/v1"), "{$1}")
			if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
				t.Errorf("%s %s is not in the OpenAPI document (as %s)", r.Method, r.Path, p)
			}
			checked++
		}
		if checked < 3 {
			t.Fatalf("only %d API routes found", checked)
		}
	})
}

func TestRequestIDAndErrors(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		s := newServer(t, st)
		s.App().Get("/boom", func(c *fiber.Ctx) error { panic("secret internal detail") })

		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.Header.Set("X-Request-Id", "caller-chosen-id-123")
		if got := do(t, s, req, nil).Header.Get("X-Request-Id"); got != "caller-chosen-id-123" {
			t.Errorf("request id not kept: %q", got)
		}
		req = httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.Header.Set("X-Request-Id", "bad id\nwith newline")
		if got := do(t, s, req, nil).Header.Get("X-Request-Id"); !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(got) {
			t.Errorf("unsafe request id not replaced: %q", got)
		}

		resp := get(t, s, "/boom", nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 500 || strings.Contains(string(body), "secret") {
			t.Errorf("panic: %d %q", resp.StatusCode, body)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("security headers missing on error response")
		}
	})
}

// TestServeDrainsInFlightRequests starts the real listener, cancels while a
// slow request is running, and expects that request to complete.
func TestServeDrainsInFlightRequests(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		s := newServer(t, st)
		started := make(chan struct{})
		s.App().Get("/slow", func(c *fiber.Ctx) error {
			close(started)
			time.Sleep(300 * time.Millisecond)
			return c.SendString("finished")
		})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- s.Serve(ctx, ln, 5*time.Second) }()

		type result struct {
			body string
			err  error
		}
		got := make(chan result, 1)
		go func() {
			resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
			if err != nil {
				got <- result{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			got <- result{string(b), err}
		}()
		<-started
		cancel()
		r := <-got
		if r.err != nil || r.body != "finished" {
			t.Fatalf("in-flight request: %q %v", r.body, r.err)
		}
		select {
		case err := <-served:
			if err != nil {
				t.Fatalf("Serve returned %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Serve did not return after shutdown")
		}
		if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
			t.Fatal("server still accepting connections after shutdown")
		}
	})
}
