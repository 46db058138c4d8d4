package loadgen

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestPrepareMakesPeopleReadyAndReusesThem(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := Prepare(ctx, st, set, 5, 2); err == nil || !strings.Contains(err.Error(), "no open assessment cycle") {
			t.Fatalf("an empty database: %v", err)
		}
		// Six organisations with assessments, few of them drafts, and one
		// with none: Prepare has to start one and return submitted ones to
		// reach five.
		if err := seed.Synthetic(ctx, st, set, 6, 1, time.Now()); err != nil {
			t.Fatal(err)
		}
		fresh, err := st.CreateOrganisation(ctx, actor, store.Organisation{Slug: "no-assessment-yet", Name: "No assessment yet", Sector: "fire", Nation: "England"})
		if err != nil {
			t.Fatal(err)
		}
		all, _ := st.ListAssessments(ctx, store.AllOrganisations())
		drafts := 0
		for _, as := range all {
			if as.Editable() {
				drafts++
			}
		}
		if drafts >= 4 {
			t.Fatalf("the synthetic set has %d drafts: the test no longer makes Prepare return one", drafts)
		}
		plan, err := Prepare(ctx, st, set, 11, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.People) != 11 || len(plan.Levels) < 2 || plan.CycleID == 0 {
			t.Fatalf("plan: %d people, levels %v, cycle %d", len(plan.People), plan.Levels, plan.CycleID)
		}
		fw := set.Framework("blwf", "2024")
		byOrg := map[int64][]Person{}
		for _, p := range plan.People {
			byOrg[p.OrgID] = append(byOrg[p.OrgID], p)
			if !strings.HasSuffix(p.Email, "@"+Domain) {
				t.Errorf("%s is not marked as a load-test person", p.Email)
			}
			as, err := st.AssessmentByID(ctx, store.Scope{OrgID: p.OrgID}, p.AssessmentID)
			if err != nil || !as.Editable() || as.CycleID != plan.CycleID {
				t.Errorf("%s's assessment: %+v, %v", p.Email, as, err)
			}
			_, u, err := st.APITokenByHash(ctx, auth.HashToken(p.Token))
			if err != nil || u.Email != p.Email || u.Role != p.Role {
				t.Errorf("%s's API token: %v (%s)", p.Email, err, u.Email)
			}
			if (p.Role == store.RoleViewer) != (len(p.Standards) == 0) {
				t.Errorf("%s (%s) saves %d standards", p.Email, p.Role, len(p.Standards))
			}
		}
		if len(byOrg) != 5 || byOrg[fresh.ID] == nil {
			t.Errorf("people in %d organisations, want 5 including the one without an assessment", len(byOrg))
		}
		for org, people := range byOrg {
			roles := map[string]int{}
			saved := map[string]string{}
			for _, p := range people {
				roles[p.Role]++
				for _, s := range p.Standards {
					if other, dup := saved[s]; dup {
						t.Errorf("organisation %d: %s and %s both save %s", org, other, p.Email, s)
					}
					saved[s] = p.Email
				}
			}
			if roles[store.RoleOwner] != 1 || roles[store.RoleContributor] < 1 {
				t.Errorf("organisation %d has roles %v", org, roles)
			}
			if len(saved) != len(fw.Standards()) {
				t.Errorf("organisation %d: its people save %d of %d standards between them", org, len(saved), len(fw.Standards()))
			}
		}
		u, err := st.UserByEmail(ctx, plan.People[0].Email)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := auth.VerifyPassword(u.PasswordHash, Password); !ok || err != nil {
			t.Errorf("the known password does not sign %s in: %v", u.Email, err)
		}

		// A second run reuses the same people and organisations and
		// revokes the tokens of the first.
		before, _ := st.CountUsers(ctx)
		again, err := Prepare(ctx, st, set, 11, 5)
		if err != nil {
			t.Fatal(err)
		}
		after, _ := st.CountUsers(ctx)
		if after != before {
			t.Errorf("the second run added %d people", after-before)
		}
		emails := func(p *Plan) []string {
			var out []string
			for _, x := range p.People {
				out = append(out, x.Email)
			}
			return out
		}
		if !slices.Equal(emails(plan), emails(again)) {
			t.Errorf("the second run chose other people:\n%v\n%v", emails(plan), emails(again))
		}
		if _, _, err := st.APITokenByHash(ctx, auth.HashToken(plan.People[0].Token)); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("the first run's token still works: %v", err)
		}
		if _, err := Prepare(ctx, st, set, 30, 8); err == nil || !strings.Contains(err.Error(), "7 organisations") {
			t.Errorf("asking for more organisations than exist: %v", err)
		}
	})
}
