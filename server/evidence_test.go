package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var reAddEvidence = regexp.MustCompile(`name="add_evidence" value="([0-9a-f]+)"`)

// TestSuggestedEvidenceFromRecords: a standard tagged trauma-support offers
// the latest year's TRiM returns, summed, with their source and "as at"
// date, small counts withheld; one tagged ok9 offers the scheme's standing
// and its dogs and trained handlers. "Add to evidence" puts the line at the
// end of what was typed, keeps everything else typed (the action too) and
// saves nothing until the answer is saved; a line the records no longer
// offer is refused with the typed text kept. Only people who may change
// the area see the button.
func TestSuggestedEvidenceFromRecords(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		ctx, sys, all := context.Background(), store.SystemActor("test"), store.AllOrganisations()
		if err := st.SetWorkforce(ctx, sys, all, store.Workforce{OrganisationID: f.orgA.ID, Year: 2026, Officers: 600, Staff: 400}); err != nil {
			t.Fatal(err)
		}
		returns := []store.TraumaReturn{
			{OrganisationID: f.orgA.ID, Year: 2026, Quarter: 1, Incidents: 8, PlanningMeetings: 7, RiskAssessments: 20, Reviews: 15, Defusings: 6, Demobilisations: 5, ReferralsOH: 4, ReferralsPsych: 3, PractitionersTrained: 5, TeamLeadersTrained: 2, ManagersTrained: 0},
			{OrganisationID: f.orgA.ID, Year: 2026, Quarter: 3, Incidents: 9, PlanningMeetings: 9, RiskAssessments: 22, Reviews: 19, Defusings: 1, Demobilisations: 0, ReferralsOH: 1, ReferralsPsych: 2, PractitionersTrained: 1, TeamLeadersTrained: 1, ManagersTrained: 0},
			// An older year: not in the line.
			{OrganisationID: f.orgA.ID, Year: 2025, Quarter: 4, Incidents: 90, PlanningMeetings: 90, RiskAssessments: 99},
		}
		if err := st.SetWorkforce(ctx, sys, all, store.Workforce{OrganisationID: f.orgA.ID, Year: 2025, Officers: 600, Staff: 400}); err != nil {
			t.Fatal(err)
		}
		for _, r := range returns {
			if _, err := st.SaveTraumaReturn(ctx, sys, all, r); err != nil {
				t.Fatal(err)
			}
		}
		sum := func(get func(r store.TraumaReturn) int) string {
			n := get(returns[0]) + get(returns[1])
			if n > 0 && n < 5 {
				return "fewer than 5"
			}
			return strconv.Itoa(n)
		}
		wantTrauma := "TRiM and trauma support in 2026 (Q1, Q3): " + sum(func(r store.TraumaReturn) int { return r.Incidents }) + " incidents triggered the trauma process, " +
			sum(func(r store.TraumaReturn) int { return r.PlanningMeetings }) + " with a planning meeting within 48 hours; " +
			sum(func(r store.TraumaReturn) int { return r.RiskAssessments }) + " TRiM risk assessments, " +
			sum(func(r store.TraumaReturn) int { return r.Reviews }) + " reviewed at 28 days; " +
			sum(func(r store.TraumaReturn) int { return r.Defusings }) + " defusings and " +
			sum(func(r store.TraumaReturn) int { return r.Demobilisations }) + " demobilisations; " +
			sum(func(r store.TraumaReturn) int { return r.ReferralsOH + r.ReferralsPsych }) + " onward referrals; " +
			sum(func(r store.TraumaReturn) int { return r.PractitionersTrained }) + " TRiM practitioners, " +
			sum(func(r store.TraumaReturn) int { return r.TeamLeadersTrained }) + " team leaders and " +
			sum(func(r store.TraumaReturn) int { return r.ManagersTrained }) + " managers trained"
		if !strings.Contains(wantTrauma, "fewer than 5 team leaders") || !strings.Contains(wantTrauma, "0 managers") {
			t.Fatalf("the test's returns no longer try a small count and a zero: %s", wantTrauma)
		}
		wantLine := wantTrauma + " (source: quarterly TRiM returns for calendar year 2026, as at 23 November 2026)"

		owner := f.signedIn(f.people["A owner"])
		p := stdPath(as, "PROT-02")
		_, body := owner.get(p)
		if !strings.Contains(html.UnescapeString(body), wantTrauma) || !strings.Contains(body, "quarterly TRiM returns for calendar year 2026, as at 23 November 2026") {
			t.Fatalf("PROT-02 does not offer the TRiM returns as %q\n%s", wantTrauma, body)
		}
		keys := reAddEvidence.FindAllStringSubmatch(body, -1)
		if len(keys) == 0 {
			t.Fatal("the owner has no Add to evidence button")
		}
		// The button is inside the standard's one form, after Save.
		form := body[strings.Index(body, `<form method="post" action="`+p+`"`):]
		form = form[:strings.Index(form, "</form>")]
		if !strings.Contains(form, keys[0][0]) || strings.Index(form, keys[0][0]) < strings.Index(form, ">Save<") {
			t.Error("Add to evidence is not inside the standard's form after its Save button")
		}

		// The API offers the same lines, each with the line as added.
		var got struct {
			Evidence []struct{ Text, Source, Line string }
		}
		tok := f.apiToken(f.people["A viewer"])
		if code := apiCall(t, f, tok, http.MethodGet, "/api/v1/assessments/"+itoa(as.ID)+"/standards/PROT-02/evidence", "", &got); code != 200 || len(got.Evidence) != len(keys) {
			t.Errorf("API evidence = %d %+v, want the page's %d lines", code, got, len(keys))
		} else if got.Evidence[0].Line != wantLine || got.Evidence[0].Text != wantTrauma {
			t.Errorf("API line = %q, want %q", got.Evidence[0].Line, wantLine)
		}
		if code := apiCall(t, f, f.apiToken(f.people["B owner"]), http.MethodGet, "/api/v1/assessments/"+itoa(as.ID)+"/standards/PROT-02/evidence", "", &got); code != 404 {
			t.Errorf("B reads A's evidence through the API: %d", code)
		}

		before, _ := storedAnswer(t, st, as, "PROT-02")
		typed := url.Values{"level": {"2"}, "version": {strconv.Itoa(before.Version)}, "evidence": {"Our own words about TRiM."}, "links": {"https://example.org/trim"},
			"what": {"Train two more TRiM managers"}, "owner": {"Head of OH"}, "add_evidence": {keys[0][1]}}
		resp, body := owner.post(p, typed)
		plain := html.UnescapeString(body)
		if resp.StatusCode != 200 || !strings.Contains(plain, "Our own words about TRiM.\n"+wantLine) || !strings.Contains(plain, "https://example.org/trim") ||
			!strings.Contains(body, `value="Train two more TRiM managers"`) || !strings.Contains(body, "Save the answer to keep it") {
			t.Errorf("Add to evidence = %d; want the page with the line after the typed evidence and everything else kept\n%s", resp.StatusCode, body)
		}
		if after, acts := storedAnswer(t, st, as, "PROT-02"); after.Version != before.Version || after.Evidence != before.Evidence || len(acts) != 0 {
			t.Errorf("Add to evidence saved something: %+v %+v", after, acts)
		}
		// Pressed again with the line already there: not added twice.
		typed.Set("evidence", "Our own words about TRiM.\n"+wantLine)
		_, body = owner.post(p, typed)
		if n := strings.Count(html.UnescapeString(body), wantLine); n != 1 {
			t.Errorf("the line shows %d times after a second press, want once", n)
		}
		// A line the page no longer offers: refused, typed text kept.
		typed.Set("add_evidence", "0123456789abcdef")
		typed.Set("evidence", "Kept words")
		resp, body = owner.post(p, typed)
		if resp.StatusCode != 422 || !strings.Contains(body, "That record has changed") || !strings.Contains(body, "Kept words") {
			t.Errorf("unknown line = %d\n%s", resp.StatusCode, body)
		}
		// Saved with the line, the answer keeps its source and date.
		typed.Del("add_evidence")
		typed.Del("what")
		typed.Set("evidence", "Our own words about TRiM.\n"+wantLine)
		if resp, _ := owner.post(p, typed); resp.StatusCode != 303 {
			t.Fatalf("save = %d", resp.StatusCode)
		}
		if after, _ := storedAnswer(t, st, as, "PROT-02"); !strings.HasSuffix(after.Evidence, wantLine) {
			t.Errorf("saved evidence = %q", after.Evidence)
		}

		// Viewers and contributors outside the area read the lines but
		// have no button.
		for _, who := range []string{"A viewer", "A contributor"} {
			_, body := f.signedIn(f.people[who]).get(p)
			if !strings.Contains(html.UnescapeString(body), wantTrauma) || strings.Contains(body, `name="add_evidence"`) {
				t.Errorf("%s: want the lines without a button", who)
			}
		}
		if resp, _ := f.signedIn(f.people["A contributor"]).post(p, url.Values{"add_evidence": {keys[0][1]}}); resp.StatusCode != 403 {
			t.Errorf("a contributor outside the area pressed Add to evidence: %d", resp.StatusCode)
		}

		// Screening (MH-06) from the role risk register, extended with its
		// source and date, small counts still withheld.
		m := builtinFrameworks(t).CurrentRiskModel().RiskModel
		role, _ := m.Role("RL-01")
		rf := everyControlForm(m, role)
		rf.Set("screened", "3")
		rf.Set("interviews", "2")
		for k, v := range map[string]string{"co_periodic_due": "12", "co_periodic_screened": "12", "co_periodic_nfa": "9", "co_periodic_further": "2", "co_periodic_referred": "1", "co_periodic_last": provisionNow().Format(time.DateOnly)} {
			rf.Set(k, v)
		}
		owner.get("/risk/roles/RL-01/review")
		if resp, body := owner.post("/risk/roles/RL-01", rf); resp.StatusCode != 303 {
			t.Fatalf("role review = %d\n%s", resp.StatusCode, body)
		}
		_, body = owner.get(stdPath(as, "MH-06"))
		plain = html.UnescapeString(body)
		if !strings.Contains(plain, ": fewer than 5 of ") || !strings.Contains(plain, "people screened within the interval") ||
			!strings.Contains(plain, "(source: role risk register, as at 23 November 2026)") || strings.Contains(plain, ": 3 of ") {
			t.Errorf("MH-06 does not offer the register's screening with its source, small counts withheld\n%s", body)
		}

		// OK9 (PROT-06): nothing without a scheme; then its standing and
		// its dogs and trained handlers.
		p6 := stdPath(as, "PROT-06")
		if _, body := owner.get(p6); strings.Contains(body, "OK9 records") {
			t.Error("OK9 evidence offered with no scheme")
		}
		passed := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
		insured := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC) // expired before 23 November
		if _, err := st.SaveOK9Scheme(ctx, sys, all, store.OK9Scheme{OrganisationID: f.orgA.ID, SPOC: "Insp Jones", SPOCEmail: "ok9@example.police.uk",
			SLASignedOn: &passed, SOPReviewedOn: &passed, RiskAssessmentReviewedOn: &passed, InsuranceExpiresOn: &insured,
			WelfareScheme: "Blue Cross working dogs", WelfareSchemeExpiresOn: &time.Time{}}); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"Bramble", "Pepper"} {
			dog, err := st.SaveOK9Dog(ctx, sys, all, store.OK9Dog{OrganisationID: f.orgA.ID, CallName: name, Status: store.DogActive, AssessmentPassedOn: &passed})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.SaveOK9Handler(ctx, sys, all, store.OK9Handler{OrganisationID: f.orgA.ID, DisplayName: "PC " + name, Status: store.HandlerActive,
				PeerSupporterTrainedOn: &passed, DogIDs: []int64{dog.ID}}); err != nil {
				t.Fatal(err)
			}
		}
		_, body = owner.get(p6)
		plain = html.UnescapeString(body)
		for _, want := range []string{"OK9 scheme not in good standing: insurance, animal welfare scheme to put right",
			"2 active OK9 dogs; fewer than 5 of fewer than 5 active handlers trained as peer supporters or mental health first aiders",
			"(source: OK9 records, as at 23 November 2026)"} {
			if !strings.Contains(plain, want) {
				t.Errorf("PROT-06 lacks %q", want)
			}
		}
	})
}
