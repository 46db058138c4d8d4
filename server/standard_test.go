package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestStandardFormErrors: a wrong answer or action comes back on the full
// standard page with what was typed, and a person who may not change the
// standard is refused before their form is looked at.
func TestStandardFormErrors(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		owner := f.signedIn(f.people["A owner"])
		p := stdPath(as, "MH-06")
		owner.get(p)

		resp, body := owner.post(p, url.Values{"level": {"9"}, "version": {"1"}, "evidence": {"Typed but not saved"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Choose the maturity level") || !strings.Contains(body, "Typed but not saved") ||
			!strings.Contains(body, "Examples of evidence") || !strings.Contains(body, `action="`+p+`/actions"`) {
			t.Errorf("wrong answer = %d; want the standard page with the error and what was typed\n%s", resp.StatusCode, body)
		}

		if resp, _ := owner.post(p, url.Values{"level": {"2"}, "version": {"1"}, "evidence": {"Saved evidence"}}); resp.StatusCode != 303 {
			t.Fatalf("save = %d", resp.StatusCode)
		}
		resp, body = owner.post(p+"/actions", url.Values{"what": {""}, "owner": {"HR"}, "status": {store.ActionStatuses[0]}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Describe the action") || !strings.Contains(body, "Saved evidence") || !strings.Contains(body, `value="HR"`) {
			t.Errorf("action without a description = %d; want the page with the saved answer and the action as typed\n%s", resp.StatusCode, body)
		}

		contrib := f.signedIn(f.people["A contributor"]) // LEAD only
		contrib.get(p)
		if resp, _ := contrib.post(p, url.Values{"level": {"9"}, "version": {"2"}}); resp.StatusCode != 403 {
			t.Errorf("a wrong answer outside the contributor's area = %d, want 403", resp.StatusCode)
		}
		if resp, _ := contrib.post(p+"/actions", url.Values{"what": {""}}); resp.StatusCode != 403 {
			t.Errorf("a wrong action outside the contributor's area = %d, want 403", resp.StatusCode)
		}
	})
}
