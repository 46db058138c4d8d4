package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestBrowserAddToEvidence: with and without JavaScript, "Add to evidence"
// on a trauma-support standard puts the TRiM line at the end of the typed
// evidence and keeps the chosen level and the action typed below; the page
// passes axe; Save then keeps the line with its source and date.
func TestBrowserAddToEvidence(t *testing.T) {
	withAndWithoutJS(t, func(t *testing.T, js bool) {
		st := storetest.Open(t, store.DialectSQLite)
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		ctx, sys, all := context.Background(), store.SystemActor("test"), store.AllOrganisations()
		year := st.Now().Year()
		if err := st.SetWorkforce(ctx, sys, all, store.Workforce{OrganisationID: f.orgA.ID, Year: year, Officers: 600, Staff: 400}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveTraumaReturn(ctx, sys, all, store.TraumaReturn{OrganisationID: f.orgA.ID, Year: year, Quarter: 1, Incidents: 12, PlanningMeetings: 10,
			RiskAssessments: 30, Reviews: 21, Defusings: 6, Demobilisations: 5, ReferralsOH: 4, ReferralsPsych: 3, PractitionersTrained: 8}); err != nil {
			t.Fatal(err)
		}
		owner := f.people["A owner"]
		setPassword(t, f, owner)
		j := newJourney(t, f, js, "")
		j.signIn(owner)
		j.visit(stdPath(as, "PROT-02"))
		j.click(`input[name=level][value="2"]`)
		j.set("#evidence", "Typed before adding the record.")
		j.set("#what", "Train two more TRiM managers")
		j.axe("standard with evidence from records")
		j.submit(`button[name=add_evidence]`, `/standards/PROT-02$`)
		got := j.value("#evidence")
		if !strings.HasPrefix(got, "Typed before adding the record.\nTRiM and trauma support in ") || !strings.Contains(got, "(source: quarterly TRiM returns for calendar year ") {
			t.Errorf("evidence after Add to evidence = %q", got)
		}
		if !j.checked(`input[name=level][value="2"]`) || j.value("#what") != "Train two more TRiM managers" {
			t.Error("the level or the typed action was lost")
		}
		if !strings.Contains(j.text(), "Save the answer to keep it") {
			t.Errorf("the page does not say the line is not saved yet: %s", j.text())
		}
		j.axe("standard after Add to evidence")
		if r, _ := storedAnswer(t, st, as, "PROT-02"); r.Evidence != "" {
			t.Fatalf("Add to evidence saved the answer: %+v", r)
		}
		j.submit(`main form button[type=submit]`, `/standards/PROT-02$`)
		// Browsers send line breaks in a textarea as CRLF.
		if r, _ := storedAnswer(t, st, as, "PROT-02"); strings.ReplaceAll(r.Evidence, "\r\n", "\n") != got {
			t.Errorf("saved evidence = %q, want %q", r.Evidence, got)
		}
	})
}
