package seed

import (
	"context"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// levelsSum totals every level given, to compare two demo loads.
func levelsSum(t *testing.T, st *store.Store) (sum, answered int) {
	ctx := context.Background()
	all, err := st.ListAssessments(ctx, store.AllOrganisations())
	if err != nil {
		t.Fatal(err)
	}
	for _, as := range all {
		rs, _ := st.Responses(ctx, store.AllOrganisations(), as.ID)
		for _, r := range rs {
			if r.Level != nil {
				sum += *r.Level
				answered++
			}
		}
	}
	return sum, answered
}

func TestDemoIsCompleteAndRepeatable(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	var first [2]int
	for i := range 2 {
		st := storetest.Open(t, store.DialectSQLite)
		ctx := context.Background()
		accounts, err := Demo(ctx, st, set, now)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[string]bool{}
		for _, a := range accounts {
			roles[a.Role] = true
		}
		if len(roles) != len(store.Roles) {
			t.Errorf("demo accounts cover roles %v", roles)
		}
		orgs, _ := st.ListOrganisations(ctx, store.AllOrganisations())
		police := 0
		for _, o := range orgs {
			if o.Sector == "police" && o.Region != "National" && o.Nation != "Scotland" && o.Nation != "Northern Ireland" {
				police++
			}
		}
		if police != 43 {
			t.Errorf("%d territorial police forces, want 43", police)
		}
		cycles, _ := st.Cycles(ctx)
		if len(cycles) != 3 || cycles[0].Name != "2026/27" || cycles[0].Status != store.CycleOpen || cycles[2].FrameworkVersion != "2017" {
			t.Fatalf("cycles = %+v", cycles)
		}
		status := map[string]int{}
		all, _ := st.ListAssessments(ctx, store.AllOrganisations())
		for _, as := range all {
			status[as.Status]++
		}
		if status[store.StatusValidated] == 0 || status[store.StatusSubmitted] == 0 || status[store.StatusDraft] == 0 {
			t.Errorf("statuses lack variety: %v", status)
		}
		reg, _ := st.RoleRegister(ctx, store.AllOrganisations(), orgs[0].ID)
		if len(reg) == 0 {
			t.Error("the demo's first organisation has no role risk register")
		}
		// Registers use their sector's roles, frontline cadres in the hundreds
		// or more and specialist ones in tens, and programme roles have
		// screening cohorts due within their cadence.
		cur := set.RiskModel("psych-risk", "2027.1")
		editions := map[string]int{}
		for _, org := range orgs {
			reg, _ := st.RoleRegister(ctx, store.AllOrganisations(), org.ID)
			for _, ra := range reg {
				editions[ra.ModelVersion]++
				role, _ := set.RiskModel(ra.ModelKey, ra.ModelVersion).Role(ra.RoleID)
				if !frameworks.InSector(role.Sectors, org.Sector) {
					t.Errorf("%s (%s) has role %s of sectors %v", org.Slug, org.Sector, role.ID, role.Sectors)
				}
				if ra.ModelVersion != cur.Version {
					continue
				}
				switch role.Group {
				case frameworks.GroupFirstResponder:
					if ra.Headcount < 40 {
						t.Errorf("%s %s: %d frontline people", org.Slug, role.ID, ra.Headcount)
					}
				case frameworks.GroupSpecialist:
					if ra.Headcount > 99 {
						t.Errorf("%s %s: %d in a specialist cadre", org.Slug, role.ID, ra.Headcount)
					}
				}
				if role.Screening == nil {
					continue
				}
				periodic := false
				for _, co := range ra.Cohorts {
					if co.Cohort == frameworks.CohortPeriodic {
						periodic = true
						if co.LastScreenedOn == nil || co.DueOn == nil || co.DueOn.After(co.LastScreenedOn.AddDate(0, role.Screening.PeriodicMonths, 0)) || co.Screened > co.PeopleDue || co.PeopleDue > ra.Headcount {
							t.Errorf("%s %s periodic cohort %+v", org.Slug, role.ID, co)
						}
					}
				}
				if !periodic {
					t.Errorf("%s %s: a screening programme role with no periodic cohort", org.Slug, role.ID)
				}
			}
		}
		if editions["2027.1"] == 0 || editions["2026.1"] == 0 {
			t.Errorf("registers by edition: %v; want most on 2027.1 and some still on 2026.1", editions)
		}
		// Provision: OK9 schemes with deployments, returns, vans, and both
		// mutual-aid episodes.
		counts, err := st.ProvisionCountsFor(ctx, store.AllOrganisations(), now.Year())
		if err != nil {
			t.Fatal(err)
		}
		schemes, dogs, deployments, returns, vans := 0, 0, 0, 0, 0
		for _, c := range counts {
			if c.ActiveDogs > 0 {
				schemes++
			}
			dogs += c.ActiveDogs
			deployments += c.Deployments
			vans += c.VanChecks
			if c.Return != nil {
				returns++
			}
		}
		if schemes < 20 || dogs < 60 || deployments < 200 || vans == 0 || returns < 50 || returns == len(orgs) {
			t.Errorf("provision: %d schemes, %d active dogs, %d deployments, %d van checks, %d of %d returns", schemes, dogs, deployments, vans, returns, len(orgs))
		}
		reqs, _ := st.AidRequests(ctx, store.AllOrganisations())
		if len(reqs) != 2 || reqs[0].Status != store.AidOpen || len(reqs[0].Offers) != 1 || reqs[0].Offers[0].Status != store.OfferMade ||
			reqs[1].Status != store.AidClosed || reqs[1].DogsAccepted() != 1 {
			t.Errorf("mutual aid = %+v", reqs)
		}
		sum, answered := levelsSum(t, st)
		sum += deployments
		if i == 0 {
			first = [2]int{sum, answered}
		} else if first != [2]int{sum, answered} {
			t.Errorf("two demo loads differ: %v then %v", first, [2]int{sum, answered})
		}
	}
}

func TestSyntheticData(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := Synthetic(ctx, st, set, 12, 3, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		orgs, _ := st.ListOrganisations(ctx, store.AllOrganisations())
		cycles, _ := st.Cycles(ctx)
		all, _ := st.ListAssessments(ctx, store.AllOrganisations())
		if len(orgs) != 12 || len(cycles) != 3 || len(all) != 36 || cycles[0].Status != store.CycleOpen {
			t.Fatalf("%d organisations, %d cycles, %d assessments", len(orgs), len(cycles), len(all))
		}
		rs, _ := st.Responses(ctx, store.AllOrganisations(), all[0].ID)
		if len(rs) != len(set.Framework("blwf", "2024").Standards()) || rs[0].Level == nil {
			t.Errorf("%d responses in an assessment", len(rs))
		}
		// Every organisation has a risk register whose bands follow its
		// hazards, OK9 dogs with handlers and peer support returns.
		model := set.RiskModel("psych-risk", "2026.1")
		reg, _ := st.RoleRegister(ctx, store.AllOrganisations(), orgs[0].ID)
		if len(reg) != 4 || len(reg[0].Hazards) != 2 {
			t.Fatalf("register: %d roles", len(reg))
		}
		for _, ra := range reg {
			worst := 0
			for _, h := range ra.Hazards {
				if b, _ := model.Band(frameworks.Rating{Likelihood: h.ResidualL, Severity: h.ResidualS}); b.Rank > worst {
					worst = b.Rank
				}
			}
			if b, _ := bandByKey(model, ra.OverallBand); b.Rank != worst {
				t.Errorf("role %s band %s does not follow its hazards", ra.RoleID, ra.OverallBand)
			}
		}
		counts, _ := st.ProvisionCountsFor(ctx, store.AllOrganisations(), 2026)
		if c := counts[orgs[0].ID]; c == nil || c.ActiveDogs != 2 || c.Handlers != 2 || c.Return == nil {
			t.Errorf("provision: %+v", c)
		}
	})
}

func bandByKey(m *frameworks.RiskModel, key string) (frameworks.Band, bool) {
	for _, b := range m.Bands {
		if b.Key == key {
			return b, true
		}
	}
	return frameworks.Band{}, false
}
