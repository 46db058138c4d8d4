package server_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestLongFormsHeldAfterIdleSignOut: the peer support return, the trauma
// return, the OK9 scheme, dog and handler records and the role risk review
// keep what was typed when the idle session has ended: the person signs in
// again, is offered it back on its page (with the year or dog the address
// named), and nothing is saved until they save it there.
func TestLongFormsHeldAfterIdleSignOut(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		u := f.people["A owner"]
		setPassword(t, f, u)
		year := itoa(int64(time.Now().Year() - 1))
		for _, tc := range []struct {
			name, page, post string
			typed            url.Values
			shown            []string // in the page shown back
			saved            func() bool
		}{
			{"peer support return of last year", "/provision/peer-support?year=" + year, "/provision/peer-support?year=" + year,
				url.Values{"coordinator": {"yes"}, "coordinator_full_time": {"no"}, "supporters": {"417"}, "contacts": {"9031"}},
				[]string{`value="417"`, `value="9031"`, "Peer support return " + year},
				func() bool {
					rs, _ := st.PeerSupportReturns(ctx, store.AllOrganisations(), f.orgA.ID)
					return len(rs) > 0
				}},
			{"trauma return", "/provision/trauma", "/provision/trauma",
				url.Values{"year": {year}, "quarter": {"3"}, "incidents": {"4242"}},
				[]string{`value="4242"`},
				func() bool {
					rs, _ := st.TraumaReturns(ctx, store.AllOrganisations(), f.orgA.ID)
					return len(rs) > 0
				}},
			{"OK9 scheme", "/provision/ok9", "/provision/ok9/scheme",
				url.Values{"spoc": {"Sergeant Typed & Held"}, "sla-day": {"3"}, "sla-month": {"4"}, "sla-year": {"2026"}},
				[]string{`value="Sergeant Typed &amp; Held"`, `name="sla-month" type="text" inputmode="numeric" value="4"`},
				func() bool {
					sch, _ := st.OK9Scheme(ctx, store.AllOrganisations(), f.orgA.ID)
					return sch.SPOC != ""
				}},
			{"new dog", "/provision/ok9/dogs/new", "/provision/ok9/dogs",
				url.Values{"call_name": {"Held Bramble"}, "status": {"active"}, "welfare_check-day": {"9"}, "welfare_check-month": {"11"}, "welfare_check-year": {"2027"}},
				[]string{`value="Held Bramble"`, `name="welfare_check-day" type="text" inputmode="numeric" value="9"`},
				func() bool {
					dogs, _ := st.OK9Dogs(ctx, store.AllOrganisations(), f.orgA.ID)
					return len(dogs) > 0
				}},
			{"new handler", "/provision/ok9/handlers/new", "/provision/ok9/handlers",
				url.Values{"display_name": {"PC Held 4521"}},
				[]string{`value="PC Held 4521"`},
				func() bool {
					hs, _ := st.OK9Handlers(ctx, store.AllOrganisations(), f.orgA.ID)
					return len(hs) > 0
				}},
			{"role risk review", "/risk/roles/RL-01/review", "/risk/roles/RL-01",
				url.Values{"signed_off_by": {"Jo Typed, Head of Wellbeing"}, "teams": {"Held team"}},
				[]string{`value="Jo Typed, Head of Wellbeing"`, `value="Held team"`},
				func() bool {
					ras, _ := st.RoleHistory(ctx, store.AllOrganisations(), f.orgA.ID, "RL-01")
					return len(ras) > 0
				}},
		} {
			st.Now = time.Now
			owner := f.signedIn(u)
			if resp, _ := owner.get(tc.page); resp.StatusCode != 200 {
				t.Fatalf("%s: page = %d", tc.name, resp.StatusCode)
			}
			later := time.Now().UTC().Add(31 * time.Minute)
			st.Now = func() time.Time { return later }
			resp, body := owner.post(tc.post, tc.typed)
			if resp.StatusCode != 401 || !strings.Contains(body, "Sign in again") {
				t.Fatalf("%s: save after the idle limit = %d, want sign in again\n%s", tc.name, resp.StatusCode, body)
			}
			signin := url.Values{"email": {u.Email}, "password": {testPassword},
				"next": {html.UnescapeString(regexpFind(body, `name="next" value="([^"]*)"`))},
				"held": {html.UnescapeString(regexpFind(body, `name="held" value="([^"]*)"`))}, "held_user": {regexpFind(body, `name="held_user" value="([^"]*)"`)}}
			resp, body = owner.post("/sign-in", signin)
			if resp.StatusCode != 200 || !strings.Contains(body, "You are signed in again") || !strings.Contains(html.UnescapeString(body), `action="`+tc.post+`"`) {
				t.Fatalf("%s: sign in again = %d, want the typed form offered back to %s\n%s", tc.name, resp.StatusCode, tc.post, body)
			}
			back := url.Values{}
			for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(body, -1) {
				back.Add(m[1], html.UnescapeString(m[2]))
			}
			resp, body = owner.post(tc.post, back)
			// Shown to check, not judged: no problems listed, nothing saved.
			if resp.StatusCode != 200 || !strings.Contains(body, "Not saved yet") || strings.Contains(body, "There is a problem") {
				t.Fatalf("%s: the form offered back = %d\n%s", tc.name, resp.StatusCode, body)
			}
			for _, want := range tc.shown {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page shown back lacks %s", tc.name, want)
				}
			}
			if tc.saved() {
				t.Errorf("%s: the held form was saved before the person saved it", tc.name)
			}
		}
	})
}
