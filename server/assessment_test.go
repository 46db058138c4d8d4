package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func stdPath(as store.Assessment, sid string) string {
	return "/assessments/" + itoa(as.ID) + "/standards/" + sid
}

func TestSectionPermissions(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		contrib := f.signedIn(f.people["A contributor"]) // assigned area:LEAD only
		if _, body := contrib.get("/"); !strings.Contains(body, "Continue the 2026/27 self-assessment") {
			t.Error("the home page does not point the contributor at the assessment")
		}

		contrib.get(stdPath(as, "LEAD-01"))
		if resp, body := contrib.post(stdPath(as, "LEAD-01"), url.Values{"level": {"2"}, "version": {"1"}, "evidence": {"Board minutes"}}); resp.StatusCode != 303 {
			t.Fatalf("contributor saving their area = %d\n%s", resp.StatusCode, body)
		}
		resp, body := contrib.get(stdPath(as, "MH-01"))
		if resp.StatusCode != 200 || strings.Contains(body, `name="evidence"`) {
			t.Errorf("contributor sees an editable form outside their area (%d)", resp.StatusCode)
		}
		if resp, _ := contrib.post(stdPath(as, "MH-01"), url.Values{"level": {"2"}, "version": {"1"}}); resp.StatusCode != 403 {
			t.Errorf("contributor saved outside their area: %d", resp.StatusCode)
		}
		if resp, _ := f.signedIn(f.people["A viewer"]).post(stdPath(as, "LEAD-02"), url.Values{"level": {"2"}, "version": {"1"}}); resp.StatusCode != 403 {
			t.Errorf("viewer saved an answer: %d", resp.StatusCode)
		}
		rs, _ := st.Responses(context.Background(), store.AllOrganisations(), as.ID)
		saved := 0
		for _, r := range rs {
			if r.Level != nil {
				saved++
			}
		}
		if saved != 1 {
			t.Errorf("%d answers saved, want only the contributor's one", saved)
		}
	})
}

func TestConcurrentEditsConflict(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		p := stdPath(as, "LEAD-02")
		first, second := f.signedIn(f.people["A owner"]), f.signedIn(f.people["A contributor"])
		first.get(p)
		second.get(p)
		if resp, _ := first.post(p, url.Values{"level": {"3"}, "version": {"1"}, "evidence": {"First person's evidence"}}); resp.StatusCode != 303 {
			t.Fatalf("first save = %d", resp.StatusCode)
		}
		resp, body := second.post(p, url.Values{"level": {"1"}, "version": {"1"}, "evidence": {"Second person's evidence"}, "what": {"Second person's action"}, "status": {store.ActionStatuses[0]}})
		if resp.StatusCode != 409 || !strings.Contains(body, "First person&#39;s evidence") || !strings.Contains(body, "Second person&#39;s evidence") ||
			!strings.Contains(body, `name="what" value="Second person&#39;s action"`) {
			t.Fatalf("stale save = %d; both versions must show\n%s", resp.StatusCode, body)
		}
		rs, _ := st.Responses(context.Background(), store.AllOrganisations(), as.ID)
		for _, r := range rs {
			if r.StandardID == "LEAD-02" && (r.Evidence != "First person's evidence" || r.Version != 2) {
				t.Fatalf("the first save was overwritten: %+v", r)
			}
		}
		// The conflict page's form saves over the current version: merging works.
		merged := url.Values{"level": {"2"}, "version": {"2"}, "evidence": {"Both people's evidence"}}
		if resp, _ := second.post(p, merged); resp.StatusCode != 303 {
			t.Fatalf("merged save = %d", resp.StatusCode)
		}
	})
}

func TestSubmissionRulesReturnAndValidate(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		owner := f.signedIn(f.people["A owner"])
		aPath := "/assessments/" + itoa(as.ID)

		owner.get(aPath)
		resp, body := owner.post(aPath+"/submit", url.Values{"signoff_name": {"A Chief"}, "signoff_role": {"Chief Constable"}})
		if resp.StatusCode != 422 || !strings.Contains(body, `LEAD-01</a>: choose a maturity level`) || strings.Contains(body, "Accept and submit") {
			t.Fatalf("incomplete submit = %d; want the check page listing what is missing, without the declaration", resp.StatusCode)
		}
		// Answer everything; one standard below its target without an action blocks submission.
		cur := f.frameworkStandards(t, as)
		for i, sid := range cur {
			form := url.Values{"level": {"2"}, "version": {"1"}}
			if i == 0 {
				form.Set("target", "3")
			}
			if resp, body := owner.post(stdPath(as, sid), form); resp.StatusCode != 303 {
				t.Fatalf("save %s = %d\n%s", sid, resp.StatusCode, body)
			}
		}
		_, body = owner.get(aPath)
		blocker := `<a class="govuk-link" href="` + stdPath(as, cur[0]) + `">` + cur[0] + `</a>: below its target, so add at least one improvement action`
		if !strings.Contains(body, blocker) || strings.Contains(body, "Check your answers") {
			t.Fatalf("the target rule is not enforced, or its blocker is not linked to its standard\n%s", body)
		}
		// The task list says which standard is blocked and why, and progress
		// counts only what can be submitted.
		item := regexpFind(body, `(?s)(<a class="govuk-link govuk-task-list__link" href="`+stdPath(as, cur[0])+`".*?</li>)`)
		if !strings.Contains(item, "Needs an action") || !strings.Contains(item, "below its target") || strings.Contains(item, "Completed") {
			t.Errorf("the task list does not mark %s as blocked: %s", cur[0], item)
		}
		if want := itoa(int64(len(cur)-1)) + " of " + itoa(int64(len(cur))) + " standards ready to submit"; !strings.Contains(body, want) {
			t.Errorf("progress should read %q", want)
		}
		if _, body := owner.get(stdPath(as, cur[0])); !strings.Contains(body, "stops the assessment being submitted: below its target") {
			t.Errorf("the standard page does not say what blocks it")
		}
		owner.get(stdPath(as, cur[0]))
		if resp, _ := owner.post(stdPath(as, cur[0])+"/actions", url.Values{"what": {"Publish a wellbeing strategy"}, "owner": {"Head of People"}, "due": {"2027-03-31"}, "status": {"planned"}}); resp.StatusCode != 303 {
			t.Fatalf("add action = %d", resp.StatusCode)
		}
		_, body = owner.get(aPath)
		if !strings.Contains(body, `href="`+aPath+`/check"`) {
			t.Fatal("the assessment page does not lead to check your answers")
		}
		_, body = owner.get(aPath + "/check")
		if !strings.Contains(body, "Check your answers before submitting") || !strings.Contains(body, "signed off by the chief constable or their deputy") ||
			!strings.Contains(body, "Accept and submit") || !strings.Contains(body, "1 action") {
			t.Fatalf("check your answers page:\n%s", body)
		}
		if resp, body := owner.post(aPath+"/submit", url.Values{"signoff_name": {""}, "signoff_role": {"Chief Constable"}}); resp.StatusCode != 422 || !strings.Contains(body, "Enter the name of the person signing off") {
			t.Fatalf("submit without a name = %d", resp.StatusCode)
		}
		resp, body = owner.post(aPath+"/submit", url.Values{"signoff_name": {"A Chief"}, "signoff_role": {"Chief Constable"}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != aPath+"/submitted" {
			t.Fatalf("submit = %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		if _, body := owner.get(aPath + "/submitted"); !strings.Contains(body, "Self-assessment submitted") || !strings.Contains(body, "What happens next") {
			t.Errorf("no confirmation page after submitting:\n%s", body)
		}
		// Read-only once submitted.
		if resp, _ := owner.post(stdPath(as, cur[1]), url.Values{"level": {"4"}, "version": {"2"}}); resp.StatusCode != 403 {
			t.Errorf("saved into a submitted assessment: %d", resp.StatusCode)
		}
		admin := f.signedIn(f.people["admin"])
		admin.get(aPath)
		if resp, _ := admin.post(aPath+"/return", url.Values{"comment": {"Add evidence for leadership"}}); resp.StatusCode != 303 {
			t.Fatalf("return = %d", resp.StatusCode)
		}
		if _, body := owner.get(aPath); !strings.Contains(body, "Add evidence for leadership") {
			t.Error("the owner does not see the return comment")
		}
		if resp, _ := owner.post(aPath+"/submit", url.Values{"signoff_name": {"A Chief"}, "signoff_role": {"Chief Constable"}}); resp.StatusCode != 303 {
			t.Fatalf("resubmit = %d", resp.StatusCode)
		}
		if resp, _ := admin.post(aPath+"/validate", nil); resp.StatusCode != 303 {
			t.Fatalf("validate = %d", resp.StatusCode)
		}
		got, _ := st.AssessmentByID(context.Background(), store.AllOrganisations(), as.ID)
		if got.Status != store.StatusValidated || got.SignedOffName != "A Chief" {
			t.Errorf("final assessment = %+v", got)
		}
		if resp, _ := owner.post(aPath+"/validate", nil); resp.StatusCode != 403 {
			t.Errorf("an owner validated their own assessment: %d", resp.StatusCode)
		}
	})
}

func TestCarryForwardAcrossEditions(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		now := st.Now()
		old, err := st.CreateCycle(ctx, store.SystemActor("test"), store.Cycle{Name: "2019/20", FrameworkKey: "blwf", FrameworkVersion: "2017", OpensOn: now.Add(-48 * 3600e9), ClosesOn: now.Add(48 * 3600e9)})
		if err != nil {
			t.Fatal(err)
		}
		prev := f.startAssessment(f.orgA, old.Name)
		owner := f.signedIn(f.people["A owner"])
		for sid, level := range map[string]string{"LD1": "3", "AM2": "2", "AM5": "4", "AM6": "1", "AM7": "2"} {
			owner.get(stdPath(prev, sid))
			if resp, body := owner.post(stdPath(prev, sid), url.Values{"level": {level}, "version": {"1"}, "evidence": {"evidence for " + sid}}); resp.StatusCode != 303 {
				t.Fatalf("save %s = %d\n%s", sid, resp.StatusCode, body)
			}
		}
		cy := f.openCycle("2026/27")
		owner.get("/assessments")
		if resp, body := owner.post("/assessments", url.Values{"cycle": {itoa(cy.ID)}, "mode": {"carry"}}); resp.StatusCode != 303 {
			t.Fatalf("carry forward = %d\n%s", resp.StatusCode, body)
		}
		all, _ := st.ListAssessments(ctx, store.Scope{OrgID: f.orgA.ID})
		next := all[0]
		if next.FrameworkVersion != "2024" || next.CarriedFromID == nil || *next.CarriedFromID != prev.ID {
			t.Fatalf("new assessment = %+v", next)
		}
		rs, _ := st.Responses(ctx, store.AllOrganisations(), next.ID)
		by := map[string]store.Response{}
		for _, r := range rs {
			by[r.StandardID] = r
		}
		check := func(sid string, level int, note string) {
			t.Helper()
			r := by[sid]
			if r.Level == nil || *r.Level != level || !r.CarriedForward || !strings.Contains(r.ReviewNote, note) {
				t.Errorf("%s = %+v", sid, r)
			}
		}
		check("LEAD-01", 3, "Carried forward from LD1")           // equal
		check("ABS-02", 2, "splits")                              // AM2 split into ABS-02 and ABS-07
		check("ABS-07", 2, "splits")                              //
		check("ABS-06", 1, "merges")                              // AM5 (4) and AM6 (1) merged: lowest kept
		if r := by["OH-01"]; r.Level != nil || r.CarriedForward { // new in 2024
			t.Errorf("a new standard was carried: %+v", r)
		}
		if !strings.Contains(by["ABS-06"].Evidence, "[AM5] evidence for AM5") || !strings.Contains(by["ABS-06"].Evidence, "[AM6] evidence for AM6") {
			t.Errorf("merged evidence = %q", by["ABS-06"].Evidence)
		}
		// AM7 was retired: its answer stays in the old assessment only.
		old7 := false
		prs, _ := st.Responses(ctx, store.AllOrganisations(), prev.ID)
		for _, r := range prs {
			old7 = old7 || (r.StandardID == "AM7" && r.Level != nil)
		}
		if !old7 {
			t.Error("the retired standard's answer is gone from history")
		}
		_, body := owner.get("/assessments/" + itoa(next.ID))
		if !strings.Contains(body, "carried forward from last year and are not yet reviewed") {
			t.Error("carried answers are not flagged for review")
		}
		// Year on year: this cycle beside the last, through the crosswalk.
		_, body = owner.get("/assessments/" + itoa(next.ID) + "/history")
		for _, want := range []string{"2019/20", "Approximate: merged from AM5 and AM6", "New in this edition", "3 Embedded"} {
			if !strings.Contains(body, want) {
				t.Errorf("history lacks %q", want)
			}
		}
		// Saving confirms a carried answer.
		owner.get(stdPath(next, "LEAD-01"))
		owner.post(stdPath(next, "LEAD-01"), url.Values{"level": {"3"}, "version": {"1"}})
		rs, _ = st.Responses(ctx, store.AllOrganisations(), next.ID)
		for _, r := range rs {
			if r.StandardID == "LEAD-01" && r.CarriedForward {
				t.Error("saving did not confirm the carried answer")
			}
		}
	})
}

// TestSignOffHintBySector: the sign-off hint names the chief officer of
// the organisation's own sector, not a police rank for everyone.
func TestSignOffHintBySector(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		for _, c := range []struct {
			org       store.Organisation
			owner     string
			want, not string
		}{{f.orgA, "A owner", "For example, Chief Constable", "Chief Fire Officer"}, {f.orgB, "B owner", "For example, Chief Fire Officer", "Constable"}} {
			as := f.startAssessment(c.org, "2026/27")
			owner := f.signedIn(f.people[c.owner])
			owner.get("/assessments/" + itoa(as.ID))
			for _, sid := range f.frameworkStandards(t, as) {
				if resp, body := owner.post(stdPath(as, sid), url.Values{"level": {"2"}, "version": {"1"}}); resp.StatusCode != 303 {
					t.Fatalf("save %s = %d\n%s", sid, resp.StatusCode, body)
				}
			}
			_, body := owner.get("/assessments/" + itoa(as.ID) + "/check")
			if !strings.Contains(body, c.want) || strings.Contains(body, c.not) {
				t.Errorf("%s: sign-off hint on check your answers: want %q and not %q", c.org.Name, c.want, c.not)
			}
		}
	})
}
