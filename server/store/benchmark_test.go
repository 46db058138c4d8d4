package store_test

import (
	"context"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestCycleOrgs: only submitted and validated assessments bring their
// answers; answers kept from an earlier read are replaced once an
// assessment is returned, changed and submitted again.
func TestCycleOrgs(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		set, err := frameworks.Load()
		if err != nil {
			t.Fatal(err)
		}
		e := set.Edition("blwf", "2024")
		cy, err := s.CreateCycle(ctx, actor, store.Cycle{Name: "2026/27", FrameworkKey: e.Key, FrameworkVersion: e.Version, OpensOn: *day(1), ClosesOn: *day(30)})
		if err != nil {
			t.Fatal(err)
		}
		start := func(org store.Organisation, level int) store.Assessment {
			l := level
			as, err := s.StartAssessment(ctx, actor, store.AllOrganisations(), store.Assessment{OrganisationID: org.ID, CycleID: cy.ID, FrameworkKey: e.Key,
				FrameworkVersion: e.Version, FrameworkSHA256: e.SHA256}, []store.Response{{StandardID: "LEAD-01", Level: &l}, {StandardID: "LEAD-02"}})
			if err != nil {
				t.Fatal(err)
			}
			return as
		}
		asA, _ := start(a, 2), start(b, 3)
		if _, err := s.SubmitAssessment(ctx, actor, store.Scope{OrgID: a.ID}, asA.ID, "Chief", "Chief Constable"); err != nil {
			t.Fatal(err)
		}
		levelOf := func(org store.Organisation) (int, bool) {
			t.Helper()
			orgs, err := s.CycleOrgs(ctx, cy.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range orgs {
				if o.ID == org.ID {
					l, ok := o.Levels["LEAD-01"]
					return l, ok
				}
			}
			t.Fatalf("organisation %s missing", org.Name)
			return 0, false
		}
		// Submissions counts what CycleOrgs counts, in one query.
		submissions := func(want int) {
			t.Helper()
			got, err := s.Submissions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			orgs, _ := s.CycleOrgs(ctx, cy.ID)
			counted := 0
			for _, o := range orgs {
				if o.Counts() {
					counted++
				}
			}
			if got[cy.ID] != want || counted != want {
				t.Fatalf("submissions %v, CycleOrgs counts %d, want %d", got, counted, want)
			}
		}
		submissions(1) // A submitted, B a draft
		if l, ok := levelOf(a); !ok || l != 2 {
			t.Fatalf("submitted A: level %d %v", l, ok)
		}
		if _, ok := levelOf(b); ok {
			t.Fatalf("B's draft answers reached the benchmark")
		}
		if l, _ := levelOf(a); l != 2 { // read again, from what was kept
			t.Fatalf("kept level %d", l)
		}
		if _, err := s.ReturnAssessment(ctx, actor, asA.ID, "check"); err != nil {
			t.Fatal(err)
		}
		rs, _ := s.Responses(ctx, store.AllOrganisations(), asA.ID)
		four := 4
		if _, err := s.SaveResponse(ctx, actor, store.Scope{OrgID: a.ID}, asA.ID, store.Response{StandardID: "LEAD-01", Level: &four}, rs[0].Version); err != nil {
			t.Fatal(err)
		}
		if _, ok := levelOf(a); ok {
			t.Fatalf("a returned assessment still counts")
		}
		submissions(0)
		if _, err := s.SubmitAssessment(ctx, actor, store.Scope{OrgID: a.ID}, asA.ID, "Chief", "Chief Constable"); err != nil {
			t.Fatal(err)
		}
		if l, _ := levelOf(a); l != 4 {
			t.Fatalf("resubmitted level %d, want 4", l)
		}
		submissions(1)
	})
}

// TestFiguresStamp: changes benchmarks are drawn from move the stamp; a
// draft answer does not.
func TestFiguresStamp(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		set, _ := frameworks.Load()
		e := set.Edition("blwf", "2024")
		cy, err := s.CreateCycle(ctx, actor, store.Cycle{Name: "2026/27", FrameworkKey: e.Key, FrameworkVersion: e.Version, OpensOn: *day(1), ClosesOn: *day(30)})
		if err != nil {
			t.Fatal(err)
		}
		as, err := s.StartAssessment(ctx, actor, store.AllOrganisations(), store.Assessment{OrganisationID: a.ID, CycleID: cy.ID, FrameworkKey: e.Key,
			FrameworkVersion: e.Version, FrameworkSHA256: e.SHA256}, []store.Response{{StandardID: "LEAD-01"}})
		if err != nil {
			t.Fatal(err)
		}
		stamp := func() int64 {
			t.Helper()
			n, err := s.FiguresStamp(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := stamp()
		two := 2
		if _, err := s.SaveResponse(ctx, actor, store.Scope{OrgID: a.ID}, as.ID, store.Response{StandardID: "LEAD-01", Level: &two}, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddAction(ctx, actor, store.AllOrganisations(), store.Action{AssessmentID: as.ID, StandardID: "LEAD-01", What: "Plan"}); err != nil {
			t.Fatal(err)
		}
		if stamp() != before {
			t.Errorf("a draft answer and an action moved the stamp")
		}
		for _, step := range []struct {
			name   string
			change func() error
		}{
			{"submit", func() error {
				_, err := s.SubmitAssessment(ctx, actor, store.Scope{OrgID: a.ID}, as.ID, "Chief", "Chief Constable")
				return err
			}},
			{"return", func() error { _, err := s.ReturnAssessment(ctx, actor, as.ID, "check"); return err }},
			{"peer support return", func() error {
				_, err := s.SavePeerSupportReturn(ctx, actor, store.AllOrganisations(), store.PeerSupportReturn{OrganisationID: a.ID, Year: 2026, PeerSupporters: 4})
				return err
			}},
			{"workforce", func() error {
				return s.SetWorkforce(ctx, actor, store.AllOrganisations(), store.Workforce{OrganisationID: a.ID, Year: 2026, Officers: 10})
			}},
			{"bulk load mark", func() error { return s.MarkFiguresChanged(ctx) }},
		} {
			name, change := step.name, step.change
			was := stamp()
			if err := change(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if stamp() == was {
				t.Errorf("%s did not move the stamp", name)
			}
		}
	})
}
