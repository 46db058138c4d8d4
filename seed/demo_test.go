package seed

import (
	"context"
	"slices"
	"strings"
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
		// Each cycle on the edition current when it opened: 2023/24 on the
		// first edition, from 2024/25 (the third edition is dated February
		// 2024) on the 2024 edition.
		if len(cycles) != 4 || cycles[0].Name != "2026/27" || cycles[0].Status != store.CycleOpen || cycles[3].Name != "2023/24" || cycles[3].FrameworkVersion != "2017" ||
			cycles[2].Name != "2024/25" || cycles[2].FrameworkVersion != "2024" {
			t.Fatalf("cycles = %+v", cycles)
		}
		status := map[string]int{}
		all, _ := st.ListAssessments(ctx, store.AllOrganisations())
		sectorOf, takers := map[int64]string{}, map[string]map[int64]bool{"police": {}, "fire": {}, "ambulance": {}}
		for _, o := range orgs {
			sectorOf[o.ID] = o.Sector
		}
		for _, as := range all {
			status[as.Status]++
			takers[sectorOf[as.OrganisationID]][as.OrganisationID] = true
		}
		// BLWF returns as adoption suggests: nearly every police force,
		// most fire services, few ambulance services.
		if p, f, a := len(takers["police"]), len(takers["fire"]), len(takers["ambulance"]); p < 45 || f < 7 || f > 11 || a < 1 || a > 4 {
			t.Errorf("organisations with BLWF returns: %d police, %d fire, %d ambulance", p, f, a)
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
		// The NPWS van fleet: four vans, requests from organisations of
		// every sector, most delivered with counts, some booked or waiting.
		fleet, _ := st.Vans(ctx)
		calendar, err := st.FleetRequests(ctx, store.SystemActor("test"), now.Year())
		if err != nil {
			t.Fatal(err)
		}
		states, sectors := map[string]int{}, map[string]bool{}
		sectorByOrg := map[int64]string{}
		for _, o := range orgs {
			sectorByOrg[o.ID] = o.Sector
		}
		for _, r := range calendar {
			states[r.State]++
			if r.State == store.VanDelivered {
				sectors[sectorByOrg[r.OrganisationID]] = true
				if r.HealthChecks == 0 || r.VanID == nil {
					t.Errorf("a delivered demo visit has no checks or no van: %+v", r)
				}
			}
		}
		if len(fleet) != 4 || states[store.VanDelivered] < 30 || states[store.VanScheduled] == 0 || states[store.VanRequested] == 0 || len(sectors) != 3 {
			t.Errorf("van fleet: %d vans, requests by state %v, delivered in sectors %v", len(fleet), states, sectors)
		}
		reqs, _ := st.AidRequests(ctx, store.AllOrganisations())
		if len(reqs) != 2 || reqs[0].Status != store.AidOpen || len(reqs[0].Offers) != 1 || reqs[0].Offers[0].Status != store.OfferMade ||
			reqs[1].Status != store.AidClosed || reqs[1].DogsAccepted() != 1 {
			t.Errorf("mutual aid = %+v", reqs)
		}
		if i == 0 {
			checkDemoProvision(t, st, set, orgs, now)
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

// TestDemoRegions: every organisation sits in a region of its own sector's
// grouping: the police regions only for police forces, the English regions
// for fire and ambulance services in England, the nation elsewhere.
func TestDemoRegions(t *testing.T) {
	policeOnly := map[string]bool{"Eastern": true, "National": true}
	english := map[string]bool{"North West": true, "North East": true, "Yorkshire and the Humber": true, "East Midlands": true, "West Midlands": true,
		"East of England": true, "South East": true, "South West": true, "London": true}
	for _, o := range Organisations {
		switch {
		case o.Nation != "England" && o.Nation != "UK-wide" && o.Region != o.Nation:
			t.Errorf("%s in %s sits in region %q", o.Name, o.Nation, o.Region)
		case o.Sector != "police" && policeOnly[o.Region]:
			t.Errorf("%s (%s) sits in the police region %q", o.Name, o.Sector, o.Region)
		case o.Sector != "police" && o.Nation == "England" && !english[o.Region]:
			t.Errorf("%s sits in %q, not an English region", o.Name, o.Region)
		}
	}
	for slug, want := range map[string]string{"kfrs": "South East", "ecfrs": "East of England", "eeast": "East of England", "kent": "Eastern", "essex": "Eastern"} {
		for _, o := range Organisations {
			if o.Slug == slug && o.Region != want {
				t.Errorf("%s region %q, want %q", o.Name, o.Region, want)
			}
		}
	}
}

// checkDemoProvision holds the demo's provision to what a practitioner
// would believe: handlers named by their own sector's ranks, vans at places
// of the organisation's own kind, TRiM practitioners in proportion to the
// workforce and steady from year to year, deployments only by handlers who
// pass the gates, and a few schemes out of good standing.
func checkDemoProvision(t *testing.T, st *store.Store, set *frameworks.Set, orgs []store.Organisation, now time.Time) {
	t.Helper()
	ctx, all := context.Background(), store.AllOrganisations()
	policy := set.WelfarePolicy()
	sectorOf := map[string]string{}
	for _, o := range Organisations {
		sectorOf[o.Slug] = o.Sector
	}
	handlersSeen, deploymentsSeen := 0, 0
	for _, org := range orgs {
		handlers, _ := st.OK9Handlers(ctx, all, org.ID)
		byID := map[int64]store.OK9Handler{}
		for _, h := range handlers {
			handlersSeen++
			byID[h.ID] = h
			ok := false
			for _, rank := range handlerRanks[org.Sector] {
				ok = ok || strings.HasPrefix(h.DisplayName, rank+" ")
			}
			if !ok {
				t.Errorf("%s's handler %q is not named by a %s rank", org.Name, h.DisplayName, org.Sector)
			}
		}
		dogs, _ := st.OK9Dogs(ctx, all, org.ID)
		dogByID := map[int64]store.OK9Dog{}
		for _, d := range dogs {
			dogByID[d.ID] = d
		}
		deps, _ := st.OK9Deployments(ctx, all, org.ID, now.AddDate(-1, 0, 0), now)
		for _, d := range deps {
			if d.OrganisationID != org.ID {
				continue // hosted through mutual aid: the lender's record
			}
			deploymentsSeen++
			if fails := store.HandlerGates(policy, d.DeployedOn, byID[d.HandlerID], dogByID[d.DogIDs[0]]); len(fails) > 0 && d.GateOverrideReason == "" {
				t.Errorf("%s deployed %s who fails %v", org.Name, byID[d.HandlerID].DisplayName, fails)
			}
		}
		visits, _ := st.VanRequests(ctx, all, org.ID, now.Year())
		for _, v := range visits {
			cut := strings.LastIndex(v.Place, ", ")
			kind, town := v.Place[:max(cut, 0)], v.Place[cut+2:]
			if !slices.Contains(vanPlaces[org.Sector], vanPlace{kind, v.Kind}) || town != vanTowns[org.Slug] {
				t.Errorf("%s's van went to %q for a %s", org.Name, v.Place, v.Kind)
			}
		}
		returns, _ := st.PeerSupportReturns(ctx, all, org.ID)
		var prev *store.PeerSupportReturn
		for i := range returns {
			r := returns[i]
			workforce := 0
			for _, o := range Organisations {
				if o.Slug == org.Slug {
					workforce = o.Officers + o.Staff
				}
			}
			if per1000 := float64(r.TRiMPractitioners) * 1000 / float64(workforce); per1000 < 1.5 || per1000 > 7 {
				t.Errorf("%s has %d TRiM practitioners in %d for %d people (%.1f per 1,000)", org.Name, r.TRiMPractitioners, r.Year, workforce, per1000)
			}
			if prev != nil && abs(r.TRiMPractitioners-prev.TRiMPractitioners) > max(2, prev.TRiMPractitioners/5) {
				t.Errorf("%s's TRiM practitioners jump from %d to %d", org.Name, prev.TRiMPractitioners, r.TRiMPractitioners)
			}
			prev = &returns[i]
		}
	}
	// Quarterly trauma returns for most organisations, steady from quarter
	// to quarter and never inconsistent.
	withTrauma := 0
	for _, org := range orgs {
		rs, _ := st.TraumaReturns(ctx, all, org.ID)
		if len(rs) > 0 {
			withTrauma++
		}
		for i, r := range rs {
			if r.Reviews > r.RiskAssessments || r.PlanningMeetings > r.Incidents {
				t.Errorf("%s's return %d Q%d is inconsistent: %+v", org.Name, r.Year, r.Quarter, r)
			}
			if i > 0 && abs(r.Incidents-rs[i-1].Incidents) > max(3, rs[i-1].Incidents/3) {
				t.Errorf("%s's incidents jump from %d to %d", org.Name, rs[i-1].Incidents, r.Incidents)
			}
		}
	}
	if withTrauma < 40 {
		t.Errorf("%d organisations make trauma returns", withTrauma)
	}
	if handlersSeen < 60 || deploymentsSeen < 150 {
		t.Errorf("%d handlers and %d deployments in the demo", handlersSeen, deploymentsSeen)
	}
	for _, slug := range []string{"kent", "warwickshire", "gloucestershire"} {
		for _, org := range orgs {
			if org.Slug != slug {
				continue
			}
			sch, _ := st.OK9Scheme(ctx, all, org.ID)
			if len(store.StandingFailures(policy, now, sch, nil)) == 0 {
				t.Errorf("%s's scheme is in good standing; the demo means it not to be", org.Name)
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
