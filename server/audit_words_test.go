package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestAuditTrailInWords: the page says what happened in words, naming the
// standard; the CSV keeps the codes.
func TestAuditTrailInWords(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		owner := f.signedIn(f.people["A owner"])
		p := stdPath(as, "LEAD-04")
		_, body := owner.get(p)
		if resp, _ := owner.post(p, url.Values{"level": {"2"}, "version": {"1"}, "was": {regexWas(t, body)}, "then": {"add-action"}, "what": {"Train managers"}, "status": {store.ActionStatuses[0]}}); resp.StatusCode != 303 {
			t.Fatalf("add action = %d", resp.StatusCode)
		}
		_, page := owner.get("/audit")
		for _, want := range []string{"Added an improvement action to LEAD-04", "Saved the answer to LEAD-04", "Started a self-assessment"} {
			if !strings.Contains(page, want) {
				t.Errorf("the audit trail does not say %q", want)
			}
		}
		for _, code := range []string{">action.add<", ">response.save<"} {
			if strings.Contains(page, code) {
				t.Errorf("the audit trail shows the code %s", code)
			}
		}
		if _, csv := owner.get("/audit.csv"); !strings.Contains(csv, "action.add") {
			t.Error("the CSV lost the action codes")
		}
	})
}
