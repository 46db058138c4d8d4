package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestAPIResponsesAreNotStored: every API response, answer or refusal,
// carries Cache-Control: no-store, as pages and downloads do, so no cache
// along the way (or the browser's) keeps personal or organisational data.
// Routes come from the app itself, so a new route cannot escape it.
func TestAPIResponsesAreNotStored(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		token := f.apiToken(f.people["A owner"])
		check := func(method, path, bearer string) {
			t.Helper()
			req := httptest.NewRequest(method, path, strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			if bearer != "" {
				req.Header.Set("Authorization", "Bearer "+bearer)
			}
			resp, err := f.srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("%s %s = %d with Cache-Control %q, want no-store", method, path, resp.StatusCode, got)
			}
		}
		checked := 0
		for _, r := range f.srv.App().GetRoutes(true) {
			if r.Method == fiber.MethodHead || !strings.HasPrefix(r.Path, "/api/") {
				continue
			}
			path := reParam.ReplaceAllString(r.Path, "1")
			check(r.Method, path, token)
			check(r.Method, path, "") // refused for want of a token, where one is needed
			checked++
		}
		if checked < 30 {
			t.Fatalf("only %d API routes checked", checked)
		}
		check(http.MethodGet, "/api/v1/me", "not-a-token")
		check(http.MethodGet, "/api/v1/no-such-thing", token)
		check(http.MethodGet, "/API/V1/ME", token) // routing ignores case
	})
}
