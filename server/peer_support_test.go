package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func returnForm(supporters string) url.Values {
	return url.Values{"coordinator": {"yes"}, "coordinator_full_time": {"no"}, "oh_clinician": {"no"}, "estip_lead": {"yes"},
		"supervision": {"yes"}, "confidentiality": {"yes"}, "supporters": {supporters}, "champions": {"4"}, "coordinators": {"1"},
		"trainers": {"2"}, "demob": {"10"}, "trim": {"6"}, "contacts": {"120"}}
}

// TestPeerSupportYearComesFromTheAddress: the year of a peer support return
// is the page's, never a field of the save form, and replacing a year's
// return first shows what would change and asks.
func TestPeerSupportYearComesFromTheAddress(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner := f.signedIn(f.people["A owner"])
		supporters := func() map[int]int {
			t.Helper()
			returns, err := st.PeerSupportReturns(t.Context(), store.AllOrganisations(), f.orgA.ID)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int]int{}
			for _, r := range returns {
				out[r.Year] = r.PeerSupporters
			}
			return out
		}

		owner.get("/provision/peer-support?year=2026")
		form := returnForm("40")
		form.Set("year", "2025") // a year in the body is not the page's
		resp, _ := owner.post("/provision/peer-support?year=2026", form)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/provision/peer-support?year=2026&done=return" {
			t.Fatalf("first save: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if got := supporters(); len(got) != 1 || got[2026] != 40 {
			t.Fatalf("returns after saving 2026: %v", got)
		}

		_, page := owner.get("/provision/peer-support?year=2026")
		if !strings.Contains(page, "Peer support return for 2026") || strings.Contains(page, `name="year" id="year" form`) {
			t.Errorf("the page does not name its year")
		}
		resp, page = owner.post("/provision/peer-support?year=2026", returnForm("50"))
		if resp.StatusCode != 200 || !strings.Contains(page, "Replace the 2026 peer support return?") || !strings.Contains(page, "Peer supporters") {
			t.Fatalf("replacing 2026 did not ask first: %d\n%s", resp.StatusCode, page)
		}
		if got := supporters(); got[2026] != 40 {
			t.Fatalf("2026 changed before confirming: %v", got)
		}
		confirmed := returnForm("50")
		confirmed.Set("confirm", "yes")
		if resp, _ := owner.post("/provision/peer-support?year=2026", confirmed); resp.StatusCode != 303 {
			t.Fatalf("confirmed save: %d", resp.StatusCode)
		}
		if got := supporters(); got[2026] != 50 {
			t.Fatalf("2026 after confirming: %v", got)
		}

		if resp, _ := owner.post("/provision/peer-support?year=2025", returnForm("30")); resp.StatusCode != 303 {
			t.Fatalf("saving 2025: %d", resp.StatusCode)
		}
		if got := supporters(); got[2025] != 30 || got[2026] != 50 {
			t.Fatalf("saving 2025 touched another year: %v", got)
		}
		if resp, _ := owner.post("/provision/peer-support?year=abc", returnForm("1")); resp.StatusCode != 404 {
			t.Errorf("a year that is not one: %d", resp.StatusCode)
		}
	})
}

// TestPeerSupportAsksOnlyWhatApplies: "Is the coordinator full time?" is
// revealed under "Yes" to "Is a peer support coordinator in post?" and is
// not required after "No"; TRiM and ESTIP are spelt out.
func TestPeerSupportAsksOnlyWhatApplies(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner := f.signedIn(f.people["A owner"])
		_, body := owner.get("/provision/peer-support?year=2026")
		reveal := strings.Index(body, `id="conditional-coordinator"`)
		if !strings.Contains(body, `data-app-shown-by="coordinator" data-app-shown-value="yes"`) || reveal < 0 ||
			strings.Index(body, "Is the coordinator full time?") < reveal || !strings.Contains(body, "TRiM (trauma risk management) practitioners") ||
			!strings.Contains(body, "ESTIP (Emergency Services Trauma Intervention Programme)") {
			t.Fatalf("the full-time question is not revealed under Yes, or acronyms are not spelt out\n%s", body)
		}
		form := returnForm("40")
		form.Set("coordinator", "no")
		form.Del("coordinator_full_time")
		if resp, body := owner.post("/provision/peer-support?year=2026", form); resp.StatusCode != 303 {
			t.Fatalf("no coordinator, full time unanswered = %d\n%s", resp.StatusCode, body)
		}
		form.Set("coordinator", "yes")
		if resp, body := owner.post("/provision/peer-support?year=2025", form); resp.StatusCode == 303 || !strings.Contains(body, "Answer yes or no: Is the coordinator full time?") {
			t.Errorf("a coordinator in post, full time unanswered = %d", resp.StatusCode)
		}
	})
}
