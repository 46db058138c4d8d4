package server_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bluelight-wellbeing/toolkit/server/browsertest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestBrowserHeldReturnDatesAndConfirmations: with and without JavaScript,
// last year's peer support return typed as the idle session ends is
// offered back on its year's page after signing in again; a date typed in
// the three fields with a wrong month is named with its part, keeps what
// was typed, and a right one saves; revoking a token asks first. Each page
// passes axe and fits 375 and 1280 px.
func TestBrowserHeldReturnDatesAndConfirmations(t *testing.T) {
	withAndWithoutJS(t, func(t *testing.T, js bool) {
		var offset atomic.Int64 // the server's clock runs this far ahead
		st := storetest.Open(t, store.DialectSQLite)
		st.Now = func() time.Time { return time.Now().UTC().Add(time.Duration(offset.Load())) }
		f := newFixture(t, st)
		owner := f.people["A owner"]
		setPassword(t, f, owner)
		j := newJourney(t, f, js, "")
		fits := func(name string) {
			t.Helper()
			j.axe(name)
			for _, w := range []int64{375, 1280} {
				j.b.Do(t, chromedp.EmulateViewport(w, 900))
				j.noWiderThanViewport(name + " at " + itoa(w) + " px")
			}
		}
		j.signIn(owner)

		year := itoa(int64(time.Now().Year() - 1))
		j.visit("/provision/peer-support?year=" + year)
		j.set("#supporters", "417")
		offset.Store(int64(31 * time.Minute))
		j.submit(`form[action^="/provision/peer-support?year="] button`, `^/provision/peer-support$`)
		if !strings.Contains(j.text(), "Sign in again") {
			t.Fatalf("save after the idle limit: %s", j.text())
		}
		j.set("#password", testPassword)
		j.submit("main form button", "^/sign-in$")
		j.submit("main form button", `^/provision/peer-support$`)
		if got := j.value("#supporters"); got != "417" || !strings.Contains(j.text(), "Not saved yet") || !strings.Contains(j.text(), "Save the "+year+" return") {
			t.Fatalf("the return offered back: supporters %q\n%s", got, j.text())
		}
		if rs, _ := st.PeerSupportReturns(t.Context(), store.AllOrganisations(), f.orgA.ID); len(rs) != 0 {
			t.Fatalf("the held return was saved before the person saved it: %+v", rs)
		}
		fits("peer support return offered back")
		// "Is the coordinator full time?" follows "Yes" only; without
		// scripts it stays in view beneath "Yes".
		shown := func() bool {
			return browsertest.Run(t, j.b, chromedp.Evaluate[bool](`!document.querySelector("#conditional-coordinator").hidden`))
		}
		if shown() != !js {
			t.Errorf("before answering, the full-time question is shown: %v", shown())
		}
		j.click(`input[name=coordinator][value=yes]`)
		if !shown() {
			t.Error("after Yes, the full-time question is hidden")
		}
		j.axe("peer support, coordinator in post")

		j.visit("/provision/ok9/dogs/new")
		j.set("#call_name", "Bramble")
		j.click(`input[name=status][value=training]`)
		j.b.SetDate(t, "welfare_check", time.Now().AddDate(0, 2, 0))
		j.set(`[name="welfare_check-month"]`, "13")
		j.submit("main form button", `^/provision/ok9/dogs$`)
		if !strings.Contains(j.text(), "The date of the next welfare check must be a real date: the month must be a number from 1 to 12") ||
			j.value(`[name="welfare_check-month"]`) != "13" || j.value("#call_name") != "Bramble" {
			t.Fatalf("a wrong month: %s", j.text())
		}
		fits("dog with a wrong date")
		j.b.SetDate(t, "welfare_check", time.Now().AddDate(0, 2, 0))
		j.submit("main form button", `^/provision/ok9$`)
		dogs, _ := st.OK9Dogs(t.Context(), store.AllOrganisations(), f.orgA.ID)
		if len(dogs) != 1 || dogs[0].NextWelfareCheckOn == nil || dogs[0].NextWelfareCheckOn.Format("2006-01-02") != time.Now().AddDate(0, 2, 0).Format("2006-01-02") {
			t.Fatalf("the dog saved from the three fields: %+v", dogs)
		}

		// The other pages with dates fit too, with their fields side by side.
		for _, p := range []string{"/mutual-aid/new", "/audit?from-day=1&from-month=13&from-year=2026", "/risk/roles/RL-01/review", "/provision/ok9/handlers/new", "/provision/ok9/deployments/new"} {
			j.b.Do(t, chromedp.EmulateViewport(1280, 900))
			j.visit(p)
			fits(p)
		}

		// Remove on an action leads to its confirmation; keeping it
		// changes nothing.
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		if _, err := st.AddAction(t.Context(), store.SystemActor("test"), store.AllOrganisations(), store.Action{AssessmentID: as.ID, StandardID: "LEAD-01", What: "Publish a wellbeing strategy"}); err != nil {
			t.Fatal(err)
		}
		j.visit(stdPath(as, "LEAD-01"))
		j.submit(`button[name=remove]`, `^/assessments/\d+/actions/\d+/remove$`)
		if !strings.Contains(j.text(), "Removing an action cannot be undone") {
			t.Fatalf("remove confirmation: %s", j.text())
		}
		fits("remove an action: confirm")
		j.submit(`main form a.govuk-link`, `/standards/LEAD-01$`)
		if _, acts := storedAnswer(t, st, as, "LEAD-01"); len(acts) != 1 {
			t.Fatalf("keeping the action removed it: %+v", acts)
		}

		f.apiToken(owner)
		j.visit("/tokens")
		j.submit(`main a[href$="/revoke"]`, `^/tokens/\d+/revoke$`)
		fits("revoke a token: confirm")
		j.submit(`main a[href="/tokens"]`, `^/tokens$`)
		if toks, _ := st.ListAPITokens(t.Context(), owner.ID); len(toks) != 1 || toks[0].RevokedAt != nil {
			t.Fatalf("leaving the confirmation revoked the token: %+v", toks)
		}
	})
}
