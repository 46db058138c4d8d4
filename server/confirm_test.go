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
