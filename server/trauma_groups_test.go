package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// saveBandedRole records a current assessment of a role of the 2027.1 model
// straight into the store, with its band as given.
func saveBandedRole(t *testing.T, st *store.Store, org store.Organisation, roleID, hazard, band string, people, screened int) {
	t.Helper()
	now := st.Now()
	ra := store.RoleAssessment{OrganisationID: org.ID, RoleID: roleID, ModelKey: "psych-risk", ModelVersion: "2027.1", ModelSHA256: "h",
		Headcount: people, ExposedHeadcount: people, PeopleScreened: screened, OverallBand: band, ReviewedOn: now,
		NextReviewOn: now.AddDate(0, 3, 0), NextScreeningOn: now.AddDate(0, 6, 0),
		Hazards: []store.HazardRating{{HazardID: hazard, InherentL: 4, InherentS: 4, ResidualL: 4, ResidualS: 4}}}
	if _, err := st.SaveRoleAssessment(context.Background(), store.SystemActor("test"), store.Scope{OrgID: org.ID}, ra); err != nil {
		t.Fatal(err)
	}
}

// TestFiguresByTraumaGroup: the organisation benchmark (page and PDF) and
// the national outputs (page, PDF and workbook) give the high and very high
// risk roles by the trauma guidance's three groups, under the disclosure
// rules: an organisation's count of people under 5 is "fewer than 5" and
// its compliance withheld; a national group resting on fewer than 5
// organisations is suppressed; a draft counts in none of it.
func TestFiguresByTraumaGroup(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		// A: a first-responder role, very high, 40 people of whom 30 were
		// screened; a specialist role, high, 3 people; a medium one left out.
		saveBandedRole(t, st, f.orgA, "RL-11", "HZ-09", "very-high", 40, 30)
		saveBandedRole(t, st, f.orgA, "RL-01", "HZ-01", "high", 3, 2)
		saveBandedRole(t, st, f.orgA, "RL-16", "HZ-09", "medium", 500, 0)
		// Five peers: the first-responder role, high, 20 people, 10 screened.
		for _, p := range f.peers {
			saveBandedRole(t, st, p, "RL-11", "HZ-09", "high", 20, 10)
		}
		// A draft of a disaster response role: in no figure.
		if _, err := st.SaveRoleReviewDraft(context.Background(), store.SystemActor("test"), store.Scope{OrgID: f.orgA.ID},
			store.RoleReviewDraft{OrganisationID: f.orgA.ID, RoleID: "RL-09", ModelKey: "psych-risk", ModelVersion: "2027.1", Review: `{"headcount":900}`}); err != nil {
			t.Fatal(err)
		}
		words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
		has := func(t *testing.T, what, text string, want ...string) {
			t.Helper()
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s lacks %q", what, w)
				}
			}
		}

		owner := f.signedIn(f.people["A viewer"])
		_, page := owner.get(f.path("/benchmark"))
		has(t, "the benchmark page", words(page), "High-risk roles by trauma group",
			`First responder</th><td class="govuk-table__cell govuk-table__cell--numeric">1</td><td class="govuk-table__cell govuk-table__cell--numeric">40</td><td class="govuk-table__cell govuk-table__cell--numeric">75%</td>`,
			`Specialist</th><td class="govuk-table__cell govuk-table__cell--numeric">1</td><td class="govuk-table__cell govuk-table__cell--numeric">fewer than 5</td><td class="govuk-table__cell govuk-table__cell--numeric">withheld (fewer than 5 people)</td>`,
			`Disaster management and response</th><td class="govuk-table__cell govuk-table__cell--numeric">0</td><td class="govuk-table__cell govuk-table__cell--numeric">0</td><td class="govuk-table__cell govuk-table__cell--numeric">no figure</td>`)
		_, pdf := owner.get(f.path("/benchmark.pdf"))
		has(t, "the benchmark PDF", words(pdftest.Text(t, []byte(pdf))), "High-risk roles by trauma group", "First responder 1 40 75%", "Specialist 1 fewer than 5")

		admin := f.signedIn(f.people["admin"])
		base := "/national/" + itoa(f.cycle.ID)
		// First responder: six organisations, 140 people, 80 screened (57%);
		// specialist: one organisation only, so suppressed.
		_, page = admin.get(base)
		has(t, "the national page", words(page), "High-risk roles by trauma group",
			`First responder</th><td class="govuk-table__cell govuk-table__cell--numeric">6</td><td class="govuk-table__cell govuk-table__cell--numeric">140</td><td class="govuk-table__cell govuk-table__cell--numeric">57%</td>`,
			`Specialist</th><td class="govuk-table__cell govuk-table__cell--numeric">suppressed (fewer than 5 organisations)</td>`)
		_, pdf = admin.get(base + "/summary.pdf")
		summary := words(pdftest.Text(t, []byte(pdf)))
		has(t, "the national summary PDF", summary, "High-risk roles by trauma group", "First responder 6 140 57%", "suppressed (fewer than 5")
		_, book := admin.get(base + "/workbook.xlsx")
		has(t, "the national workbook", sheetText(t, book, "Notes"), "High-risk roles by trauma group, as published",
			"First responder 6 140 57%", "Specialist suppressed (fewer than 5 organisations)")
		if strings.Contains(summary, "900") || strings.Contains(words(page), ">900<") {
			t.Error("a draft's headcount reached the national figures")
		}
	})
}
