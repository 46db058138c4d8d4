package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// actor2 is a person of the given role.
func actor2(role string) store.Actor { return store.Actor{UserID: 2, Role: role, Label: role} }

// vanRequest is a valid request for a van on one day.
func vanRequest(orgID int64, on time.Time) store.VanRequest {
	return store.VanRequest{OrganisationID: orgID, Kind: "major_event", StartsOn: on, EndsOn: on, Place: "Headquarters",
		ExpectedAttendance: 120, Contact: "Wellbeing lead"}
}

// TestVanScheduling: a van booked for some days cannot be booked again on
// any of them; the refusal names the booking it clashes with and changes
// nothing; other vans, and the same van on other days, can be booked.
func TestVanScheduling(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		admin := store.Actor{UserID: 9, Role: store.RoleNationalAdmin, Label: "NPWS admin"}
		ok1, err := s.SaveVan(ctx, admin, store.Van{Name: "Oscar Kilo 1", Registration: "ok21 wbv", InService: true})
		if err != nil || ok1.Registration != "OK21 WBV" {
			t.Fatalf("van = %+v %v", ok1, err)
		}
		ok2 := must(s.SaveVan(ctx, admin, store.Van{Name: "Oscar Kilo 2", InService: true}))
		if _, err := s.SaveVan(ctx, admin, store.Van{Name: "oscar kilo 1"}); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("a second van of the same name: %v", err)
		}
		june := func(d int) time.Time { return time.Date(2027, 6, d, 0, 0, 0, 0, time.UTC) }
		first := vanRequest(a.ID, june(3))
		first.EndsOn = june(5)
		ra := must(s.RequestVan(ctx, actor, store.Scope{OrgID: a.ID}, first))
		rb := must(s.RequestVan(ctx, actor, store.Scope{OrgID: b.ID}, vanRequest(b.ID, june(5))))
		if ra.State != store.VanRequested {
			t.Errorf("a new request is %q", ra.State)
		}
		if _, err := s.ScheduleVan(ctx, admin, ra.ID, ok1.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.ScheduleVan(ctx, admin, rb.ID, ok1.ID)
		if apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("double booking: %v", err)
		}
		for _, want := range []string{"Oscar Kilo 1", "from 3 June 2027 to 5 June 2027", "Alpha Police", "request " + strconv.FormatInt(ra.ID, 10), "major event at Headquarters"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("the clash %q does not say %q", err, want)
			}
		}
		if got := must(s.VanRequest(ctx, store.AllOrganisations(), rb.ID)); got.State != store.VanRequested || got.VanID != nil {
			t.Errorf("the refused booking changed the request: %+v", got)
		}
		// Another van on the same day, and the same van on a day after, are free.
		if _, err := s.ScheduleVan(ctx, admin, rb.ID, ok2.ID); err != nil {
			t.Errorf("another van: %v", err)
		}
		later := must(s.RequestVan(ctx, actor, store.Scope{OrgID: b.ID}, vanRequest(b.ID, june(6))))
		if _, err := s.ScheduleVan(ctx, admin, later.ID, ok1.ID); err != nil {
			t.Errorf("the day after the booking: %v", err)
		}
		// An out-of-service van cannot be booked; a scheduled request cannot be withdrawn.
		ok2.InService = false
		must(s.SaveVan(ctx, admin, ok2))
		third := must(s.RequestVan(ctx, actor, store.Scope{OrgID: a.ID}, vanRequest(a.ID, june(20))))
		if _, err := s.ScheduleVan(ctx, admin, third.ID, ok2.ID); apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "out of service") {
			t.Errorf("out-of-service van: %v", err)
		}
		if _, err := s.WithdrawVanRequest(ctx, actor, store.Scope{OrgID: a.ID}, ra.ID); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("withdrawing a scheduled request: %v", err)
		}
		if w, err := s.WithdrawVanRequest(ctx, actor, store.Scope{OrgID: a.ID}, third.ID); err != nil || w.State != store.VanWithdrawn {
			t.Errorf("withdraw = %+v %v", w, err)
		}
		if d, err := s.DeclineVanRequest(ctx, admin, later.ID, "The van is needed in London"); err != nil || d.State != store.VanDeclined || d.VanID != nil {
			t.Errorf("decline = %+v %v", d, err)
		}
		// The calendar is the national team's.
		if _, err := s.FleetRequests(ctx, actor2(store.RoleOwner), 2027); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("an organisation read the fleet calendar: %v", err)
		}
		if all := must(s.FleetRequests(ctx, admin, 2027)); len(all) != 4 {
			t.Errorf("fleet calendar has %d requests, want 4", len(all))
		}
		// Of the four, two are booked, one withdrawn and one declined:
		// none waits until a new one comes.
		if n := must(s.VanRequestsWaiting(ctx, admin)); n != 0 {
			t.Errorf("%d requests waiting, want 0", n)
		}
		must(s.RequestVan(ctx, actor, store.Scope{OrgID: a.ID}, vanRequest(a.ID, june(28))))
		if n := must(s.VanRequestsWaiting(ctx, admin)); n != 1 {
			t.Errorf("%d requests waiting, want 1", n)
		}
		if _, err := s.VanRequestsWaiting(ctx, actor2(store.RoleOwner)); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("an owner counted the waiting requests: %v", err)
		}
	})
}

// TestVanDelivery: counts below 0 are refused naming the field and change
// nothing; delivered visits feed the provision counts, and are totalled.
func TestVanDelivery(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := twoOrgs(t, s)
		van := must(s.SaveVan(ctx, actor, store.Van{Name: "Oscar Kilo 1", InService: true}))
		r := must(s.RequestVan(ctx, actor, store.Scope{OrgID: a.ID}, vanRequest(a.ID, *day(4))))
		if _, err := s.RecordVanDelivery(ctx, actor, r.ID, store.VanDelivery{HealthChecks: 3}); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("delivery before scheduling: %v", err)
		}
		must(s.ScheduleVan(ctx, actor, r.ID, van.ID))
		for field, d := range map[string]store.VanDelivery{
			"health_checks":       {HealthChecks: -1},
			"fatigue_assessments": {FatigueAssessments: -2},
			"trauma_support":      {TraumaSupport: -1},
			"wellbeing_advice":    {WellbeingAdvice: -5},
			"referrals":           {Referrals: -1},
		} {
			_, err := s.RecordVanDelivery(ctx, actor, r.ID, d)
			if apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "("+field+") must be 0 or more") {
				t.Errorf("%s below 0: %v", field, err)
			}
		}
		if got := must(s.VanRequest(ctx, store.AllOrganisations(), r.ID)); got.State != store.VanScheduled || got.HealthChecks != 0 {
			t.Errorf("a refused delivery changed the request: %+v", got)
		}
		d, err := s.RecordVanDelivery(ctx, actor, r.ID, store.VanDelivery{HealthChecks: 40, FatigueAssessments: 12, TraumaSupport: 5, WellbeingAdvice: 30, Referrals: 2,
			Partners: " Occupational health,, Chaplaincy "})
		if err != nil || d.State != store.VanDelivered || d.Partners != "Occupational health, Chaplaincy" {
			t.Fatalf("delivery = %+v %v", d, err)
		}
		storetest.DeliveredVan(t, s, a.ID, *day(9), "Custody suite", store.VanDelivery{HealthChecks: 10, FatigueAssessments: 3})
		// A future request counts for nothing until it is delivered.
		must(s.RequestVan(ctx, actor, store.Scope{OrgID: a.ID}, vanRequest(a.ID, *day(20))))
		list := must(s.VanRequests(ctx, store.Scope{OrgID: a.ID}, a.ID, 2026))
		tot := store.TotalVans(list)
		if len(list) != 3 || tot.Visits != 2 || tot.HealthChecks != 50 || tot.TraumaSupport != 5 || tot.WellbeingAdvice != 30 || tot.PartnersOnBoard != 2 {
			t.Errorf("requests %d, totals %+v", len(list), tot)
		}
		counts := must(s.ProvisionCountsFor(ctx, store.AllOrganisations(), 2026))
		if c := counts[a.ID]; c.VanChecks != 65 || c.VanVisits != 2 {
			t.Errorf("provision counts = %+v, want 65 checks in 2 visits", c)
		}
		// Each step is in the audit trail.
		events, _, err := s.ListAudit(ctx, store.Scope{OrgID: a.ID}, store.AuditFilter{EntityType: "van_request", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range events {
			seen[e.Action] = true
		}
		for _, act := range []string{"van.request", "van.schedule", "van.deliver"} {
			if !seen[act] {
				t.Errorf("no %s in the audit trail", act)
			}
		}
	})
}

// TestVanRequestTenancy: another organisation can neither see nor change a
// request; a viewer cannot request a van.
func TestVanRequestTenancy(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		scA, scB := store.Scope{OrgID: a.ID}, store.Scope{OrgID: b.ID}
		r := must(s.RequestVan(ctx, actor, scA, vanRequest(a.ID, *day(20))))
		if _, err := s.VanRequest(ctx, scB, r.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B read A's request: %v", err)
		}
		if l := must(s.VanRequests(ctx, scB, a.ID, 2026)); len(l) != 0 {
			t.Errorf("B listed A's requests: %+v", l)
		}
		if _, err := s.WithdrawVanRequest(ctx, actor, scB, r.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B withdrew A's request: %v", err)
		}
		if _, err := s.RequestVan(ctx, actor, scB, vanRequest(a.ID, *day(21))); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("B requested a van in A's name: %v", err)
		}
		viewer := store.Actor{UserID: 4, OrgID: a.ID, Role: store.RoleViewer, Label: "Viewer"}
		if _, err := s.RequestVan(ctx, viewer, scA, vanRequest(a.ID, *day(21))); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("a viewer requested a van: %v", err)
		}
		if got := must(s.VanRequest(ctx, scA, r.ID)); got.State != store.VanRequested {
			t.Errorf("A's request is now %q", got.State)
		}
		if l := must(s.VanRequests(ctx, scA, a.ID, 2026)); len(l) != 1 {
			t.Errorf("A has %d requests, want 1", len(l))
		}
	})
}

// TestOldVanVisitsImport: an export file written before the fleet has
// van_visits and no van_requests; its visits come in as delivered
// requests with no van, and count in the provision figures.
func TestOldVanVisitsImport(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx, other := context.Background(), s
		a, _ := twoOrgs(t, s)
		storetest.DeliveredVan(t, s, a.ID, *day(4), "Custody suite", store.VanDelivery{HealthChecks: 1})
		e := must(s.ExportOrg(ctx, a.Slug))
		data := must(json.Marshal(e))
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		delete(doc, "van_requests")
		doc["organisation"].(map[string]any)["slug"], doc["organisation"].(map[string]any)["name"] = "alpha-old", "Alpha Old Police"
		delete(doc, "people") // their emails are taken here
		doc["people"] = []any{}
		doc["van_visits"] = []map[string]any{{"visited_on": "2026-06-14T00:00:00Z", "location": "Taunton fire station", "health_checks": 22,
			"fatigue_assessments": 9, "referrals": 2, "created_by": "Owner", "created_at": "2026-06-15T09:00:00Z"}}
		old := must(json.Marshal(doc))
		back, err := store.DecodeExport(bytes.NewReader(old))
		if err != nil {
			t.Fatalf("an old file does not decode: %v", err)
		}
		if _, err := other.ImportOrg(ctx, actor, back); err != nil {
			t.Fatal(err)
		}
		org := must(other.OrganisationBySlug(ctx, store.AllOrganisations(), "alpha-old"))
		list := must(other.VanRequests(ctx, store.AllOrganisations(), org.ID, 2026))
		if len(list) != 1 || list[0].State != store.VanDelivered || list[0].Place != "Taunton fire station" || list[0].HealthChecks != 22 || list[0].VanID != nil {
			t.Fatalf("imported visits = %+v", list)
		}
		if c := must(other.ProvisionCountsFor(ctx, store.AllOrganisations(), 2026))[org.ID]; c.VanChecks != 31 || c.VanVisits != 1 {
			t.Errorf("imported counts = %+v", c)
		}
	})
}

// TestVanVisitsMigrate: the van visits organisations recorded before the
// fleet become delivered requests with their counts and no van, and still
// count in the provision figures.
func TestVanVisitsMigrate(t *testing.T) {
	storetest.ForEachDialectBare(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.MigrateUpTo(ctx, 19); err != nil {
			t.Fatal(err)
		}
		a, _ := twoOrgs(t, s)
		visited, created := time.Date(2026, 6, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
		if err := s.ExecSQL(ctx, "INSERT INTO van_visits (organisation_id, visited_on, location, health_checks, fatigue_assessments, referrals, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			a.ID, visited, "Taunton fire station", 22, 9, 2, "Owner", created); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		list := must(s.VanRequests(ctx, store.AllOrganisations(), a.ID, 2026))
		if len(list) != 1 {
			t.Fatalf("migrated requests = %+v", list)
		}
		r := list[0]
		if r.State != store.VanDelivered || r.Place != "Taunton fire station" || !r.StartsOn.Equal(visited) || !r.EndsOn.Equal(visited) || r.VanID != nil ||
			r.HealthChecks != 22 || r.FatigueAssessments != 9 || r.Referrals != 2 || r.CreatedBy != "Owner" {
			t.Errorf("migrated visit = %+v", r)
		}
		if c := must(s.ProvisionCountsFor(ctx, store.AllOrganisations(), 2026))[a.ID]; c.VanChecks != 31 || c.VanVisits != 1 {
			t.Errorf("counts after the migration = %+v", c)
		}
	})
}

// TestVanBookingRace: two national admins booking the same van for
// overlapping requests at the same moment: exactly one booking stands.
func TestVanBookingRace(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		van := must(s.SaveVan(ctx, actor, store.Van{Name: "Oscar Kilo 1", InService: true}))
		for round := range 5 {
			on := time.Date(2027, 3, 1+round*3, 0, 0, 0, 0, time.UTC)
			ra := must(s.RequestVan(ctx, actor, store.Scope{OrgID: a.ID}, vanRequest(a.ID, on)))
			rb := must(s.RequestVan(ctx, actor, store.Scope{OrgID: b.ID}, vanRequest(b.ID, on)))
			errs := make(chan error, 2)
			for _, id := range []int64{ra.ID, rb.ID} {
				go func() {
					_, err := s.ScheduleVan(ctx, actor, id, van.ID)
					errs <- err
				}()
			}
			booked, clashed := 0, 0
			for range 2 {
				switch err := <-errs; {
				case err == nil:
					booked++
				case apperr.Code(err) == apperr.ECONFLICT:
					clashed++
				default:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if booked != 1 || clashed != 1 {
				t.Errorf("round %d: %d booked, %d refused; want one of each", round, booked, clashed)
			}
		}
	})
}
