package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestProvisionPermissions: owners and contributors given the provision
// section record provision; other contributors and viewers only read it;
// only owners log beyond the welfare limits.
func TestProvisionPermissions(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		dogForm := func() url.Values {
			return url.Values{"call_name": {"Bramble"}, "status": {"active"}, "assessed": {"2026-01-10"}}
		}
		for _, who := range []string{"A viewer", "A contributor"} {
			if resp, body := f.signedIn(f.people[who]).post("/provision/ok9/dogs", dogForm()); resp.StatusCode != 403 || !strings.Contains(body, "permission to change provision") {
				t.Errorf("%s added a dog: %d", who, resp.StatusCode)
			}
		}
		owner := f.signedIn(f.people["A owner"])
		if resp, body := owner.post("/provision/ok9/dogs", dogForm()); resp.StatusCode != 303 || resp.Header.Get("Location") != "/provision/ok9?done=dog" {
			t.Fatalf("owner adding a dog = %d %s", resp.StatusCode, body)
		}
		dogs, _ := st.OK9Dogs(ctx, store.AllOrganisations(), f.orgA.ID)
		if len(dogs) != 1 {
			t.Fatalf("dogs = %+v", dogs)
		}
		if resp, body := owner.post("/provision/ok9/handlers", url.Values{"display_name": {"PC 4521"}, "peer_trained": {"2025-05-01"}, "dogs": {itoa(dogs[0].ID)}}); resp.StatusCode != 303 {
			t.Fatalf("owner adding a handler = %d %s", resp.StatusCode, body)
		}
		handlers, _ := st.OK9Handlers(ctx, store.AllOrganisations(), f.orgA.ID)

		// A contributor given the provision section may log, but not override.
		contrib := f.people["A contributor"]
		if _, err := st.UpdateUserAccess(ctx, store.SystemActor("test"), store.AllOrganisations(), contrib.ID, store.RoleContributor, []string{"provision"}); err != nil {
			t.Fatal(err)
		}
		cl := f.signedIn(contrib)
		dep := func(minutes, reason string) url.Values {
			return url.Values{"deployed_on": {"2026-11-20"}, "dogs": {itoa(dogs[0].ID)}, "handler": {itoa(handlers[0].ID)}, "kind": {"team_visit"}, "people": {"10"}, "minutes": {minutes}, "override_reason": {reason}}
		}
		// The handler has no suitability assessment: the page says which
		// rule and what would fix it, keeps the input and saves nothing.
		resp, body := cl.post("/provision/ok9/deployments", dep("150", ""))
		if resp.StatusCode != 200 || !strings.Contains(body, "This handler cannot be deployed under the OK9 rules") ||
			!strings.Contains(body, "Record the date and outcome of PC 4521&#39;s suitability assessment with Bramble") ||
			!strings.Contains(body, `value="150"`) || strings.Contains(body, `name="gate_override_reason"`) {
			t.Errorf("contributor deploying an unassessed handler = %d %s", resp.StatusCode, body)
		}
		if deps, _ := st.OK9Deployments(ctx, store.AllOrganisations(), f.orgA.ID, provisionNow().AddDate(0, -1, 0), provisionNow()); len(deps) != 0 {
			t.Fatalf("refused deployment saved: %+v", deps)
		}
		handlerForm := url.Values{"display_name": {"PC 4521"}, "status": {"active"}, "peer_trained": {"2025-05-01"}, "suitability_on": {"2026-02-01"},
			"suitability_outcome": {"passed"}, "supervisor_on": {"2026-01-20"}, "protected_hours": {"8"}, "dogs": {itoa(dogs[0].ID)}}
		if resp, body := owner.post("/provision/ok9/handlers/"+itoa(handlers[0].ID), handlerForm); resp.StatusCode != 303 {
			t.Fatalf("owner recording the assessment = %d %s", resp.StatusCode, body)
		}
		if hs, _ := st.OK9Handlers(ctx, store.AllOrganisations(), f.orgA.ID); hs[0].SuitabilityOutcome != store.SuitabilityPassed || hs[0].ProtectedHoursMonth != 8 || hs[0].SupervisorAgreedOn == nil {
			t.Fatalf("handler after the page = %+v", hs[0])
		}
		if resp, body := cl.post("/provision/ok9/deployments", dep("150", "")); resp.StatusCode != 303 {
			t.Fatalf("contributor logging = %d %s", resp.StatusCode, body)
		}
		resp, body = cl.post("/provision/ok9/deployments", dep("60", "We need to"))
		if resp.StatusCode != 200 || !strings.Contains(body, "ask your organisation&#39;s owner") || strings.Contains(body, `name="override_reason"`) {
			t.Errorf("contributor override: %d %s", resp.StatusCode, body)
		}
		if !strings.Contains(body, `value="60"`) || !strings.Contains(body, "Bramble: would work 3 h 30 min") {
			t.Errorf("refused form lost the input or the reason: %s", body)
		}
		resp, body = owner.post("/provision/ok9/deployments", dep("60", ""))
		if !strings.Contains(body, `name="override_reason"`) || !strings.Contains(body, "give the reason it must go ahead") {
			t.Errorf("owner not offered an override: %d", resp.StatusCode)
		}
		if resp, _ := owner.post("/provision/ok9/deployments", dep("60", "Post-incident debrief after a fatal fire")); resp.StatusCode != 303 {
			t.Errorf("owner override not logged: %d", resp.StatusCode)
		}
		if _, body := owner.get("/provision/ok9"); !strings.Contains(body, "Beyond the welfare limits: Post-incident debrief") {
			t.Errorf("the log does not show the override: %s", body)
		}
		if deps, _ := st.OK9Deployments(ctx, store.AllOrganisations(), f.orgA.ID, f.st.Now().AddDate(-1, 0, 0), f.st.Now().AddDate(1, 0, 0)); len(deps) != 2 {
			t.Errorf("deployments = %d, want 2", len(deps))
		}
		// Bad input keeps what was typed and names the field.
		resp, body = owner.post("/provision/vans", url.Values{"kind": {"hotspot"}, "starts_on": {"2026-13-40"}, "place": {"Taunton"}, "attendance": {"lots"}, "contact": {"Lead"}})
		if resp.StatusCode != 200 || !strings.Contains(body, `href="#starts_on"`) || !strings.Contains(body, `href="#attendance"`) || !strings.Contains(body, `value="Taunton"`) {
			t.Errorf("bad van request: %d %s", resp.StatusCode, body)
		}
	})
}
