package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Demo provision: about 30 organisations run OK9 wellbeing dog schemes
// (a few of them not fully in good standing), every organisation makes
// peer support returns with some gaps, a dozen ask for the NPWS wellbeing
// vans, and there is one finished mutual-aid episode and one still open.
// Figures are invented for the demo.

var callNames = []string{"Bramble", "Pero", "Juno", "Skye", "Nell", "Bracken", "Max", "Luna", "Fern", "Dylan", "Bryn", "Meg",
	"Rolo", "Tess", "Ziggy", "Hattie", "Otis", "Poppy", "Wren", "Cai"}

// handlerRanks are the roles handlers hold in each sector; a handler is
// known by role and collar or staff number only.
var handlerRanks = map[string][]string{
	"police":    {"PC", "PC", "PC", "PS", "Police staff"},
	"fire":      {"Firefighter", "Firefighter", "Crew Manager", "Watch Manager"},
	"ambulance": {"Paramedic", "Paramedic", "EMT", "Call handler"},
}

// spocRoles are who typically leads an OK9 scheme in each sector.
var spocRoles = map[string][]string{
	"police":    {"Inspector, Wellbeing", "Chief Inspector, People Services", "Wellbeing Manager"},
	"fire":      {"Station Manager, Health and Wellbeing", "Group Manager, People", "Wellbeing Lead"},
	"ambulance": {"Head of Staff Wellbeing", "Wellbeing Lead", "Clinical Team Leader, Staff Support"},
}

// vanTowns are the demo organisations that ask for the NPWS's wellbeing
// vans, each with the town its van visits go to.
var vanTowns = map[string]string{"avon-somerset": "Portishead", "devon-cornwall": "Exeter", "greater-manchester": "Manchester",
	"west-yorkshire": "Wakefield", "merseyside": "Liverpool", "south-wales": "Bridgend", "kent": "Maidstone", "essex": "Chelmsford",
	"west-midlands": "Birmingham", "northumbria": "Newcastle upon Tyne", "dsfrs": "Taunton", "swast": "Exeter"}

// demoFleet is the NPWS's demo van fleet; registrations are invented.
var demoFleet = []store.Van{
	{Name: "Oscar Kilo 1", Registration: "OK21 WBV", InService: true},
	{Name: "Oscar Kilo 2", Registration: "OK22 WBV", InService: true},
	{Name: "Oscar Kilo 3", Registration: "OK23 WBV", InService: true},
	{Name: "Oscar Kilo 4", Registration: "OK24 WBV", InService: true},
}

// lapsedStanding are demo schemes deliberately out of good standing, so the
// readiness page, the national register and mutual aid show what that does.
var lapsedStanding = map[string]string{"kent": "insurance", "warwickshire": "insurance", "gloucestershire": "risk"}

func demoProvision(ctx context.Context, st *store.Store, set *frameworks.Set, rng *rand.Rand, orgs []store.Organisation, now time.Time) error {
	policy := set.WelfarePolicy()
	if policy == nil {
		return fmt.Errorf("demo needs an OK9 welfare policy")
	}
	today := frameworks.Day(now)
	bySlug := map[string]store.Organisation{}
	for i, org := range orgs {
		bySlug[org.Slug] = org
		own := rand.New(rand.NewPCG(uint64(i)+1, 9))
		showcase := org.Slug == "avon-somerset" || org.Slug == "dsfrs" || org.Slug == "devon-cornwall"
		if showcase || lapsedStanding[org.Slug] != "" || own.Float64() < 0.4 {
			if err := demoOK9(ctx, st, policy, own, org, today, showcase); err != nil {
				return fmt.Errorf("demo OK9 %s: %w", org.Slug, err)
			}
		}
		if err := demoPeerSupport(ctx, st, own, org, Organisations[i], today.Year()); err != nil {
			return fmt.Errorf("demo peer support %s: %w", org.Slug, err)
		}
		if org.Sector != "ambulance" || own.Float64() < 0.5 {
			if err := demoTrauma(ctx, st, own, org, Organisations[i], today); err != nil {
				return fmt.Errorf("demo trauma returns %s: %w", org.Slug, err)
			}
		}
	}
	if err := demoVans(ctx, st, orgs, today); err != nil {
		return fmt.Errorf("demo vans: %w", err)
	}
	return demoMutualAid(ctx, st, policy, bySlug, today)
}

// vanPlace is where a wellbeing van parks for a sector's people, and why
// it goes there.
type vanPlace struct{ Place, Kind string }

// vanPlaces are where a wellbeing van parks for each sector's people.
var vanPlaces = map[string][]vanPlace{
	"police": {{"Force headquarters", "hotspot"}, {"Custody suite", "hotspot"}, {"Roads policing base", "hotspot"}, {"Force control room", "hotspot"},
		{"Public order training centre", "major_event"}, {"Neighbourhood policing hub", "critical_incident"}, {"Major event policing", "major_event"}},
	"fire": {{"Fire station", "hotspot"}, {"Service training centre", "hotspot"}, {"Fire control room", "hotspot"}, {"Service headquarters", "hotspot"},
		{"Large fire, incident ground", "critical_incident"}},
	"ambulance": {{"Ambulance station", "hotspot"}, {"Hospital handover area", "hotspot"}, {"Emergency operations centre", "hotspot"},
		{"Make-ready hub", "hotspot"}, {"Clinical education centre", "major_event"}},
}

// demoVans builds the fleet and a year of requests from the van towns'
// organisations: visits in the past scheduled on the first van free and
// delivered with counts (or declined when every van is booked), and a few
// coming up, scheduled, waiting or withdrawn.
func demoVans(ctx context.Context, st *store.Store, orgs []store.Organisation, today time.Time) error {
	var fleet []store.Van
	for _, v := range demoFleet {
		saved, err := st.SaveVan(ctx, actor, v)
		if err != nil {
			return err
		}
		fleet = append(fleet, saved)
	}
	partners := []string{"Occupational health", "Police Federation", "UNISON", "Fire Brigades Union", "Chaplaincy", "Money advice", "Mind Blue Light"}
	for i, org := range orgs {
		town, ok := vanTowns[org.Slug]
		if !ok {
			continue
		}
		own := rand.New(rand.NewPCG(uint64(i)+1, 17))
		places := vanPlaces[org.Sector]
		visits := 4 + own.IntN(6)
		for v := range visits + 2 {
			p := places[own.IntN(len(places))]
			start := today.AddDate(0, 0, -7-v*29-own.IntN(10))
			if v >= visits { // coming up
				start = today.AddDate(0, 0, 10+own.IntN(60))
			}
			r, err := st.RequestVan(ctx, actor, store.AllOrganisations(), store.VanRequest{OrganisationID: org.ID, Kind: p.Kind, StartsOn: start,
				EndsOn: start.AddDate(0, 0, own.IntN(3)), Place: p.Place + ", " + town, ExpectedAttendance: 40 + own.IntN(260),
				Contact: "Wellbeing lead, wellbeing@" + org.Slug + ".demo.example"})
			if err != nil {
				return err
			}
			if v == visits+1 && own.IntN(2) == 0 {
				if _, err := st.WithdrawVanRequest(ctx, actor, store.AllOrganisations(), r.ID); err != nil {
					return err
				}
				continue
			}
			if v == visits+1 {
				continue // waiting for the national team
			}
			if r, err = scheduleDemoVan(ctx, st, fleet, r, (i+v)%len(fleet)); err != nil {
				return err
			}
			if r.State != store.VanScheduled || !start.Before(today) {
				continue
			}
			on := []string{}
			for _, k := range own.Perm(len(partners))[:own.IntN(3)] {
				on = append(on, partners[k])
			}
			people := r.ExpectedAttendance
			_, err = st.RecordVanDelivery(ctx, actor, r.ID, store.VanDelivery{HealthChecks: people/4 + own.IntN(people/4+1), FatigueAssessments: people/6 + own.IntN(people/6+1),
				TraumaSupport: own.IntN(people/20 + 2), WellbeingAdvice: people/5 + own.IntN(people/5+1), Referrals: own.IntN(people/30 + 2), Partners: strings.Join(on, ", ")})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// scheduleDemoVan books the first van free from first on; when every van
// is booked the request is declined, as the national team would.
func scheduleDemoVan(ctx context.Context, st *store.Store, fleet []store.Van, r store.VanRequest, first int) (store.VanRequest, error) {
	for k := range fleet {
		done, err := st.ScheduleVan(ctx, actor, r.ID, fleet[(first+k)%len(fleet)].ID)
		if err == nil {
			return done, nil
		}
		if apperr.Code(err) != apperr.ECONFLICT {
			return r, err
		}
	}
	return st.DeclineVanRequest(ctx, actor, r.ID, "Every van in the fleet is booked on those dates")
}

// demoOK9 gives an organisation a scheme, dogs, handlers and a year of
// deployments. A showcase organisation's first dog is always active,
// assessed and handled by a handler who passes every gate, for the
// mutual-aid story. Deployments go only to handlers who pass the gates.
func demoOK9(ctx context.Context, st *store.Store, policy *frameworks.WelfarePolicy, rng *rand.Rand, org store.Organisation, today time.Time, showcase bool) error {
	sc := store.AllOrganisations()
	at := func(days int) *time.Time { t := today.AddDate(0, 0, days); return &t }
	roles := spocRoles[org.Sector]
	sch := store.OK9Scheme{OrganisationID: org.ID, SPOC: roles[rng.IntN(len(roles))], SPOCEmail: "ok9.spoc@" + org.Slug + ".demo.example",
		SLASignedOn: at(-200 - rng.IntN(700)), SOPReviewedOn: at(-20 - rng.IntN(300)), RiskAssessmentReviewedOn: at(-20 - rng.IntN(300)),
		InsuranceExpiresOn: at(20 + rng.IntN(340)), WelfareScheme: "National OK9 animal welfare scheme", WelfareSchemeExpiresOn: at(10 + rng.IntN(350))}
	switch lapsedStanding[org.Slug] {
	case "insurance":
		sch.InsuranceExpiresOn = at(-12 - rng.IntN(40))
	case "risk":
		sch.RiskAssessmentReviewedOn = at(-400 - rng.IntN(60))
	}
	if _, err := st.SaveOK9Scheme(ctx, actor, sc, sch); err != nil {
		return err
	}
	var dogs []store.OK9Dog
	for d := range 2 + rng.IntN(6) {
		dog := store.OK9Dog{OrganisationID: org.ID, CallName: callNames[(int(org.ID)*3+d)%len(callNames)], Status: store.DogActive,
			AssessmentPassedOn: at(-60 - rng.IntN(900)), NextWelfareCheckOn: at(5 + rng.IntN(120))}
		switch r := rng.Float64(); {
		case showcase && d == 0:
		case r < 0.12:
			dog.Status, dog.AssessmentPassedOn = store.DogTraining, nil
		case r < 0.18:
			dog.Status, dog.NextWelfareCheckOn = store.DogRetired, nil
		case r < 0.24:
			dog.NextWelfareCheckOn = at(-3 - rng.IntN(20)) // overdue: readiness says so
		}
		saved, err := st.SaveOK9Dog(ctx, actor, sc, dog)
		if err != nil {
			return err
		}
		dogs = append(dogs, saved)
	}
	ranks := handlerRanks[org.Sector]
	used := map[string]bool{}
	var handlers []store.OK9Handler
	for i, dog := range dogs {
		name := ""
		for name == "" || used[name] {
			rank := ranks[rng.IntN(len(ranks))]
			name = fmt.Sprintf("%s %d", rank, 1000+rng.IntN(9000))
			if rank == "Watch Manager" || rank == "Crew Manager" || rank == "PS" {
				name = fmt.Sprintf("%s %d", rank, 10+rng.IntN(900))
			}
		}
		used[name] = true
		h := store.OK9Handler{OrganisationID: org.ID, DisplayName: name, DogIDs: []int64{dog.ID}, Status: store.HandlerActive,
			SupervisorAgreedOn: at(-60 - rng.IntN(700)), ProtectedHoursMonth: 4 + 2*rng.IntN(5)}
		trained := at(-100 - rng.IntN(800))
		switch r := rng.Float64(); {
		case r < 0.6 || (showcase && i == 0):
			h.PeerSupporterTrainedOn = trained
		case r < 0.9:
			h.MHFATrainedOn = trained
		} // the rest are not trained yet: readiness shows it
		if h.Trained() && rng.Float64() < 0.3 {
			h.RefresherTrainedOn = at(-10 - rng.IntN(90))
		}
		if dog.Status != store.DogTraining && (h.Trained() || rng.Float64() < 0.5) {
			h.SuitabilityAssessedOn, h.SuitabilityOutcome = dog.AssessmentPassedOn, store.SuitabilityPassed
			if h.SuitabilityAssessedOn == nil {
				h.SuitabilityAssessedOn = at(-200)
			}
		}
		switch r := rng.Float64(); {
		case showcase && i == 0:
		case r < 0.08:
			h.Status = store.HandlerInactive // moved role or on leave
		case r < 0.2:
			h.SupervisorAgreedOn, h.ProtectedHoursMonth = nil, 0 // not yet agreed: readiness says so
		}
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
		on := today.AddDate(0, 0, -1-n*12-rng.IntN(11))
		if dogs[i].Status != store.DogActive || len(store.HandlerGates(policy, on, handlers[i], dogs[i])) > 0 {
			continue // the demo deploys only handlers who pass the gates
		}
		d := store.OK9Deployment{OrganisationID: org.ID, DeployedOn: on, Kind: kinds[rng.IntN(len(kinds))],
			HandlerID: handlers[i].ID, DogIDs: []int64{dogs[i].ID}, PeopleEngaged: 4 + rng.IntN(40), Minutes: 30 + 15*rng.IntN(10)}
		_, err := st.LogDeployment(ctx, actor, sc, d, policy)
		var we *store.WelfareError
		if err != nil && !errors.As(err, &we) { // a made-up day over the limits is simply skipped
			return err
		}
	}
	return nil
}

// demoTrauma makes quarterly TRiM and trauma support returns for the last
// six full quarters, in proportion to the workforce: an incident rate of
// the organisation's own, steady from quarter to quarter, with most
// planning meetings held in time and most assessed people reviewed.
func demoTrauma(ctx context.Context, st *store.Store, rng *rand.Rand, org store.Organisation, o Org, today time.Time) error {
	workforce := float64(o.Officers + o.Staff)
	rate := 1.5 + rng.Float64()*2.5 // incidents a quarter per 1,000
	year, quarter := today.Year(), (int(today.Month())-1)/3
	for range 6 {
		if quarter == 0 {
			year, quarter = year-1, 4
		}
		n := func(per1000 float64) int { return int(workforce*per1000*(0.9+0.2*rng.Float64())/1000 + 0.5) }
		r := store.TraumaReturn{OrganisationID: org.ID, Year: year, Quarter: quarter, Incidents: n(rate)}
		r.PlanningMeetings = r.Incidents * (80 + rng.IntN(21)) / 100
		r.RiskAssessments = r.Incidents * (2 + rng.IntN(3))
		r.Reviews = r.RiskAssessments * (60 + rng.IntN(30)) / 100
		r.Defusings, r.Demobilisations = r.Incidents/3, r.Incidents*(40+rng.IntN(40))/100
		r.ESTIMs = r.Incidents / 10
		r.ReferralsOH, r.ReferralsPsych = r.RiskAssessments*(5+rng.IntN(8))/100, r.RiskAssessments*(2+rng.IntN(5))/100
		r.PractitionersTrained, r.TeamLeadersTrained, r.ManagersTrained = n(0.8), n(0.15), n(0.05)
		if _, err := st.SaveTraumaReturn(ctx, actor, store.AllOrganisations(), r); err != nil {
			return err
		}
		quarter--
	}
	return nil
}

func demoPeerSupport(ctx context.Context, st *store.Store, rng *rand.Rand, org store.Organisation, o Org, year int) error {
	workforce := o.Officers + o.Staff
	rate := 5 + rng.Float64()*20    // peer supporters per 1,000
	trimRate := 2 + rng.Float64()*4 // TRiM practitioners per 1,000: the organisation's own, steady year to year
	for y := year - 2; y <= year; y++ {
		if y == year && rng.Float64() < 0.15 {
			continue // not made yet this year
		}
		growth := 1 + 0.1*float64(y-year+2)*rng.Float64()
		supporters := int(float64(workforce) * rate * growth / 1000)
		r := store.PeerSupportReturn{OrganisationID: org.ID, Year: y, CoordinatorInPost: rng.Float64() < 0.75, OHClinicianTrained: rng.Float64() < 0.5,
			PeerSupporters: supporters, PeerChampions: supporters / 6, PeerCoordinators: 1 + supporters/60, TrainedTrainers: supporters / 25,
			DemobDefusingTrained: supporters * (20 + rng.IntN(60)) / 100, TRiMPractitioners: int(float64(workforce)*trimRate*(0.95+0.1*rng.Float64())/1000 + 0.5), ESTIPLead: rng.Float64() < 0.6,
			SupervisionInPlace: rng.Float64() < 0.7, ConfidentialityInPlace: rng.Float64() < 0.85, Contacts: supporters * (2 + rng.IntN(8))}
		r.CoordinatorFullTime = r.CoordinatorInPost && rng.Float64() < 0.6
		if y > year-2 {
			demoPeerTraining(&r, org.ID)
		} // the oldest return was made before these questions: not recorded
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
			if c.Organisation.ID != bySlug[lender].ID || c.Blocked != "" || len(c.Standing) > 0 {
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
				if len(h.DogIDs) > 0 && h.DogIDs[0] == c.Dog.ID && len(store.HandlerGates(policy, req.StartsOn, h, c.Dog)) == 0 {
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

// demoPeerTraining fills a return's training and supervision answers in
// proportion to its peer supporters and trainers. They vary by
// organisation, not by the demo's random draws, so the rest of the demo
// stays as it was.
func demoPeerTraining(r *store.PeerSupportReturn, orgID int64) {
	k := int(orgID % 7)
	walk := r.TrainedTrainers/5 + k%3 // Walk the Talk train-the-trainer places in the year
	delivering := r.TrainedTrainers * (55 + 5*k) / 100
	places := r.PeerSupporters * (10 + 2*k) / 100 // demobilising and defusing course places
	sessions, supervised := 0, 0
	if r.SupervisionInPlace {
		sessions, supervised = 4*(1+r.PeerSupporters/40), r.PeerSupporters*(50+6*k)/100
	}
	r.WalkTheTalkAttended, r.TrainersDelivering, r.DemobCoursePlaces = &walk, &delivering, &places
	r.SupervisionSessions, r.SupportersSupervised = &sessions, &supervised
}
