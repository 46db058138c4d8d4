package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestOK9Register: national admins see every scheme's contact and work
// email, standing with what fails and what lapses within the policy's
// warning days, dogs and handlers who can deploy, the year's deployments,
// and organisations with no scheme by region; no one else sees it.
func TestOK9Register(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow // 23 November 2026
		f := newFixture(t, st)
		ctx, sys, all := context.Background(), store.SystemActor("test"), store.AllOrganisations()
		dog, h := ok9Records(t, st, f.orgA, true) // insurance and welfare scheme to 1 June 2027
		// B: a scheme whose insurance lapsed, and whose risk assessment
		// review falls due within 60 days.
		ok9Records(t, st, f.orgB, false)
		sch, _ := st.OK9Scheme(ctx, all, f.orgB.ID)
		review := time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC)
		sch.RiskAssessmentReviewedOn = &review
		if _, err := st.SaveOK9Scheme(ctx, sys, all, sch); err != nil {
			t.Fatal(err)
		}
		set, err := frameworks.Load()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.LogDeployment(ctx, sys, all, store.OK9Deployment{OrganisationID: f.orgA.ID, DeployedOn: provisionNow().AddDate(0, 0, -3), Kind: "team_visit",
			HandlerID: h.ID, DogIDs: []int64{dog.ID}, Minutes: 60}, set.WelfarePolicy()); err != nil {
			t.Fatal(err)
		}
		c, _ := f.thirdOrg() // no scheme, in Wales
		if _, err := st.CreateOrganisation(ctx, sys, store.Organisation{Slug: "uk-wide", Name: "UK-wide Constabulary", Sector: "police", Nation: "UK-wide", Region: "National"}); err != nil {
			t.Fatal(err)
		}
		admin := f.signedIn(f.people["admin"])
		resp, body := admin.get("/national/ok9")
		if resp.StatusCode != 200 {
			t.Fatalf("register = %d", resp.StatusCode)
		}
		for _, want := range []string{"2 organisations run an OK9 scheme; 1 of them is in good standing for mutual aid. 2 active dogs, 1 handler who can be deployed, 1 deployment and 0 mutual-aid loans in 2026.", "ok9@example.police.uk", "Insp Jones",
			"The scheme&#39;s insurance must be in date. It expired on 1 November 2026", f.orgB.Name + ": Risk assessment on 20 December 2026",
			c.Region, c.Name, "Not in good standing", "In good standing"} {
			if !strings.Contains(body, want) {
				t.Errorf("register lacks %q", want)
			}
		}
		// The tile map: each region's counts in words, its shade from them,
		// and a region with no place on the map listed after it.
		for _, want := range []string{
			`app-tile--r4 app-tile--c1 app-tile--most"><span class="app-tile__name">Wales</span> <span class="app-tile__count">1 of 1 without a scheme`,
			`app-tile--r5 app-tile--c2 app-tile--none"><span class="app-tile__name">South West</span> <span class="app-tile__count">0 of 2 without a scheme`,
			"Not on the map: National, 1 of 1 without a scheme.",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("tile map lacks %q", want)
			}
		}
		if tiles := body[strings.Index(body, `class="app-tiles"`):]; strings.Index(tiles, ">Wales<") > strings.Index(tiles, ">South West<") {
			t.Error("tiles are not in map order, north to south")
		}
		for _, who := range []string{"A owner", "A viewer", "B owner"} {
			if resp, _ := f.signedIn(f.people[who]).get("/national/ok9"); resp.StatusCode != 403 {
				t.Errorf("%s reads the register: %d", who, resp.StatusCode)
			}
		}
		var reg struct {
			Year          int
			Organisations []struct {
				Organisation     struct{ ID int64 }
				HasScheme        bool   `json:"has_scheme"`
				SPOCEmail        string `json:"spoc_email"`
				InStanding       bool   `json:"in_standing"`
				ActiveDogs       int    `json:"active_dogs"`
				HandlersReady    int    `json:"handlers_ready"`
				Deployments      int
				StandingFailures []struct{ Rule, Fix string } `json:"standing_failures"`
				Expiring         []struct{ Label string }     `json:"expiring"`
			}
		}
		if code := apiCall(t, f, f.apiToken(f.people["admin"]), http.MethodGet, "/api/v1/ok9/register", "", &reg); code != 200 || reg.Year != 2026 {
			t.Fatalf("API register = %d %+v", code, reg)
		}
		for _, o := range reg.Organisations {
			switch o.Organisation.ID {
			case f.orgA.ID:
				if !o.HasScheme || !o.InStanding || o.ActiveDogs != 1 || o.HandlersReady != 1 || o.Deployments != 1 || o.SPOCEmail != "ok9@example.police.uk" || len(o.StandingFailures) != 0 {
					t.Errorf("A on the register = %+v", o)
				}
			case f.orgB.ID:
				if o.InStanding || o.HandlersReady != 0 || len(o.StandingFailures) != 1 || len(o.Expiring) != 1 || o.Expiring[0].Label != "Risk assessment" {
					t.Errorf("B on the register = %+v", o)
				}
			case c.ID:
				if o.HasScheme || o.SPOCEmail != "" {
					t.Errorf("C on the register = %+v", o)
				}
			}
		}
		if code := apiCall(t, f, f.apiToken(f.people["A owner"]), http.MethodGet, "/api/v1/ok9/register", "", nil); code != 403 {
			t.Errorf("owner's API register = %d", code)
		}

		// The person B's scheme names as its contact, by work email, reads the
		// register to arrange mutual aid: every scheme's contact, but no
		// links into other organisations' pages. A's owner still may not, nor
		// B's contact once disabled.
		spoc := f.people["B viewer"]
		sch, _ = st.OK9Scheme(ctx, all, f.orgB.ID)
		sch.SPOCEmail = strings.ToUpper(spoc.Email) // saved lower case
		if _, err := st.SaveOK9Scheme(ctx, sys, all, sch); err != nil {
			t.Fatal(err)
		}
		resp, body = f.signedIn(spoc).get("/national/ok9")
		if resp.StatusCode != 200 || !strings.Contains(body, "ok9@example.police.uk") || !strings.Contains(body, "Shared with OK9 single points of contact") ||
			strings.Contains(body, "/provision/ok9?org=") {
			t.Errorf("SPOC's register = %d, contact shown %v, links %v", resp.StatusCode, strings.Contains(body, "ok9@example.police.uk"), strings.Contains(body, "/provision/ok9?org="))
		}
		if _, body := f.signedIn(spoc).get("/provision/ok9"); !strings.Contains(body, `href="/national/ok9"`) {
			t.Error("the SPOC's own OK9 page does not lead to the register")
		}
		if _, body := f.signedIn(f.people["B owner"]).get("/provision/ok9"); strings.Contains(body, `href="/national/ok9"`) {
			t.Error("a person who is not the SPOC is led to the register")
		}
		if code := apiCall(t, f, f.apiToken(spoc), http.MethodGet, "/api/v1/ok9/register", "", &reg); code != 200 || len(reg.Organisations) < 3 {
			t.Errorf("SPOC's API register = %d, %d organisations", code, len(reg.Organisations))
		}
		for _, who := range []string{"A owner", "B owner"} {
			if resp, _ := f.signedIn(f.people[who]).get("/national/ok9"); resp.StatusCode != 403 {
				t.Errorf("%s, not a SPOC, reads the register: %d", who, resp.StatusCode)
			}
		}
		if err := st.SetUserDisabled(ctx, sys, all, spoc.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := st.OK9Register(ctx, store.Actor{UserID: spoc.ID, OrgID: f.orgB.ID, Role: spoc.Role}, set.WelfarePolicy(), provisionNow()); err == nil {
			t.Error("a disabled SPOC's account reads the register")
		}
	})
}
