package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var forged = map[string]string{"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7, 203.0.113.9"}

// addWith adds a person as A's owner with extra request headers and returns
// the set-password link shown and the address the audit trail recorded.
func addWith(t *testing.T, f *fixture, email string, headers map[string]string) (link, ip string) {
	t.Helper()
	owner := f.signedIn(f.people["A owner"])
	owner.get("/people/new")
	resp, body := owner.doWith(http.MethodPost, "/people", url.Values{"email": {email}, "name": {"Pat Person"}, "role": {"viewer"}}, headers)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("add person = %d", resp.StatusCode)
	}
	link = regexpFind(body, `<a class="govuk-link" href="([^"]+/set-password/[^"]+)">`)
	evs, _, err := f.st.ListAudit(context.Background(), store.AllOrganisations(), store.AuditFilter{EntityType: "user"})
	if err != nil || len(evs) == 0 {
		t.Fatalf("no audit event: %v", err)
	}
	return link, evs[0].IP
}

// Set-password links start with PUBLIC_URL, else the listen address: never
// with a host from the request. Forwarded headers count only from a
// configured proxy, and then only for the client address and the scheme.
func TestForwardedHeadersOnlyFromTrustedProxies(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		// No proxy configured: the request's Host (example.com in tests) and
		// every X-Forwarded-* header are ignored.
		f := newFixture(t, st)
		link, ip := addWith(t, f, "one@alpha.example", forged)
		if !strings.HasPrefix(link, "http://127.0.0.1:8080/set-password/") {
			t.Errorf("link from an untrusted client = %q", link)
		}
		if ip != "0.0.0.0" {
			t.Errorf("client address from an untrusted client = %q, want the connection's", ip)
		}
		resp, _ := f.anonymous().doWith(http.MethodGet, "/sign-in", nil, forged)
		if resp.Header.Get("Strict-Transport-Security") != "" {
			t.Error("HSTS on a forged X-Forwarded-Proto")
		}
		for _, c := range resp.Cookies() {
			if c.Secure {
				t.Errorf("cookie %s marked Secure on a forged X-Forwarded-Proto", c.Name)
			}
		}

		// Behind a trusted proxy: the client is the nearest address the
		// proxies did not add themselves; the link still ignores the host.
		f = f.withServer(func(d *server.Deps) {
			d.TrustedProxies = []string{"0.0.0.0", "10.0.0.0/8"}
			d.PublicURL = "https://wellbeing.example.org"
		})
		link, ip = addWith(t, f, "two@alpha.example", forged)
		if !strings.HasPrefix(link, "https://wellbeing.example.org/set-password/") {
			t.Errorf("link behind a proxy = %q", link)
		}
		if ip != "203.0.113.9" {
			t.Errorf("client address behind a proxy = %q, want 203.0.113.9 (198.51.100.7 was written by the client)", ip)
		}
		_, ip = addWith(t, f, "three@alpha.example", map[string]string{"X-Forwarded-For": "198.51.100.7, 10.1.2.3"})
		if ip != "198.51.100.7" {
			t.Errorf("client address behind two proxies = %q, want 198.51.100.7", ip)
		}
	})
}
