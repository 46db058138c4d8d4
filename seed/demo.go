// Package seed fills a database with the demo national picture, so that a
// newcomer running `go run .` sees the product working at once. Everything
// is generated from a fixed seed, so every demo looks the same.
package seed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// DemoPassword is the password of every demo account. Demo accounts exist
// only in demo mode.
const DemoPassword = "bluelight demo only 2026"

// Account is a demo sign-in printed at start-up.
type Account struct{ Email, Role, Organisation string }

var actor = store.SystemActor("demo data")

// demoCycle is one national cycle of the demo.
type demoCycle struct {
	name, version string
	opens, closes time.Time
	open          bool
}

// Demo loads the demo into an empty database and returns the accounts to
// print. now fixes the demo's calendar.
func Demo(ctx context.Context, st *store.Store, set *frameworks.Set, now time.Time) ([]Account, error) {
	rng := rand.New(rand.NewPCG(2026, 11))
	year := now.Year()
	if now.Month() < time.April {
		year--
	}
	// Four yearly cycles, each on the edition current when it opened, so
	// that the demo crosses the change of edition.
	var cycles []demoCycle
	for y := year - 3; y <= year; y++ {
		opens := date(y, 4, 1)
		cycles = append(cycles, demoCycle{fmt.Sprintf("%d/%02d", y, (y+1)%100), editionAt(opens), opens, date(y+1, 3, 31), y == year})
	}
	var orgs []store.Organisation
	for _, o := range Organisations {
		created, err := st.CreateOrganisation(ctx, actor, store.Organisation{Slug: o.Slug, Name: o.Name, Sector: o.Sector, Nation: o.Nation, Region: o.Region, PeerGroup: peerGroup(o)})
		if err != nil {
			return nil, fmt.Errorf("demo organisation %s: %w", o.Slug, err)
		}
		for i := range 3 {
			grow := 1 + 0.02*float64(i-2)
			w := store.Workforce{OrganisationID: created.ID, Year: year - 2 + i,
				Officers: int(float64(o.Officers) * grow), Staff: int(float64(o.Staff) * grow), Volunteers: o.Volunteers}
			if err := st.SetWorkforce(ctx, actor, store.AllOrganisations(), w); err != nil {
				return nil, err
			}
		}
		orgs = append(orgs, created)
	}
	accounts, err := demoPeople(ctx, st, orgs)
	if err != nil {
		return nil, err
	}
	if err := demoRisk(ctx, st, set, rng, orgs, now); err != nil {
		return nil, err
	}
	if err := demoProvision(ctx, st, set, rng, orgs, now); err != nil {
		return nil, err
	}
	for ci, dc := range cycles {
		fw := set.Framework("blwf", dc.version)
		if fw == nil {
			return nil, fmt.Errorf("demo needs framework blwf %s", dc.version)
		}
		c, err := st.CreateCycle(ctx, actor, store.Cycle{Name: dc.name, FrameworkKey: "blwf", FrameworkVersion: dc.version, OpensOn: dc.opens, ClosesOn: dc.closes})
		if err != nil {
			return nil, err
		}
		for oi, org := range orgs {
			if err := demoAssessment(ctx, st, set, rng, c, fw, org, ci, oi, dc.open); err != nil {
				return nil, fmt.Errorf("demo assessment %s %s: %w", org.Slug, dc.name, err)
			}
		}
		if !dc.open {
			if _, err := st.UpdateCycle(ctx, actor, c.ID, time.Time{}, store.CycleClosed); err != nil {
				return nil, err
			}
		}
	}
	return accounts, nil
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// blwfEditions are the demo's BLWF editions and when each was published:
// the first in May 2017, the third's page dated February 2024.
var blwfEditions = []struct {
	version string
	from    time.Time
}{{"2017", date(2017, 5, 1)}, {"2024", date(2024, 2, 1)}}

// editionAt is the newest edition published by day.
func editionAt(day time.Time) string {
	out := blwfEditions[0].version
	for _, e := range blwfEditions {
		if !e.from.After(day) {
			out = e.version
		}
	}
	return out
}

// takesPart says whether an organisation makes BLWF returns in the demo,
// as adoption suggests: every police force and policing body, about two
// thirds of fire and rescue services (33 of about 50), and only a few
// ambulance services, whose own sector sources are used more.
func takesPart(org store.Organisation, orgIndex int) bool {
	switch org.Sector {
	case "police":
		return true
	case "fire":
		return org.Slug == "dsfrs" || orgIndex%3 != 0
	default:
		return org.Slug == "swast" || org.Slug == "nwas" || org.Slug == "was"
	}
}

// demoPeople makes an account for every role, all with DemoPassword.
func demoPeople(ctx context.Context, st *store.Store, orgs []store.Organisation) ([]Account, error) {
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return nil, err
	}
	bySlug := map[string]store.Organisation{}
	for _, o := range orgs {
		bySlug[o.Slug] = o
	}
	people := []struct {
		email, name, role, org string
		sections               []string
	}{
		{"npws.admin@demo.example", "Sam Okafor", store.RoleNationalAdmin, "", nil},
		{"owner@avon-somerset.demo.example", "Priya Shah", store.RoleOwner, "avon-somerset", nil},
		{"contributor@avon-somerset.demo.example", "Tom Evans", store.RoleContributor, "avon-somerset", []string{"area:MH", "area:PROT", "risk-register", "provision"}},
		{"viewer@avon-somerset.demo.example", "Chief Constable Demo", store.RoleViewer, "avon-somerset", nil},
		{"owner@dsfrs.demo.example", "Gareth Jones", store.RoleOwner, "dsfrs", nil},
		{"owner@swast.demo.example", "Aisha Rahman", store.RoleOwner, "swast", nil},
	}
	var out []Account
	for _, p := range people {
		u := store.User{Email: p.email, DisplayName: p.name, Role: p.role, Sections: p.sections}
		orgName := "National Police Wellbeing Service"
		if p.org != "" {
			o := bySlug[p.org]
			u.OrganisationID, orgName = &o.ID, o.Name
		}
		created, err := st.CreateUser(ctx, actor, store.AllOrganisations(), u)
		if err != nil {
			return nil, err
		}
		if err := st.SetPassword(ctx, actor, store.AllOrganisations(), created.ID, hash); err != nil {
			return nil, err
		}
		out = append(out, Account{Email: p.email, Role: p.role, Organisation: orgName})
	}
	return out, nil
}

// demoAssessment gives an organisation an assessment in a cycle: a base
// maturity and a yearly trend per organisation (some improve, some slip),
// noise per standard, targets and actions where they fall short, and a
// status that suits the cycle.
func demoAssessment(ctx context.Context, st *store.Store, set *frameworks.Set, rng *rand.Rand, c store.Cycle, fw *frameworks.Framework, org store.Organisation, cycleIndex, orgIndex int, open bool) error {
	if !takesPart(org, orgIndex) {
		return nil
	}
	// The organisation's own character, the same every cycle.
	own := rand.New(rand.NewPCG(uint64(orgIndex)+1, 7))
	base := 0.8 + own.Float64()*2.2
	trend := -0.25 + own.Float64()*0.75
	// The demo accounts' own force always has this cycle's assessment under
	// way, so the demo opens on work in progress. Every draw is still made,
	// so the other organisations' figures are as they were.
	showcase := open && org.Slug == "avon-somerset"
	if open {
		if notStarted := rng.Float64() < 0.2; notStarted && !showcase {
			return nil // not started yet this cycle
		}
	}
	edition := set.Edition("blwf", fw.Version)
	var seed []store.Response
	for _, s := range fw.Standards() {
		level := int(math.Round(base + trend*float64(cycleIndex) + rng.NormFloat64()*0.6))
		level = min(max(level, 0), len(fw.Scale)-1)
		r := store.Response{StandardID: s.ID, Level: &level, Evidence: evidenceFor(level)}
		if open && rng.Float64() < 0.3 {
			r.Level, r.Evidence = nil, "" // still being worked on
		}
		if r.Level != nil && level < len(fw.Scale)-1 && rng.Float64() < 0.35 {
			target := level + 1
			r.Target = &target
		}
		seed = append(seed, r)
	}
	as, err := st.StartAssessment(ctx, actor, store.AllOrganisations(), store.Assessment{OrganisationID: org.ID, CycleID: c.ID,
		FrameworkKey: "blwf", FrameworkVersion: fw.Version, FrameworkSHA256: edition.SHA256}, seed)
	if err != nil {
		return err
	}
	complete := true
	for _, r := range seed {
		if r.Level == nil {
			complete = false
			continue
		}
		if r.Target != nil {
			if _, err := st.AddAction(ctx, actor, store.AllOrganisations(), store.Action{AssessmentID: as.ID, StandardID: r.StandardID,
				What: actionFor(r.StandardID), Owner: "Wellbeing lead", Status: store.ActionStatuses[rng.IntN(len(store.ActionStatuses))]}); err != nil {
				return err
			}
		}
	}
	roll := rng.Float64()
	switch {
	case !complete, open && (showcase || roll < 0.5), !open && roll < 0.05:
		return nil // draft
	}
	sc := store.Scope{OrgID: org.ID}
	if _, err := st.SubmitAssessment(ctx, actor, sc, as.ID, "Deputy chief officer", "Wellbeing sponsor"); err != nil {
		return err
	}
	if !open && roll < 0.85 {
		_, err = st.ValidateAssessment(ctx, actor, as.ID)
	}
	return err
}

var evidence = []string{
	"Nothing formal yet; discussed at the wellbeing board.",
	"A plan is agreed and early work has started in some departments.",
	"Written down, resourced and reaching most of the workforce.",
	"Part of everyday practice, owned by leaders, checked each quarter.",
	"Evaluated, improved on the evidence and shared with other services.",
}

func evidenceFor(level int) string { return evidence[level] }

func actionFor(standardID string) string {
	return "Close the gap on " + standardID + " with a costed plan agreed by the chief officer team"
}
