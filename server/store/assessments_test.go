package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func intp(v int) *int { return &v }

func startOne(t *testing.T, s *store.Store) (store.Organisation, store.Organisation, store.Cycle, store.Assessment) {
	t.Helper()
	ctx := context.Background()
	a, b := twoOrgs(t, s)
	now := s.Now()
	c, err := s.CreateCycle(ctx, actor, store.Cycle{Name: "2026/27", FrameworkKey: "blwf", FrameworkVersion: "2024", OpensOn: now.Add(-time.Hour), ClosesOn: now.Add(90 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	seed := []store.Response{{StandardID: "S1", Level: intp(2), CarriedForward: true}, {StandardID: "S2"}}
	as, err := s.StartAssessment(ctx, actor, store.Scope{OrgID: a.ID}, store.Assessment{OrganisationID: a.ID, CycleID: c.ID, FrameworkKey: "blwf", FrameworkVersion: "2024", FrameworkSHA256: "abc"}, seed)
	if err != nil {
		t.Fatal(err)
	}
	return a, b, c, as
}

func TestAssessmentLifecycle(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b, c, as := startOne(t, s)
		aScope := store.Scope{OrgID: a.ID}

		if _, err := s.StartAssessment(ctx, actor, aScope, store.Assessment{OrganisationID: a.ID, CycleID: c.ID, FrameworkKey: "blwf", FrameworkVersion: "2024", FrameworkSHA256: "abc"}, nil); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("second assessment in a cycle: %v", err)
		}
		if _, err := s.AssessmentByID(ctx, store.Scope{OrgID: b.ID}, as.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B read A's assessment: %v", err)
		}
		if _, err := s.SaveResponse(ctx, actor, store.Scope{OrgID: b.ID}, as.ID, store.Response{StandardID: "S2", Level: intp(1)}, 1); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B saved A's response: %v", err)
		}

		// Optimistic locking: the second save from the same old copy is refused.
		saved, err := s.SaveResponse(ctx, actor, aScope, as.ID, store.Response{StandardID: "S1", Level: intp(3), Evidence: "mine"}, 1)
		if err != nil || saved.Version != 2 || saved.CarriedForward || *saved.Level != 3 {
			t.Fatalf("first save: %+v %v", saved, err)
		}
		_, err = s.SaveResponse(ctx, actor, aScope, as.ID, store.Response{StandardID: "S1", Level: intp(0), Evidence: "theirs"}, 1)
		var conflict *store.ConflictError
		if !errors.As(err, &conflict) || apperr.Code(err) != apperr.ECONFLICT || conflict.Current.Evidence != "mine" || conflict.Current.Version != 2 {
			t.Fatalf("stale save: %v", err)
		}

		if _, err := s.AddAction(ctx, actor, aScope, store.Action{AssessmentID: as.ID, StandardID: "S9", What: "x"}); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("action on an unknown standard: %v", err)
		}
		act, err := s.AddAction(ctx, actor, aScope, store.Action{AssessmentID: as.ID, StandardID: "S2", What: "Train supervisors", Owner: "Head of HR"})
		if err != nil || act.Status != "planned" {
			t.Fatalf("add action: %+v %v", act, err)
		}

		sub, err := s.SubmitAssessment(ctx, actor, aScope, as.ID, "Chief Constable A", "Chief Constable")
		if err != nil || sub.Status != store.StatusSubmitted || sub.SignedOffAt == nil {
			t.Fatalf("submit: %+v %v", sub, err)
		}
		if _, err := s.SaveResponse(ctx, actor, aScope, as.ID, store.Response{StandardID: "S2", Level: intp(1)}, 1); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("saved into a submitted assessment: %v", err)
		}
		if _, err := s.SubmitAssessment(ctx, actor, aScope, as.ID, "x", "y"); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("submitted twice: %v", err)
		}
		ret, err := s.ReturnAssessment(ctx, actor, as.ID, "Please add evidence for S2")
		if err != nil || ret.Status != store.StatusReturned || ret.ReturnedComment == "" {
			t.Fatalf("return: %+v %v", ret, err)
		}
		if _, err := s.SaveResponse(ctx, actor, aScope, as.ID, store.Response{StandardID: "S2", Level: intp(1)}, 1); err != nil {
			t.Errorf("returned assessment not editable: %v", err)
		}
		if _, err := s.SubmitAssessment(ctx, actor, aScope, as.ID, "Chief Constable A", "Chief Constable"); err != nil {
			t.Fatal(err)
		}
		if v, err := s.ValidateAssessment(ctx, actor, as.ID); err != nil || v.Status != store.StatusValidated {
			t.Fatalf("validate: %+v %v", v, err)
		}
		events, _, _ := s.ListAudit(ctx, aScope, store.AuditFilter{EntityType: "assessment"})
		if len(events) != 5 { // start, submitted, returned, submitted, validated
			t.Errorf("%d assessment events in the trail", len(events))
		}
	})
}

func TestClosedCycleRefusesNewAssessments(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		_, b, c, _ := startOne(t, s)
		if _, err := s.UpdateCycle(ctx, actor, c.ID, time.Time{}, store.CycleClosed); err != nil {
			t.Fatal(err)
		}
		_, err := s.StartAssessment(ctx, actor, store.Scope{OrgID: b.ID}, store.Assessment{OrganisationID: b.ID, CycleID: c.ID, FrameworkKey: "blwf", FrameworkVersion: "2024", FrameworkSHA256: "abc"}, nil)
		if apperr.Code(err) != apperr.EINVALID {
			t.Errorf("started in a closed cycle: %v", err)
		}
		if _, err := s.UpdateCycle(ctx, actor, c.ID, c.OpensOn.Add(-time.Hour), store.CycleOpen); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("closing date before opening accepted: %v", err)
		}
	})
}

// BenchmarkSaveResponse measures one save of an answer with its version
// check and audit record, on each database.
func BenchmarkSaveResponse(b *testing.B) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		b.Run(dialect, func(b *testing.B) {
			s := storetest.Open(b, dialect)
			ctx := context.Background()
			org, err := s.CreateOrganisation(ctx, actor, store.Organisation{Slug: "bench", Name: "Bench", Sector: "police", Nation: "England"})
			if err != nil {
				b.Fatal(err)
			}
			now := s.Now()
			c, _ := s.CreateCycle(ctx, actor, store.Cycle{Name: "2026/27", FrameworkKey: "blwf", FrameworkVersion: "2024", OpensOn: now.Add(-time.Hour), ClosesOn: now.Add(time.Hour * 24)})
			as, err := s.StartAssessment(ctx, actor, store.Scope{OrgID: org.ID}, store.Assessment{OrganisationID: org.ID, CycleID: c.ID, FrameworkKey: "blwf", FrameworkVersion: "2024", FrameworkSHA256: "x"}, []store.Response{{StandardID: "S1"}})
			if err != nil {
				b.Fatal(err)
			}
			version := 1
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.SaveResponse(ctx, actor, store.Scope{OrgID: org.ID}, as.ID, store.Response{StandardID: "S1", Level: intp(version % 5), Evidence: "Evidence text of a typical length for one standard."}, version); err != nil {
					b.Fatal(err)
				}
				version++
			}
		})
	}
}
