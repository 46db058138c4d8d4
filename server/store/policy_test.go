package store_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestChangesNeedPermission has everyone try every kind of change the store
// guards itself: answers and actions by area, the role risk register and
// provision records. The store must refuse, whoever calls it, anyone the
// change is not theirs to make, and an actor whose role it does not know.
func TestChangesNeedPermission(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	const owner, leadership, risk, provision = "owner", "leadership contributor", "risk contributor", "provision contributor"
	people := map[string]store.Actor{
		owner:            {UserID: 1, Role: store.RoleOwner, Label: "Owner"},
		leadership:       {UserID: 2, Role: store.RoleContributor, Sections: []string{store.AreaSection("LEAD")}, Label: "Lead"},
		risk:             {UserID: 3, Role: store.RoleContributor, Sections: []string{store.SectionRiskRegister}, Label: "Risk"},
		provision:        provisionContributor,
		"viewer":         {UserID: 4, Role: store.RoleViewer, Label: "Viewer"},
		"national admin": {UserID: 5, Role: store.RoleNationalAdmin, Label: "Admin"},
		"nobody":         {},
		"unknown role":   {UserID: 6, Role: "superuser", Sections: []string{store.AreaSection("LEAD"), store.SectionProvision}},
	}
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.UseFrameworks(set)
		org, _ := twoOrgs(t, s)
		sc := store.Scope{OrgID: org.ID}
		now := s.Now()
		cycle, err := s.CreateCycle(ctx, actor, store.Cycle{Name: "2026/27", FrameworkKey: "blwf", FrameworkVersion: "2024", OpensOn: now.AddDate(0, 0, -1), ClosesOn: now.AddDate(0, 3, 0)})
		if err != nil {
			t.Fatal(err)
		}
		as, err := s.StartAssessment(ctx, actor, sc, store.Assessment{OrganisationID: org.ID, CycleID: cycle.ID, FrameworkKey: "blwf", FrameworkVersion: "2024", FrameworkSHA256: "abc"},
			[]store.Response{{StandardID: "LEAD-01"}, {StandardID: "MH-06"}})
		if err != nil {
			t.Fatal(err)
		}
		version := func(standard string) int {
			rs, err := s.Responses(ctx, sc, as.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				if r.StandardID == standard {
					return r.Version
				}
			}
			t.Fatalf("no response to %s", standard)
			return 0
		}
		mhAction, err := s.AddAction(ctx, actor, sc, store.Action{AssessmentID: as.ID, StandardID: "MH-06", What: "Screen the firearms team"})
		if err != nil {
			t.Fatal(err)
		}
		orgID := org.ID
		uploader, err := s.CreateUser(ctx, actor, sc, store.User{OrganisationID: &orgID, Email: "owner@alpha.example", DisplayName: "Owner", Role: store.RoleOwner})
		if err != nil {
			t.Fatal(err)
		}
		n := 0 // makes each new record distinct
		changes := []struct {
			name    string
			allowed []string
			change  func(a store.Actor) error
		}{
			{"answer a leadership standard", []string{owner, leadership}, func(a store.Actor) error {
				_, err := s.SaveResponse(ctx, a, sc, as.ID, store.Response{StandardID: "LEAD-01", Level: intp(2)}, version("LEAD-01"))
				return err
			}},
			{"answer a mental health standard", []string{owner}, func(a store.Actor) error {
				_, err := s.SaveResponse(ctx, a, sc, as.ID, store.Response{StandardID: "MH-06", Level: intp(2)}, version("MH-06"))
				return err
			}},
			{"add a leadership action", []string{owner, leadership}, func(a store.Actor) error {
				_, err := s.AddAction(ctx, a, sc, store.Action{AssessmentID: as.ID, StandardID: "LEAD-01", What: "Brief the board"})
				return err
			}},
			{"add a mental health action", []string{owner}, func(a store.Actor) error {
				_, err := s.AddAction(ctx, a, sc, store.Action{AssessmentID: as.ID, StandardID: "MH-06", What: "Brief the board"})
				return err
			}},
			{"move a mental health action on", []string{owner}, func(a store.Actor) error {
				return s.SetActionStatus(ctx, a, sc, as.ID, mhAction.ID, "in progress")
			}},
			{"apply a workbook with a mental health answer", []string{owner}, func(a store.Actor) error {
				up, err := s.SaveUpload(ctx, sc, store.WorkbookUpload{AssessmentID: as.ID, UserID: uploader.ID, Data: []byte("x"), Versions: map[string]int{"MH-06": version("MH-06")}})
				if err != nil {
					return err
				}
				return s.ApplyWorkbook(ctx, a, sc, up, []store.Response{{StandardID: "MH-06", Level: intp(3)}}, nil)
			}},
			{"add a local role to the risk register", []string{owner, risk}, func(a store.Actor) error {
				n++
				_, err := s.CreateLocalRole(ctx, a, sc, store.LocalRole{OrganisationID: org.ID, RoleID: "LOCAL-" + strconv.Itoa(n), Name: "Team " + strconv.Itoa(n), Hazards: []string{"H1"}})
				return err
			}},
			{"review a role on the risk register", []string{owner, risk}, func(a store.Actor) error {
				_, err := s.SaveRoleAssessment(ctx, a, sc, roleAssessment(org, "high", now))
				return err
			}},
			{"request a wellbeing van", []string{owner, provision}, func(a store.Actor) error {
				_, err := s.RequestVan(ctx, a, sc, vanRequest(org.ID, now.AddDate(0, 1, 0)))
				return err
			}},
			{"withdraw a van request", []string{owner, provision}, func(a store.Actor) error {
				r, err := s.RequestVan(ctx, actor, sc, vanRequest(org.ID, now.AddDate(0, 1, 0)))
				if err != nil {
					return err
				}
				_, err = s.WithdrawVanRequest(ctx, a, sc, r.ID)
				return err
			}},
			{"add a van to the fleet", []string{"national admin"}, func(a store.Actor) error {
				n++
				_, err := s.SaveVan(ctx, a, store.Van{Name: "Fleet van " + strconv.Itoa(n), InService: true})
				return err
			}},
			{"schedule a van", []string{"national admin"}, func(a store.Actor) error {
				n++
				van, err := s.SaveVan(ctx, actor, store.Van{Name: "Booked van " + strconv.Itoa(n), InService: true})
				if err != nil {
					return err
				}
				r, err := s.RequestVan(ctx, actor, sc, vanRequest(org.ID, now.AddDate(0, 1, 0)))
				if err != nil {
					return err
				}
				_, err = s.ScheduleVan(ctx, a, r.ID, van.ID)
				return err
			}},
			{"record what a van delivered", []string{"national admin"}, func(a store.Actor) error {
				n++
				van, err := s.SaveVan(ctx, actor, store.Van{Name: "Delivering van " + strconv.Itoa(n), InService: true})
				if err != nil {
					return err
				}
				r, err := s.RequestVan(ctx, actor, sc, vanRequest(org.ID, now.AddDate(0, 0, -3)))
				if err != nil {
					return err
				}
				if _, err := s.ScheduleVan(ctx, actor, r.ID, van.ID); err != nil {
					return err
				}
				_, err = s.RecordVanDelivery(ctx, a, r.ID, store.VanDelivery{HealthChecks: 3})
				return err
			}},
			{"add an OK9 dog", []string{owner, provision}, func(a store.Actor) error {
				n++
				_, err := s.SaveOK9Dog(ctx, a, sc, store.OK9Dog{OrganisationID: org.ID, CallName: "Dog " + strconv.Itoa(n), Status: store.DogTraining})
				return err
			}},
			{"make a peer support return", []string{owner, provision}, func(a store.Actor) error {
				_, err := s.SavePeerSupportReturn(ctx, a, sc, store.PeerSupportReturn{OrganisationID: org.ID, Year: now.Year(), PeerSupporters: 4})
				return err
			}},
		}
		for _, ch := range changes {
			for name, a := range people {
				err := ch.change(a)
				switch {
				case slices.Contains(ch.allowed, name) && err != nil:
					t.Errorf("%s may %s, but: %v", name, ch.name, err)
				case !slices.Contains(ch.allowed, name) && apperr.Code(err) != apperr.EFORBIDDEN:
					t.Errorf("%s may not %s, but got %v", name, ch.name, err)
				}
			}
		}
	})
}

// TestContributorsNeedTheFrameworks: until the store knows the editions it
// cannot place a standard in an area, so a contributor's answer is
// refused, and an owner's is not.
func TestContributorsNeedTheFrameworks(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, _, _, as := startOne(t, s)
		sc := store.Scope{OrgID: org.ID}
		contributor := store.Actor{Role: store.RoleContributor, Sections: []string{store.AreaSection("LEAD")}}
		if _, err := s.SaveResponse(ctx, contributor, sc, as.ID, store.Response{StandardID: "S2", Level: intp(1)}, 1); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("a contributor answered a standard the store cannot place: %v", err)
		}
		if _, err := s.SaveResponse(ctx, store.Actor{Role: store.RoleOwner}, sc, as.ID, store.Response{StandardID: "S2", Level: intp(1)}, 1); err != nil {
			t.Errorf("the owner could not answer: %v", err)
		}
	})
}
