package server_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestPeerSupportTrainingPagesAndAPI: the training and supervision answers
// of the peer support return, on the page and through the API, under the
// same rules: a count below 0 or over the workforce, or more trainers
// delivering than trained, is refused naming the field, keeping what was
// typed and saving nothing; blank (or left out) is "not recorded", shown so
// in the list of returns and as null by the API; the answers reach the
// evidence a peer-support standard offers.
func TestPeerSupportTrainingPagesAndAPI(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		ctx := context.Background()
		for _, y := range []int{2025, 2026} {
			if err := st.SetWorkforce(ctx, store.SystemActor("test"), store.AllOrganisations(), store.Workforce{OrganisationID: f.orgA.ID, Year: y, Officers: 700, Staff: 300}); err != nil {
				t.Fatal(err)
			}
		}
		owner := f.signedIn(f.people["A owner"])
		saved := func() []store.PeerSupportReturn {
			list, err := st.PeerSupportReturns(ctx, store.AllOrganisations(), f.orgA.ID)
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		for _, tc := range []struct{ field, value, says string }{
			{"walk_the_talk_attended", "-3", "must be a whole number from 0 to 1,000,000"},
			{"demob_course_places", "1001", "Demobilising and defusing course places taken in the year (demob_course_places) cannot be more than the workforce of 1000"},
			{"trainers_delivering", "3", "cannot be more than the trained trainers"}, // returnForm has 2 trainers
			{"supporters_supervised", "41", "cannot be more than the peer supporters"},
		} {
			form := returnForm("40")
			form.Set("supervision_sessions", "17") // typed beside the wrong one: kept
			form.Set(tc.field, tc.value)
			resp, body := owner.post("/provision/peer-support?year=2026", form)
			if resp.StatusCode != 200 || !strings.Contains(html.UnescapeString(body), tc.says) || !strings.Contains(body, `href="#`+tc.field+`"`) ||
				!strings.Contains(body, `name="supervision_sessions" type="text" value="17"`) {
				t.Errorf("%s=%s = %d, want the page again naming the field, saying %q, with what was typed", tc.field, tc.value, resp.StatusCode, tc.says)
			}
		}
		if list := saved(); len(list) != 0 {
			t.Fatalf("refused returns saved: %+v", list)
		}
		form := returnForm("40")
		form.Set("walk_the_talk_attended", "2")
		form.Set("trainers_delivering", "2")
		form.Set("demob_course_places", "9")
		if resp, _ := owner.post("/provision/peer-support?year=2026", form); resp.StatusCode != 303 {
			t.Fatalf("good return = %d", resp.StatusCode)
		}
		list := saved()
		if len(list) != 1 || list[0].WalkTheTalkAttended == nil || *list[0].WalkTheTalkAttended != 2 || list[0].DemobCoursePlaces == nil || *list[0].DemobCoursePlaces != 9 ||
			list[0].SupervisionSessions != nil || list[0].SupportersSupervised != nil {
			t.Fatalf("saved = %+v, want blanks not recorded", list)
		}
		_, body := f.signedIn(f.people["A viewer"]).get("/provision/peer-support?year=2026")
		if !strings.Contains(body, "Walk the Talk attended") || !strings.Contains(body, ">9<") || !strings.Contains(body, "Not recorded") {
			t.Errorf("the list of returns does not show the answers and \"Not recorded\"\n%s", body)
		}

		// A peer-support standard offers the answers as evidence, small
		// counts of people withheld, blanks left out.
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		_, body = owner.get(stdPath(as, "RES-04"))
		plain := html.UnescapeString(body)
		if !strings.Contains(plain, "; fewer than 5 attended the Walk the Talk train-the-trainer course; fewer than 5 trained trainers delivering training locally; 9 demobilising and defusing course places taken") ||
			!strings.Contains(plain, "(source: peer support return for calendar year 2026, as at 23 November 2026)") ||
			strings.Contains(plain, "supervision sessions for supporters") {
			t.Errorf("RES-04 does not offer the return's training answers\n%s", body)
		}

		// The API: optional fields, the same refusals.
		tok := f.apiToken(f.people["A owner"])
		full := `{"coordinator_in_post":true,"coordinator_full_time":false,"oh_clinician_trained":false,"estip_lead":true,"supervision_in_place":true,"confidentiality_in_place":true,
			"peer_supporters":40,"peer_champions":5,"peer_coordinators":2,"trained_trainers":3,"demob_defusing_trained":25,"trim_practitioners":8,"contacts":310`
		var refused apiRefusal
		for _, tc := range []struct{ extra, says string }{
			{`,"supporters_supervised":-1}`, "supporters_supervised must be a whole number"},
			{`,"walk_the_talk_attended":1001}`, "(walk_the_talk_attended) cannot be more than the workforce of 1000"},
			{`,"trainers_delivering":4}`, "(trainers_delivering) cannot be more than the trained trainers"},
		} {
			if code := apiCall(t, f, tok, http.MethodPut, "/api/v1/provision/peer-support/2025", full+tc.extra, &refused); code != 422 || !strings.Contains(refused.Error.Message, tc.says) {
				t.Errorf("API %s = %d %+v, want 422 saying %q", tc.extra, code, refused, tc.says)
			}
		}
		if list := saved(); len(list) != 1 {
			t.Fatalf("refused API returns saved: %+v", list)
		}
		var ret map[string]any
		if code := apiCall(t, f, tok, http.MethodPut, "/api/v1/provision/peer-support/2025", full+`,"supervision_sessions":6}`, &ret); code != 200 {
			t.Fatalf("API save = %d %+v", code, ret)
		}
		if code := apiCall(t, f, tok, http.MethodGet, "/api/v1/provision/peer-support/2025", "", &ret); code != 200 || ret["supervision_sessions"] != 6.0 || ret["walk_the_talk_attended"] != nil {
			t.Errorf("API read back = %d %+v, want 6 sessions and null Walk the Talk", code, ret)
		}
		if _, has := ret["walk_the_talk_attended"]; !has {
			t.Error("API leaves out a field not recorded instead of null")
		}
	})
}
