package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/riskreview"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// frontlineShare is roughly the share of a service's workforce in its
// first-responder roles: most firefighters and ambulance clinicians are
// frontline, a smaller share of police officers are in response.
var frontlineShare = map[string]float64{"police": 0.22, "fire": 0.55, "ambulance": 0.35}

// demoRisk gives each organisation a register of the high-risk roles of its
// sector, with headcounts in proportion to real cadres (frontline roles in
// the hundreds or thousands, specialist cadres in tens), screening cohorts
// with plausible counts for the roles in a screening programme, the
// recommended controls at various stages and a few reviews overdue. Every
// sixth organisation has not yet reviewed since the 2027.1 edition, so its
// register still shows 2026.1.
func demoRisk(ctx context.Context, st *store.Store, set *frameworks.Set, rng *rand.Rand, orgs []store.Organisation, now time.Time) error {
	cur, old := set.Edition("psych-risk", "2027.1"), set.Edition("psych-risk", "2026.1")
	if cur == nil || old == nil {
		return fmt.Errorf("demo needs risk models psych-risk 2026.1 and 2027.1")
	}
	assessed := map[int64]map[string]bool{}
	for i, org := range orgs {
		assessed[org.ID] = map[string]bool{}
		model := cur
		if i%6 == 5 {
			model = old
		}
		m := model.RiskModel
		workforce := Organisations[i].Officers
		for _, role := range m.Roles {
			if !frameworks.InSector(role.Sectors, org.Sector) || rng.Float64() < 0.3 {
				continue
			}
			headcount := demoHeadcount(role, org.Sector, workforce, rng)
			ra := store.RoleAssessment{OrganisationID: org.ID, RoleID: role.ID, ModelKey: model.Key, ModelVersion: model.Version, ModelSHA256: model.SHA256,
				Headcount: headcount, ExposedHeadcount: headcount * (70 + rng.IntN(31)) / 100, SignedOffBy: "Head of Wellbeing"}
			ra.PeopleScreened = ra.Headcount * (40 + rng.IntN(61)) / 100
			ra.StructuredInterviews = ra.PeopleScreened / 5
			ra.Referrals = ra.StructuredInterviews / 3
			for _, rh := range role.Hazards {
				rating := store.HazardRating{HazardID: rh.Hazard, InherentL: rh.Likelihood, InherentS: rh.Severity}
				for _, ct := range m.ControlsFor(role, rh.Hazard) {
					l, s, _ := ct.Reduction(rh.Hazard)
					status := frameworks.ControlStatuses[rng.IntN(len(frameworks.ControlStatuses))]
					rating.Controls = append(rating.Controls, store.RoleControl{ControlID: ct.ID, Status: status, Owner: "Wellbeing lead", LikelihoodReduction: l, SeverityReduction: s})
				}
				ra.Hazards = append(ra.Hazards, rating)
			}
			reviewed := now.AddDate(0, 0, -demoReviewAge(rng.IntN(400)))
			if model == cur {
				ra.Cohorts = demoCohorts(role, ra.Headcount, reviewed, rng)
			}
			riskreview.Finish(m, role, &ra, reviewed)
			if _, err := st.SaveRoleAssessment(ctx, actor, store.AllOrganisations(), ra); err != nil {
				return fmt.Errorf("demo risk %s %s: %w", org.Slug, role.ID, err)
			}
			assessed[org.ID][role.ID] = true
		}
	}
	return demoDraft(ctx, st, cur, orgs, assessed)
}

// demoDraft leaves the first organisation one review saved part way: a
// role of its sector not yet assessed, its people counted and its first
// hazard's likelihood chosen, nothing signed off. It draws nothing from the
// random source, so the rest of the demo is as it was.
func demoDraft(ctx context.Context, st *store.Store, cur *frameworks.Edition, orgs []store.Organisation, assessed map[int64]map[string]bool) error {
	if len(orgs) == 0 {
		return nil
	}
	org := orgs[0]
	for _, role := range cur.RiskModel.Roles {
		if !frameworks.InSector(role.Sectors, org.Sector) || assessed[org.ID][role.ID] || len(role.Hazards) == 0 {
			continue
		}
		rh := role.Hazards[0]
		review := fmt.Sprintf(`{"teams":"Review under way","headcount":40,"hazards":[{"hazard_id":%q,"likelihood":%d,"severity":0}]}`, rh.Hazard, rh.Likelihood)
		_, err := st.SaveRoleReviewDraft(ctx, actor, store.AllOrganisations(), store.RoleReviewDraft{OrganisationID: org.ID, RoleID: role.ID,
			ModelKey: cur.Key, ModelVersion: cur.Version, Review: review})
		return err
	}
	return nil
}

// demoReviewAge turns a draw from 0 to 399 into the days since a role's
// last review: most within the last five months, as a register kept up
// would be, and one in eight over 350 days ago, so overdue whatever its
// band. (One draw either way, so the demo's other draws do not move.)
func demoReviewAge(draw int) int {
	if draw >= 350 {
		return draw
	}
	return draw * 150 / 350
}

// demoHeadcount sizes a role: first responders as a share of the
// workforce, split across the sector's frontline roles; specialist and
// disaster response cadres in tens.
func demoHeadcount(role frameworks.Role, sector string, workforce int, rng *rand.Rand) int {
	switch role.Group {
	case frameworks.GroupFirstResponder:
		n := int(float64(workforce) * frontlineShare[sector] * (0.3 + 0.4*rng.Float64()))
		return max(40, n)
	case frameworks.GroupDisaster:
		return 8 + rng.IntN(30)
	}
	return 6 + rng.IntN(55)
}

// demoCohorts gives a role its screening counts: for a screening programme,
// a periodic round last finished up to seven weeks before the review,
// most due screened, mostly no further action; a few new starters, mostly
// screened before deployment; and, now and then, referral screening.
func demoCohorts(role frameworks.Role, headcount int, reviewed time.Time, rng *rand.Rand) []store.ScreeningCohort {
	var out []store.ScreeningCohort
	outcomes := func(co *store.ScreeningCohort) {
		co.Referred = co.Screened * rng.IntN(6) / 100
		co.FurtherAssessment = co.Screened * (8 + rng.IntN(12)) / 100
		co.NoFurtherAction = co.Screened - co.Referred - co.FurtherAssessment
	}
	if role.Screening != nil {
		due := headcount * (85 + rng.IntN(16)) / 100
		weeks, days := rng.IntN(5), rng.IntN(20)
		last := reviewed.AddDate(0, 0, -(7*weeks + days))
		periodic := store.ScreeningCohort{Cohort: frameworks.CohortPeriodic, PeopleDue: due, Screened: due * (75 + rng.IntN(26)) / 100, LastScreenedOn: &last}
		outcomes(&periodic)
		initialDue := min(headcount, rng.IntN(6))
		// New starters are mostly screened before they deploy; now and then
		// one or two are still waiting.
		waiting := 0
		if draw := rng.IntN(initialDue + 1); draw == initialDue && draw > 1 {
			waiting = draw / 2
		}
		initial := store.ScreeningCohort{Cohort: frameworks.CohortInitial, PeopleDue: initialDue, Screened: initialDue - waiting}
		outcomes(&initial)
		out = append(out, initial, periodic)
	}
	if rng.IntN(3) == 0 {
		n := min(headcount, 1+rng.IntN(8))
		referral := store.ScreeningCohort{Cohort: frameworks.CohortReferral, PeopleDue: n, Screened: n - rng.IntN(2)}
		referral.Screened = max(0, min(referral.Screened, n))
		outcomes(&referral)
		out = append(out, referral)
	}
	return out
}
