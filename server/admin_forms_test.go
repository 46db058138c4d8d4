package server_test

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestAdminFormsShowProblemsWithWhatWasTyped: the cycle, organisation,
// workforce, person and audit forms refuse bad input with a message by the
// field, show what was typed again, and change nothing.
func TestAdminFormsShowProblemsWithWhatWasTyped(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.signedIn(f.people["admin"])
		orgPath := "/organisations/" + itoa(f.orgA.ID)
		for _, tc := range []struct {
			name, page, post string
			form             url.Values
			status           int
			want             []string // in the page, as text
		}{
			{"cycle", "/assessments", "/cycles", url.Values{"name": {"2030/31"}, "framework": {"blwf/1900"}, "opens-day": {"1"}, "opens-month": {"4"}, "opens-year": {"2030"},
				"closes-day": {"31"}, "closes-month": {"March"}, "closes-year": {"2031"}}, 422,
				[]string{"Choose a framework edition", "The closing date must be a real date: the month must be a number from 1 to 12", `value="2030/31"`,
					`id="closes-day" name="closes-day" type="text" inputmode="numeric" value="31"`, `id="closes" name="closes-month" type="text" inputmode="numeric" value="March"`, `name="opens-year" type="text" inputmode="numeric" value="2030"`}},
			{"organisation", "/organisations/new", "/organisations", url.Values{"name": {"Wessex Ambulance"}, "slug": {" "}, "sector": {"coastguard"}, "nation": {"England"}}, 422,
				[]string{"Enter a short name, like avon-somerset", "Choose a sector", `value="Wessex Ambulance"`}},
			{"workforce", orgPath, orgPath + "/workforce", url.Values{"year": {"1999"}, "officers": {"3,000"}, "staff": {""}, "volunteers": {"lots"}}, 422,
				[]string{"Year must be between 2000 and 2100", "Other staff must be a whole number", "Volunteers must be a whole number", `value="3,000"`, `value="lots"`}},
			{"person", "/people/new", "/people", url.Values{"name": {"Sam Jones"}, "email": {"sam at example"}, "role": {"contributor"}}, 422,
				[]string{"Enter an email address in the correct format", "Choose at least one section for a contributor", "Choose the person's organisation", `value="Sam Jones"`}},
		} {
			admin.get(tc.page)
			resp, body := admin.post(tc.post, tc.form)
			if resp.StatusCode != tc.status {
				t.Fatalf("%s: %d\n%s", tc.name, resp.StatusCode, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(html.UnescapeString(body), w) {
					t.Errorf("%s: the page does not show %s", tc.name, w)
				}
			}
		}
		_, body := admin.get("/audit?from=2026-13-01&to=2026-01-31&entity=payroll")
		if !strings.Contains(body, "Date from must be a real date") || !strings.Contains(body, `name="from-month" type="text" inputmode="numeric" value="13"`) {
			t.Errorf("the audit filter does not show its problem with what was typed")
		}
		if orgs, _ := st.ListOrganisations(t.Context(), store.AllOrganisations()); len(orgs) != 2 {
			t.Errorf("%d organisations after a refused one", len(orgs))
		}
		if wf, _ := st.Workforce(t.Context(), store.AllOrganisations(), f.orgA.ID); len(wf) != 0 {
			t.Errorf("refused workforce figures were saved: %+v", wf)
		}
		if cycles, _ := st.Cycles(t.Context()); len(cycles) != 0 {
			t.Errorf("a refused cycle was opened: %+v", cycles)
		}
	})
}
