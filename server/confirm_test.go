package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestIrreversibleStepsAskFirst: closing a mutual-aid request and asking
// for a peer review each have a page saying what follows before the one
// button that does it; afterwards the state shows.
func TestIrreversibleStepsAskFirst(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		editor := provisionEditor(t, f)
		var req apiAid
		ask := `{"incident":"Fatal collision","location":"Alphaston","starts_on":"2026-11-24","ends_on":"2026-11-26","dogs_needed":1}`
		if code := apiCall(t, f, f.apiToken(editor), http.MethodPost, "/api/v1/mutual-aid", ask, &req); code != 201 {
			t.Fatalf("ask = %d", code)
		}
		cl := f.signedIn(editor)
		rPath := "/mutual-aid/" + itoa(req.ID)
		_, body := cl.get(rPath)
		if strings.Contains(body, `action="`+rPath+`/close"`) || !strings.Contains(body, `href="`+rPath+`/close"`) {
			t.Fatalf("the request page closes in one click, or does not lead to closing\n%s", body)
		}
		resp, body := cl.get(rPath + "/close")
		if resp.StatusCode != 200 || !strings.Contains(body, "cannot be undone") || !strings.Contains(body, `action="`+rPath+`/close"`) {
			t.Fatalf("close confirmation = %d\n%s", resp.StatusCode, body)
		}
		if r, _ := st.AidRequest(context.Background(), store.AllOrganisations(), req.ID); r.Status == store.AidClosed {
			t.Fatal("showing the confirmation closed the request")
		}
		if resp, _ := f.signedIn(f.people["A viewer"]).get(rPath + "/close"); resp.StatusCode != 403 {
			t.Errorf("a viewer was offered to close the request: %d", resp.StatusCode)
		}
		if resp, _ := cl.post(rPath+"/close", nil); resp.StatusCode != 303 {
			t.Fatalf("close = %d", resp.StatusCode)
		}
		if r, _ := st.AidRequest(context.Background(), store.AllOrganisations(), req.ID); r.Status != store.AidClosed {
			t.Fatalf("not closed: %s", r.Status)
		}

		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		owner := f.signedIn(f.people["A owner"])
		aPath := "/assessments/" + itoa(as.ID)
		_, body = owner.get(aPath)
		if strings.Contains(body, `action="`+aPath+`/peer-review"`) || !strings.Contains(body, `href="`+aPath+`/peer-review"`) {
			t.Fatalf("the assessment page asks for a peer review in one click, or does not lead to it")
		}
		_, body = owner.get(aPath + "/peer-review")
		if !strings.Contains(body, "What happens when you ask") || !strings.Contains(body, `action="`+aPath+`/peer-review"`) {
			t.Fatalf("peer review page:\n%s", body)
		}
		if resp, _ := owner.post(aPath+"/peer-review", url.Values{}); resp.StatusCode != 303 {
			t.Fatalf("ask for peer review = %d", resp.StatusCode)
		}
		if _, body = owner.get(aPath); !strings.Contains(body, "Requested on") || strings.Contains(body, "Find out about peer review") {
			t.Errorf("the assessment does not show the peer review asked for")
		}
		if _, body = owner.get(aPath + "/peer-review"); strings.Contains(body, `action="`+aPath+`/peer-review"`) || !strings.Contains(body, "You asked for a peer review on") {
			t.Errorf("the peer review page still offers to ask again")
		}
	})
}

// TestMoreIrreversibleStepsAskFirst: disabling a person, revoking a token,
// removing an improvement action and answering a mutual-aid offer each
// show a page saying what will happen; nothing changes until its button is
// pressed, and the cancel link (or "Change the answer") changes nothing.
func TestMoreIrreversibleStepsAskFirst(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		ctx := context.Background()
		owner := f.signedIn(f.people["A owner"])
		asks := func(cl *client, page, action, wants string) {
			t.Helper()
			resp, body := cl.get(page)
			if resp.StatusCode != 200 || !strings.Contains(body, wants) || !strings.Contains(body, `action="`+action+`"`) || !strings.Contains(body, "govuk-button--warning") {
				t.Fatalf("confirmation %s = %d, want %q and a button posting to %s\n%s", page, resp.StatusCode, wants, action, body)
			}
		}

		// Disable a person: the person page links to the confirmation.
		viewer := f.people["A viewer"]
		pPath := "/people/" + itoa(viewer.ID)
		if _, body := owner.get(pPath); strings.Contains(body, `action="`+pPath+`/disable"`) || !strings.Contains(body, `href="`+pPath+`/disable"`) {
			t.Fatalf("the person page disables in one click, or does not lead to it")
		}
		asks(owner, pPath+"/disable", pPath+"/disable", "every API token they made is revoked")
		if u, _ := st.UserByID(ctx, store.AllOrganisations(), viewer.ID); u.DisabledAt != nil {
			t.Fatal("showing the confirmation disabled the account")
		}
		if resp, _ := owner.get("/people/" + itoa(f.people["A owner"].ID) + "/disable"); resp.StatusCode != 403 {
			t.Errorf("an owner was offered to disable their own account: %d", resp.StatusCode)
		}
		if resp, _ := f.signedIn(f.people["A contributor"]).get(pPath + "/disable"); resp.StatusCode != 403 {
			t.Errorf("a contributor was offered to disable an account: %d", resp.StatusCode)
		}

		// Revoke a token: only one's own, and only once.
		tokenOwner := f.signedIn(f.people["A contributor"])
		token := f.apiToken(f.people["A contributor"])
		toks, _ := st.ListAPITokens(ctx, f.people["A contributor"].ID)
		tPath := "/tokens/" + itoa(toks[0].ID) + "/revoke"
		if _, body := tokenOwner.get("/tokens"); strings.Contains(body, `action="`+tPath+`"`) || !strings.Contains(body, `href="`+tPath+`"`) {
			t.Fatalf("the tokens page revokes in one click, or does not lead to it")
		}
		asks(tokenOwner, tPath, tPath, "any system using it is refused at once")
		if resp, _ := owner.get(tPath); resp.StatusCode != 404 {
			t.Errorf("someone else's token was offered for revoking: %d", resp.StatusCode)
		}
		api := f.anonymous()
		api.bearer = token
		if resp, _ := api.get("/api/v1/me"); resp.StatusCode != 200 {
			t.Fatalf("showing the confirmation revoked the token: %d", resp.StatusCode)
		}
		tokenOwner.post(tPath, nil)
		if resp, _ := api.get("/api/v1/me"); resp.StatusCode != 401 {
			t.Errorf("revoked token = %d", resp.StatusCode)
		}

		// Remove an action: the Remove button saves a changed answer, then asks.
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		act, err := st.AddAction(ctx, store.SystemActor("test"), store.AllOrganisations(), store.Action{AssessmentID: as.ID, StandardID: "LEAD-01", What: "Publish a wellbeing strategy"})
		if err != nil {
			t.Fatal(err)
		}
		sPath := stdPath(as, "LEAD-01")
		_, body := owner.get(sPath)
		aPath := "/assessments/" + itoa(as.ID) + "/actions/" + itoa(act.ID)
		resp, _ := owner.post(sPath, url.Values{"level": {"2"}, "version": {"1"}, "was": {regexWas(t, body)}, "evidence": {"Typed before removing"}, "remove": {itoa(act.ID)}, "status": {store.ActionStatuses[0]}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != aPath+"/remove" {
			t.Fatalf("Remove = %d to %q, want the confirmation", resp.StatusCode, resp.Header.Get("Location"))
		}
		if r, acts := storedAnswer(t, st, as, "LEAD-01"); r.Evidence != "Typed before removing" || len(acts) != 1 {
			t.Fatalf("before confirming: answer %+v (want it saved), actions %+v (want the action kept)", r, acts)
		}
		asks(owner, aPath+"/remove", aPath, "Publish a wellbeing strategy")
		if resp, _ := f.signedIn(f.people["A viewer"]).get(aPath + "/remove"); resp.StatusCode != 403 {
			t.Errorf("a viewer was offered to remove an action: %d", resp.StatusCode)
		}
		if resp, _ := owner.post(aPath, url.Values{"remove": {"1"}}); resp.StatusCode != 303 {
			t.Fatalf("confirmed remove = %d", resp.StatusCode)
		}
		if _, acts := storedAnswer(t, st, as, "LEAD-01"); len(acts) != 0 {
			t.Errorf("the confirmed removal left %+v", acts)
		}
	})
}

// TestMutualAidAnswerAsksFirst: an owner's answer to an offer shows what it
// will do before it is sent; "Change the answer" shows the form again with
// what was typed; only the confirmed answer is recorded.
func TestMutualAidAnswerAsksFirst(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		ctx, sys := context.Background(), store.SystemActor("test")
		passed := provisionNow().AddDate(0, -1, 0)
		d, err := st.SaveOK9Dog(ctx, sys, store.Scope{OrgID: f.orgB.ID}, store.OK9Dog{OrganisationID: f.orgB.ID, CallName: "Biscuit", Status: store.DogActive, AssessmentPassedOn: &passed})
		if err != nil {
			t.Fatal(err)
		}
		req, err := st.CreateAidRequest(ctx, sys, store.Scope{OrgID: f.orgA.ID}, store.AidRequest{OrganisationID: f.orgA.ID,
			Incident: "Fatal collision", Location: "Alphaston", StartsOn: provisionNow().AddDate(0, 0, 1), EndsOn: provisionNow().AddDate(0, 0, 2), DogsNeeded: 1})
		if err != nil {
			t.Fatal(err)
		}
		offer, err := st.OfferAid(ctx, sys, req.ID, f.orgB.ID, []int64{d.ID}, "fixture: standing is not under test", nil)
		if err != nil {
			t.Fatal(err)
		}
		bOwner := f.signedIn(f.people["B owner"])
		oPath := "/mutual-aid/offers/" + itoa(offer.ID)
		answer := url.Values{"request": {itoa(req.ID)}, "decision": {"decline"}, "decline_reason": {"Our handler is on leave & away"}}
		resp, body := bOwner.post(oPath, answer)
		if resp.StatusCode != 200 || !strings.Contains(body, "Decline the offer of Biscuit?") || !strings.Contains(body, "Our handler is on leave &amp; away") ||
			!strings.Contains(body, `name="confirmed" value="yes"`) || !strings.Contains(body, `action="`+oPath+`"`) {
			t.Fatalf("answer = %d, want the confirmation\n%s", resp.StatusCode, body)
		}
		status := func() string {
			r, _ := st.AidRequest(ctx, store.AllOrganisations(), req.ID)
			return r.Offers[0].Status
		}
		if s := status(); s != store.OfferMade {
			t.Fatalf("the confirmation recorded the answer: %s", s)
		}
		change := url.Values{"change": {"yes"}}
		for k, v := range answer {
			change[k] = v
		}
		resp, body = bOwner.post(oPath, change)
		if resp.StatusCode != 200 || !strings.Contains(body, "Our handler is on leave &amp; away") || !strings.Contains(body, `value="decline" checked`) {
			t.Fatalf("change the answer = %d, want the request page with the answer as typed\n%s", resp.StatusCode, body)
		}
		if s := status(); s != store.OfferMade {
			t.Fatalf("changing the answer recorded it: %s", s)
		}
		if resp, _ := f.signedIn(f.people["A owner"]).post(oPath, answer); resp.StatusCode != 404 && resp.StatusCode != 403 {
			t.Errorf("the requester was shown a confirmation for another organisation's offer: %d", resp.StatusCode)
		}
		answer.Set("confirmed", "yes")
		if resp, _ := bOwner.post(oPath, answer); resp.StatusCode != 303 {
			t.Fatalf("confirmed answer = %d", resp.StatusCode)
		}
		if s := status(); s != store.OfferDecline {
			t.Errorf("after confirming: %s, want declined", s)
		}
	})
}
