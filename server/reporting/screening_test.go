package reporting

import (
	"context"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestScreeningIsOneFigure: the register page, the benchmark report, the
// business case and the last point of its trend show the same screening
// compliance for every organisation, rounded the same way and counted on
// the same day.
func TestScreeningIsOneFigure(t *testing.T) {
	set := loadFrameworks(t)
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		rs, _, f := twelveOrganisations(t, st, set, 2) // two cycles, for the business case's trend
		compared := 0
		for _, o := range f.Orgs {
			rows, err := rs.RegisterRows(ctx, store.AllOrganisations(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			page := rs.ScreeningNow(rows)
			r, err := rs.OrgReport(ctx, o.Organisation, f)
			if err != nil {
				t.Fatal(err)
			}
			var shown string
			label := r.metric(metricScreening).Label
			for _, p := range rs.BenchmarkReport(r).Provision {
				if p.Label == label {
					shown = p.Value.Format(p.Decimals) + "%"
				}
			}
			in, err := rs.businessCaseInputs(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			business := in.ScreeningCompliance().Format(0) + "%"
			last := in.ScreeningTrend[len(in.ScreeningTrend)-1]
			trend := last.Value.Format(0) + "%"
			if page.Due == 0 {
				continue
			}
			compared++
			if page.Text() != shown || shown != business || business != trend {
				t.Errorf("%s: register %s, benchmark %s, business case %s, trend %s (%q)", o.Name, page.Text(), shown, business, trend, last.Label)
			}
			if !page.AsAt.Equal(f.AsAt) || !in.ScreeningAsAt.Equal(f.AsAt) {
				t.Errorf("%s: counted on %v (register) and %v (business case), figures as at %v", o.Name, page.AsAt, in.ScreeningAsAt, f.AsAt)
			}
		}
		if compared < 6 {
			t.Fatalf("only %d organisations have people in high or very high risk roles: the test shows little", compared)
		}
	})
}

// TestScreeningAsTheRegisterStood: a past point counts each role with its
// latest version reviewed by that day, and only roles then banded high or
// very high.
func TestScreeningAsTheRegisterStood(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	high := map[string]bool{"high": true, "very_high": true}
	versions := []store.RoleAssessment{
		{RoleID: "a", OverallBand: "high", Headcount: 10, PeopleScreened: 4, ReviewedOn: day(1)},
		{RoleID: "a", OverallBand: "high", Headcount: 10, PeopleScreened: 9, ReviewedOn: day(20)},
		{RoleID: "b", OverallBand: "medium", Headcount: 50, PeopleScreened: 0, ReviewedOn: day(2)},
		{RoleID: "b", OverallBand: "very_high", Headcount: 30, PeopleScreened: 15, ReviewedOn: day(25)},
	}
	for _, c := range []struct {
		at             time.Time
		due, screened  int
		text, asAtWord string
	}{
		{day(10), 10, 4, "40%", "10 March 2025"},
		{day(20), 10, 9, "90%", "20 March 2025"},
		{day(31), 40, 24, "60%", "31 March 2025"},
	} {
		got := screeningAt(versions, high, c.at.Add(15*time.Hour))
		if got.Due != c.due || got.Screened != c.screened || got.Text() != c.text || got.AsAt.Format("2 January 2006") != c.asAtWord {
			t.Errorf("at %s: %+v (%s), want %d of %d (%s)", c.asAtWord, got, got.Text(), c.screened, c.due, c.text)
		}
	}
	if none := screeningAt(versions, high, day(1).AddDate(0, 0, -1)); none.Text() != "no figure" || none.Value().Ok() {
		t.Errorf("before any review: %+v", none)
	}
}
