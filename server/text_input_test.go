package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestTextThatIsNotText: a NUL byte, another control character or bytes
// that are not UTF-8, in a form field, a query value or a JSON string, are
// refused at the edge with 400 (forms, queries) or 422 (JSON bodies)
// naming the field, and change nothing, alike on both databases
// (PostgreSQL refuses NUL in text, so these were 500s there).
func TestTextThatIsNotText(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		owner := f.people["A owner"]
		page := func(u *store.User) *client {
			if u == nil {
				cl := f.anonymous()
				cl.get("/sign-in") // for the CSRF token
				return cl
			}
			cl := f.signedIn(*u)
			cl.get("/tokens")
			return cl
		}
		for _, tc := range []struct {
			name, path string
			who        *store.User
			form       url.Values
			raw        string // a body sent as it is, with the client's CSRF token appended
			field      string
		}{
			{"sign-in email", "/sign-in", nil, url.Values{"email": {"x\x00@alpha.example"}, "password": {"long enough password"}}, "", "email"},
			{"sign-in password", "/sign-in", nil, url.Values{"email": {"a-owner@alpha.example"}, "password": {"pass\x00word"}}, "", "password"},
			{"dog name", "/provision/ok9/dogs", &owner, url.Values{"call_name": {"Rex\x00"}, "status": {"training"}}, "", "call_name"},
			{"van place", "/provision/vans", &owner, url.Values{"kind": {"hotspot"}, "starts_on": {"2026-11-20"}, "ends_on": {"2026-11-20"}, "place": {"Depot\x00"}, "attendance": {"3"}, "contact": {"Lead"}}, "", "place"},
			{"token name", "/tokens", &owner, url.Values{"name": {"CI\x00"}}, "", "name"},
			{"set-password", "/set-password/not-a-real-token", nil, url.Values{"password": {"a\x00" + strings.Repeat("b", 20)}, "confirm": {"x"}}, "", "password"},
			{"not UTF-8 in a form", "/provision/ok9/dogs", &owner, nil, "call_name=%ff%fe&status=training", "call_name"},
			{"another control character", "/tokens", &owner, url.Values{"name": {"bell\x07"}}, "", "name"},
		} {
			cl := page(tc.who)
			var resp *http.Response
			var body string
			if tc.raw != "" {
				req := strings.NewReader(tc.raw + "&_csrf=" + url.QueryEscape(cl.csrf))
				r := httptest.NewRequest(http.MethodPost, tc.path, req)
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				for k, v := range cl.cookies {
					r.AddCookie(&http.Cookie{Name: k, Value: v})
				}
				var err error
				if resp, err = f.srv.App().Test(r, -1); err != nil {
					t.Fatal(err)
				}
				b := new(strings.Builder)
				_, _ = io.Copy(b, resp.Body)
				body = b.String()
			} else {
				resp, body = cl.post(tc.path, tc.form)
			}
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "&#34;"+tc.field+"&#34;") {
				t.Errorf("%s: %d, want 400 naming the field %q; body: %.300s", tc.name, resp.StatusCode, tc.field, body)
			}
		}

		// The API: JSON text and query values.
		token := f.apiToken(owner)
		for _, tc := range []struct {
			name, method, path, body string
			status                   int
			field                    string
		}{
			{"dog name", http.MethodPost, "/api/v1/provision/ok9/dogs", `{"call_name":"Rex\u0000","status":"training"}`, 422, "call_name"},
			{"van place", http.MethodPost, "/api/v1/provision/vans", `{"kind":"hotspot","starts_on":"2026-11-20","ends_on":"2026-11-20","place":"Depot\u0000","expected_attendance":3,"contact":"Lead"}`, 422, "place"},
			{"incident", http.MethodPost, "/api/v1/mutual-aid", `{"incident":"Fire\u0001","location":"Town","starts_on":"2026-11-24","ends_on":"2026-11-25","dogs_needed":1}`, 422, "incident"},
			{"not UTF-8 in JSON", http.MethodPost, "/api/v1/provision/ok9/dogs", "{\"call_name\":\"Rex\xff\",\"status\":\"training\"}", 422, "invalid UTF-8 (at byte 18)"},
			{"query value", http.MethodGet, "/api/v1/provision/ok9/dogs?org=%00", "", 400, "org"},
		} {
			var refused apiRefusal
			code := apiCall(t, f, token, tc.method, tc.path, tc.body, &refused)
			if code != tc.status || !strings.Contains(refused.Error.Message, tc.field) {
				t.Errorf("API %s: %d %+v, want %d naming %q", tc.name, code, refused, tc.status, tc.field)
			}
		}

		// Nothing was saved.
		if dogs, _ := st.OK9Dogs(t.Context(), store.AllOrganisations(), f.orgA.ID); len(dogs) != 0 {
			t.Errorf("dogs saved: %+v", dogs)
		}
		// Tabs and line breaks are text.
		if code := apiCall(t, f, token, http.MethodPost, "/api/v1/mutual-aid", `{"incident":"Fire\r\n\tat the depot","location":"Town","starts_on":"2026-11-24","ends_on":"2026-11-25","dogs_needed":1}`, nil); code != 201 {
			t.Errorf("an incident with a tab and a line break = %d", code)
		}
	})
}
