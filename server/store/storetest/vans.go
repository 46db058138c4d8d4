package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// DeliveredVan records a delivered wellbeing van visit for an organisation,
// the way the app does: the organisation's request, then the national
// team's booking of a van of its own (so no booking clashes) and what the
// visit delivered.
func DeliveredVan(t testing.TB, s *store.Store, orgID int64, on time.Time, place string, d store.VanDelivery) store.VanRequest {
	t.Helper()
	ctx, sys := context.Background(), store.SystemActor("test")
	fleet, err := s.Vans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	van, err := s.SaveVan(ctx, sys, store.Van{Name: fmt.Sprintf("Test van %d", len(fleet)+1), InService: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.RequestVan(ctx, sys, store.AllOrganisations(), store.VanRequest{OrganisationID: orgID, Kind: "hotspot", StartsOn: on, EndsOn: on,
		Place: place, ExpectedAttendance: 50, Contact: "Wellbeing lead"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ScheduleVan(ctx, sys, r.ID, van.ID); err != nil {
		t.Fatal(err)
	}
	if r, err = s.RecordVanDelivery(ctx, sys, r.ID, d); err != nil {
		t.Fatal(err)
	}
	return r
}
