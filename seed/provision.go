package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Demo provision: about 30 organisations run OK9 wellbeing dog schemes
// (a few of them not fully in good standing), every organisation makes
// peer support returns with some gaps, a dozen run wellbeing vans, and
// there is one finished mutual-aid episode and one still open. Figures are
// invented for the demo.

var callNames = []string{"Bramble", "Pero", "Juno", "Skye", "Nell", "Bracken", "Max", "Luna", "Fern", "Dylan", "Bryn", "Meg",
	"Rolo", "Tess", "Ziggy", "Hattie", "Otis", "Poppy", "Wren", "Cai"}

var handlerNames = []string{"PC", "PCSO", "DC", "Sgt", "Station Officer", "Paramedic", "Call handler"}

// vanOrgs run wellbeing vans in the demo.
var vanOrgs = map[string]bool{"avon-somerset": true, "devon-cornwall": true, "greater-manchester": true, "west-yorkshire": true, "merseyside": true,
	"south-wales": true, "kent": true, "essex": true, "west-midlands": true, "northumbria": true, "dsfrs": true, "swast": true}

func demoProvision(ctx context.Context, st *store.Store, set *frameworks.Set, rng *rand.Rand, orgs []store.Organisation, now time.Time) error {
	policy := set.WelfarePolicy()
	if policy == nil {
		return fmt.Errorf("demo needs an OK9 welfare policy")
	}
	sc, today := store.AllOrganisations(), frameworks.Day(now)
	bySlug := map[string]store.Organisation{}
	for i, org := range orgs {
		bySlug[org.Slug] = org
		own := rand.New(rand.NewPCG(uint64(i)+1, 9))
		showcase := org.Slug == "avon-somerset" || org.Slug == "dsfrs" || org.Slug == "devon-cornwall"
		if showcase || own.Float64() < 0.4 {
			if err := demoOK9(ctx, st, policy, own, org, today, showcase); err != nil {
				return fmt.Errorf("demo OK9 %s: %w", org.Slug, err)
			}
		}
		if err := demoPeerSupport(ctx, st, own, org, Organisations[i], today.Year()); err != nil {
			return fmt.Errorf("demo peer support %s: %w", org.Slug, err)
		}
		if vanOrgs[org.Slug] {
			for v := range 4 + own.IntN(8) {
				visit := store.VanVisit{OrganisationID: org.ID, VisitedOn: today.AddDate(0, 0, -7-v*23-own.IntN(10)), Location: vanPlaces[own.IntN(len(vanPlaces))],
					HealthChecks: 10 + own.IntN(40), FatigueAssessments: 5 + own.IntN(25), Referrals: own.IntN(6)}
				if _, err := st.AddVanVisit(ctx, actor, sc, visit); err != nil {
					return fmt.Errorf("demo van visit %s: %w", org.Slug, err)
				}
			}
		}
	}
	return demoMutualAid(ctx, st, policy, bySlug, today)
}

var vanPlaces = []string{"Central police station", "Custody suite", "Training centre", "Control room", "Fire station", "Ambulance hub", "Major event", "Roads policing base"}

// demoOK9 gives an organisation a scheme, dogs, handlers and a year of
// deployments. A showcase organisation's first dog is always active,
// assessed and handled by a trained peer supporter, for the mutual-aid story.
func demoOK9(ctx context.Context, st *store.Store, policy *frameworks.WelfarePolicy, rng *rand.Rand, org store.Organisation, today time.Time, showcase bool) error {
	sc := store.AllOrganisations()
	at := func(days int) *time.Time { t := today.AddDate(0, 0, days); return &t }
	sch := store.OK9Scheme{OrganisationID: org.ID, SPOC: "OK9 lead, " + org.Name, SLASignedOn: at(-200 - rng.IntN(700)),
		SOPReviewedOn: at(-rng.IntN(450)), RiskAssessmentReviewedOn: at(-rng.IntN(420)), InsuranceExpiresOn: at(-20 + rng.IntN(360))}
	if _, err := st.SaveOK9Scheme(ctx, actor, sc, sch); err != nil {
		return err
	}
	var dogs []store.OK9Dog
	for d := range 2 + rng.IntN(6) {
		dog := store.OK9Dog{OrganisationID: org.ID, CallName: callNames[(int(org.ID)*3+d)%len(callNames)], Status: store.DogActive,
			AssessmentPassedOn: at(-60 - rng.IntN(900)), NextWelfareCheckOn: at(-10 + rng.IntN(120))}
		switch r := rng.Float64(); {
		case showcase && d == 0:
		case r < 0.12:
			dog.Status, dog.AssessmentPassedOn = store.DogTraining, nil
		case r < 0.18:
			dog.Status, dog.NextWelfareCheckOn = store.DogRetired, nil
		}
		saved, err := st.SaveOK9Dog(ctx, actor, sc, dog)
		if err != nil {
			return err
		}
		dogs = append(dogs, saved)
	}
	var handlers []store.OK9Handler
	for i, dog := range dogs {
		h := store.OK9Handler{OrganisationID: org.ID, DisplayName: fmt.Sprintf("%s %d", handlerNames[rng.IntN(len(handlerNames))], 1000+rng.IntN(9000)), DogIDs: []int64{dog.ID}}
		switch r := rng.Float64(); {
		case r < 0.6 || (showcase && i == 0):
			h.PeerSupporterTrainedOn = at(-100 - rng.IntN(800))
		case r < 0.9:
			h.MHFATrainedOn = at(-100 - rng.IntN(800))
		} // the rest are not trained yet: the readiness check shows it
		if i > 0 && rng.Float64() < 0.2 {
			h.DogIDs = append(h.DogIDs, dogs[i-1].ID)
		}
		saved, err := st.SaveOK9Handler(ctx, actor, sc, h)
		if err != nil {
			return err
		}
		handlers = append(handlers, saved)
	}
	kinds := []string{"team_visit", "team_visit", "team_visit", "post_incident_debrief", "defusing", "trim_support", "training_support", "event", "van_outreach"}
	for n := range 10 + rng.IntN(20) {
		i := rng.IntN(len(dogs))
		if dogs[i].Status != store.DogActive {
			continue
		}
		d := store.OK9Deployment{OrganisationID: org.ID, DeployedOn: today.AddDate(0, 0, -1-n*12-rng.IntN(11)), Kind: kinds[rng.IntN(len(kinds))],
			HandlerID: handlers[i].ID, DogIDs: []int64{dogs[i].ID}, PeopleEngaged: 4 + rng.IntN(40), Minutes: 30 + 15*rng.IntN(10)}
		_, err := st.LogDeployment(ctx, actor, sc, d, policy)
		var we *store.WelfareError
		if err != nil && !errors.As(err, &we) { // a made-up day over the limits is simply skipped
			return err
		}
	}
	return nil
}

func demoPeerSupport(ctx context.Context, st *store.Store, rng *rand.Rand, org store.Organisation, o Org, year int) error {
	workforce := o.Officers + o.Staff
	rate := 5 + rng.Float64()*20 // peer supporters per 1,000
	for y := year - 2; y <= year; y++ {
		if y == year && rng.Float64() < 0.15 {
			continue // not made yet this year
		}
		growth := 1 + 0.1*float64(y-year+2)*rng.Float64()
		supporters := int(float64(workforce) * rate * growth / 1000)
		r := store.PeerSupportReturn{OrganisationID: org.ID, Year: y, CoordinatorInPost: rng.Float64() < 0.75, OHClinicianTrained: rng.Float64() < 0.5,
			PeerSupporters: supporters, PeerChampions: supporters / 6, PeerCoordinators: 1 + supporters/60, TrainedTrainers: supporters / 25,
			DemobDefusingTrained: supporters * (20 + rng.IntN(60)) / 100, TRiMPractitioners: rng.IntN(30), ESTIPLead: rng.Float64() < 0.6,
			SupervisionInPlace: rng.Float64() < 0.7, ConfidentialityInPlace: rng.Float64() < 0.85, Contacts: supporters * (2 + rng.IntN(8))}
		r.CoordinatorFullTime = r.CoordinatorInPost && rng.Float64() < 0.6
		if _, err := st.SavePeerSupportReturn(ctx, actor, store.AllOrganisations(), r); err != nil {
			return err
		}
	}
	return nil
}

// demoMutualAid plays one finished episode (Devon and Cornwall lends to
// Dorset after a major incident) and leaves one open: Avon and Somerset
// asks, and Devon and Somerset Fire and Rescue has an offer to answer.
func demoMutualAid(ctx context.Context, st *store.Store, policy *frameworks.WelfarePolicy, bySlug map[string]store.Organisation, today time.Time) error {
	npws := store.SystemActor("Sam Okafor (National admin)")
	lend := func(requester, lender string, starts time.Time, incident, location string, accept bool) error {
		req, err := st.CreateAidRequest(ctx, actor, store.AllOrganisations(), store.AidRequest{OrganisationID: bySlug[requester].ID, Incident: incident, Location: location,
			StartsOn: starts, EndsOn: starts.AddDate(0, 0, 2), DogsNeeded: 1})
		if err != nil {
			return err
		}
		cands, err := st.AidCandidates(ctx, req.ID, policy)
		if err != nil {
			return err
		}
		for _, c := range cands {
			if c.Organisation.ID != bySlug[lender].ID || c.Blocked != "" {
				continue
			}
			offer, err := st.OfferAid(ctx, npws, req.ID, c.Organisation.ID, []int64{c.Dog.ID}, "", policy)
			if err != nil || !accept {
				return err
			}
			handlers, err := st.OK9Handlers(ctx, store.AllOrganisations(), c.Organisation.ID)
			if err != nil {
				return err
			}
			for _, h := range handlers {
				if h.Trained() && len(h.DogIDs) > 0 && h.DogIDs[0] == c.Dog.ID {
					_, err = st.DecideAidOffer(ctx, actor, store.AllOrganisations(), offer.ID, store.AidDecision{Accept: true, HandlerID: h.ID, Minutes: 120}, policy)
					if err != nil {
						return err
					}
					return st.CloseAidRequest(ctx, actor, store.AllOrganisations(), req.ID)
				}
			}
			return nil
		}
		return nil
	}
	if err := lend("dorset", "devon-cornwall", today.AddDate(0, -2, 0), "Multiple-fatality road collision attended by officers and staff", "Dorchester", true); err != nil {
		return fmt.Errorf("demo mutual aid: %w", err)
	}
	if err := lend("avon-somerset", "dsfrs", today.AddDate(0, 0, 3), "Major fire in a residential block with casualties; officers supporting families", "Bristol", false); err != nil {
		return fmt.Errorf("demo mutual aid: %w", err)
	}
	return nil
}
