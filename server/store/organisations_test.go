package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestOrganisationValidationNamesTheField(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ok := store.Organisation{Slug: "north-yorks", Name: "North Yorkshire Police", Sector: "police", Nation: "England"}
		for _, tt := range []struct {
			field string
			edit  func(*store.Organisation)
		}{
			{"name", func(o *store.Organisation) { o.Name = "  " }},
			{"slug", func(o *store.Organisation) { o.Slug = "North Yorks" }},
			{"slug", func(o *store.Organisation) { o.Slug = "-lead" }},
			{"slug", func(o *store.Organisation) { o.Slug = "x" }},
			{"slug", func(o *store.Organisation) { o.Slug = strings.Repeat("a", 42) }},
			{"sector", func(o *store.Organisation) { o.Sector = "coastguard" }},
			{"nation", func(o *store.Organisation) { o.Nation = "Cornwall" }},
		} {
			o := ok
			tt.edit(&o)
			_, err := s.CreateOrganisation(context.Background(), actor, o)
			if apperr.Code(err) != apperr.EINVALID || !strings.Contains(strings.ToLower(apperr.Message(err)), tt.field) {
				t.Errorf("%+v: %v; want EINVALID naming %s", o, err, tt.field)
			}
		}
		if orgs, _ := s.ListOrganisations(context.Background(), store.AllOrganisations()); len(orgs) != 0 {
			t.Errorf("invalid organisations stored: %+v", orgs)
		}
		if _, err := s.CreateOrganisation(context.Background(), actor, ok); err != nil {
			t.Errorf("valid organisation refused: %v", err)
		}
	})
}

func TestOrganisationUpdateAndLookups(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		if _, err := s.CreateOrganisation(ctx, actor, store.Organisation{Slug: "aaa", Name: "Aardvark Ambulance", Sector: "ambulance", Nation: "UK-wide"}); err != nil {
			t.Fatal(err)
		}

		changed := a
		changed.Slug = "beta"
		_, err := s.UpdateOrganisation(ctx, actor, changed)
		if apperr.Code(err) != apperr.ECONFLICT || !strings.Contains(err.Error(), `"beta"`) {
			t.Errorf("slug taken on update: %v", err)
		}
		changed.Slug, changed.Name, changed.Region, changed.PeerGroup = "alpha-police", "Alpha Constabulary", "South West", "Most similar group 3"
		updated, err := s.UpdateOrganisation(ctx, actor, changed)
		if err != nil || updated.Name != "Alpha Constabulary" || updated.PeerGroup != "Most similar group 3" || !updated.CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("update = %+v %v", updated, err)
		}
		changed.ID = 99999
		_, err = s.UpdateOrganisation(ctx, actor, changed)
		wantCode(t, "update an unknown organisation", err, apperr.ENOTFOUND)

		aScope := store.Scope{OrgID: a.ID}
		if got, err := s.OrganisationBySlug(ctx, aScope, "alpha-police"); err != nil || got.ID != a.ID {
			t.Errorf("own organisation by slug: %+v %v", got, err)
		}
		_, err = s.OrganisationBySlug(ctx, aScope, "beta")
		wantCode(t, "A reads B by slug", err, apperr.ENOTFOUND)
		if got, err := s.OrganisationBySlug(ctx, store.AllOrganisations(), "beta"); err != nil || got.ID != b.ID {
			t.Errorf("national reads B by slug: %+v %v", got, err)
		}
		_, err = s.Organisation(ctx, aScope, 99999)
		wantCode(t, "unknown organisation", err, apperr.ENOTFOUND)

		names := func(sc store.Scope) string {
			orgs, err := s.ListOrganisations(ctx, sc)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, o := range orgs {
				out = append(out, o.Name)
			}
			return strings.Join(out, ",")
		}
		if got := names(store.AllOrganisations()); got != "Aardvark Ambulance,Alpha Constabulary,Beta Fire" {
			t.Errorf("national list = %s, want by name", got)
		}
		if got := names(aScope); got != "Alpha Constabulary" {
			t.Errorf("A's list = %s", got)
		}
	})
}

func TestWorkforceByYear(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		aScope := store.Scope{OrgID: a.ID}
		for _, w := range []store.Workforce{
			{OrganisationID: a.ID, Year: 2027, Officers: 1, Staff: 2, Volunteers: 3},
			{OrganisationID: a.ID, Year: 2025, Officers: 100, Staff: 50},
			{OrganisationID: a.ID, Year: 2027, Officers: 1200, Staff: 800, Volunteers: 40}, // a correction
			{OrganisationID: b.ID, Year: 2026, Officers: 7},
		} {
			sc := aScope
			if w.OrganisationID == b.ID {
				sc = store.AllOrganisations()
			}
			if err := s.SetWorkforce(ctx, actor, sc, w); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Workforce(ctx, aScope, a.ID)
		if err != nil || fmt.Sprint(got) != fmt.Sprint([]store.Workforce{
			{OrganisationID: a.ID, Year: 2025, Officers: 100, Staff: 50},
			{OrganisationID: a.ID, Year: 2027, Officers: 1200, Staff: 800, Volunteers: 40},
		}) {
			t.Errorf("Workforce = %+v %v", got, err)
		}
		_, err = s.Workforce(ctx, aScope, b.ID)
		wantCode(t, "A reads B's workforce", err, apperr.ENOTFOUND)
		for _, w := range []store.Workforce{
			{OrganisationID: a.ID, Year: 2026, Staff: -1},
			{OrganisationID: a.ID, Year: 2026, Volunteers: -1},
			{OrganisationID: a.ID, Year: 1999},
		} {
			wantCode(t, fmt.Sprintf("workforce %+v", w), s.SetWorkforce(ctx, actor, aScope, w), apperr.EINVALID)
		}
	})
}
