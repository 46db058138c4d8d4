package server_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestEarlyRefusalsCarrySecurityHeaders: what fasthttp refuses before any
// middleware runs (a body over the app's limit, headers too large for its
// buffer, a request line it cannot read) is answered, on a real
// connection, with the same security headers as every other response, and
// is never stored.
func TestEarlyRefusalsCarrySecurityHeaders(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		limit := f.srv.App().Config().BodyLimit
		huge := func(path string) string {
			return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", path, limit+1)
		}
		for _, tc := range []struct {
			name, head string
			body       []byte
			status     int
			json       bool
		}{
			{"a body too large for a page", huge("/sign-in"), bytes.Repeat([]byte("a"), limit+1), 413, false},
			{"a body too large for the API", huge("/api/v1/mutual-aid"), bytes.Repeat([]byte("a"), limit+1), 413, true},
			{"headers too large", "GET /sign-in HTTP/1.1\r\nHost: test\r\nX-Big: " + strings.Repeat("a", 64<<10) + "\r\n\r\n", nil, 431, false},
			{"a request line with no address", "GET\r\n\r\n", nil, 400, false},
			{"a request line with an unknown method", "NOT A REQUEST LINE\r\n\r\n", nil, 400, false},
		} {
			resp := onTheWire(t, f, tc.head, tc.body)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Errorf("%s = %d, want %d", tc.name, resp.StatusCode, tc.status)
			}
			for header, want := range map[string]string{
				"Content-Security-Policy": "frame-ancestors 'none'",
				"X-Frame-Options":         "DENY",
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
				"Cache-Control":           "no-store",
			} {
				if got := resp.Header.Get(header); !strings.Contains(got, want) {
					t.Errorf("%s: %s = %q, want %q", tc.name, header, got, want)
				}
			}
			if isJSON := strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json"); isJSON != tc.json {
				t.Errorf("%s: Content-Type %q", tc.name, resp.Header.Get("Content-Type"))
			}
			if bytes.Contains(body, []byte("REQUEST LINE")) || bytes.Contains(body, []byte(`GET\r\n`)) || bytes.Contains(body, []byte("aaaaaaaa")) {
				t.Errorf("%s: the answer repeats what was sent: %.300s", tc.name, body)
			}
		}
	})
}
