package seed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// batch is how many rows go in one INSERT.
const batch = 500

// Synthetic fills an empty database with a large national data set for
// performance work: orgs organisations, each with an assessment in each of
// cycles yearly cycles on the current framework edition. It writes in bulk
// and skips the audit trail, which holds no meaning for made-up data.
func Synthetic(ctx context.Context, st *store.Store, set *frameworks.Set, orgs, cycles int, now time.Time) error {
	if orgs < 1 || cycles < 1 {
		return fmt.Errorf("synthetic data needs at least one organisation and one cycle")
	}
	edition := set.Edition("blwf", "2024")
	if edition == nil {
		return fmt.Errorf("synthetic data needs framework blwf 2024")
	}
	fw := edition.Framework
	db := st.DB().WithContext(ctx)
	rng := rand.New(rand.NewPCG(1000, uint64(orgs)))
	created := now.UTC().Truncate(time.Microsecond)

	sectors := []string{"police", "police", "fire", "ambulance"}
	regions := []string{"North West", "North East", "Yorkshire and the Humber", "East Midlands", "West Midlands", "Eastern", "South East", "South West", "London", "Wales"}
	var os []store.Organisation
	for i := range orgs {
		o := Org{Name: fmt.Sprintf("Synthetic organisation %04d", i+1), Slug: fmt.Sprintf("synthetic-%04d", i+1), Sector: sectors[i%len(sectors)],
			Nation: "England", Region: regions[i%len(regions)], Officers: 500 + rng.IntN(8000), Staff: 200 + rng.IntN(3000)}
		if o.Region == "Wales" {
			o.Nation = "Wales"
		}
		os = append(os, store.Organisation{Slug: o.Slug, Name: o.Name, Sector: o.Sector, Nation: o.Nation, Region: o.Region, PeerGroup: peerGroup(o), CreatedAt: created, UpdatedAt: created})
	}
	if err := db.CreateInBatches(&os, batch).Error; err != nil {
		return err
	}
	var workforce []store.Workforce
	first := now.Year() - cycles + 1
	for _, o := range os {
		officers := 500 + rng.IntN(8000)
		for y := range cycles {
			workforce = append(workforce, store.Workforce{OrganisationID: o.ID, Year: first + y, Officers: officers, Staff: officers / 3, Volunteers: rng.IntN(200)})
		}
	}
	if err := db.CreateInBatches(&workforce, batch).Error; err != nil {
		return err
	}
	for y := range cycles {
		year := first + y
		c := store.Cycle{Name: fmt.Sprintf("%d/%02d", year, (year+1)%100), FrameworkKey: "blwf", FrameworkVersion: fw.Version,
			OpensOn: date(year, 4, 1), ClosesOn: date(year+1, 3, 31), Status: store.CycleClosed, CreatedAt: created, UpdatedAt: created}
		if y == cycles-1 {
			c.Status = store.CycleOpen
		}
		if err := db.Create(&c).Error; err != nil {
			return err
		}
		var assessments []store.Assessment
		for _, o := range os {
			status := store.StatusValidated
			switch r := rng.Float64(); {
			case r < 0.1:
				status = store.StatusDraft
			case r < 0.4:
				status = store.StatusSubmitted
			}
			assessments = append(assessments, store.Assessment{OrganisationID: o.ID, CycleID: c.ID, FrameworkKey: "blwf", FrameworkVersion: fw.Version,
				FrameworkSHA256: edition.SHA256, Status: status, CreatedAt: created, UpdatedAt: created})
		}
		if err := db.CreateInBatches(&assessments, batch).Error; err != nil {
			return err
		}
		var responses []store.Response
		flush := func() error {
			if len(responses) == 0 {
				return nil
			}
			err := db.CreateInBatches(&responses, batch).Error
			responses = responses[:0]
			return err
		}
		for i, as := range assessments {
			base := 0.8 + float64(i%17)/8
			for _, s := range fw.Standards() {
				level := min(max(int(math.Round(base+0.1*float64(y)+rng.NormFloat64()*0.7)), 0), len(fw.Scale)-1)
				responses = append(responses, store.Response{AssessmentID: as.ID, StandardID: s.ID, Level: &level, Version: 1, UpdatedBy: "synthetic", UpdatedAt: created})
			}
			if len(responses) >= 10*batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	if err := syntheticRecords(db, set, rng, os, first+cycles-1, created); err != nil {
		return err
	}
	return st.MarkFiguresChanged(ctx) // no audit records: say the figures changed
}

// syntheticRecords gives every organisation a role risk register of four
// roles with two rated hazards each, two OK9 dogs with their handlers, and
// a peer support return for each of the last three years, so the reports
// have provision and risk to benchmark.
func syntheticRecords(db *gorm.DB, set *frameworks.Set, rng *rand.Rand, orgs []store.Organisation, year int, created time.Time) error {
	var model *frameworks.Edition
	for _, e := range set.Editions {
		if e.RiskModel != nil && (model == nil || e.Version > model.Version) {
			model = e
		}
	}
	if model == nil {
		return fmt.Errorf("synthetic data needs a risk model")
	}
	m := model.RiskModel
	var roles []store.RoleAssessment
	var ratings [][2]frameworks.Rating // residual ratings of each role's two hazards
	var dogs []store.OK9Dog
	var returns []store.PeerSupportReturn
	passed := created.AddDate(-1, 0, 0)
	for _, o := range orgs {
		for i := range 4 {
			role := m.Roles[(int(o.ID)+i)%len(m.Roles)]
			head := 10 + rng.IntN(120)
			var pair [2]frameworks.Rating
			worst := frameworks.Band{}
			for h := range pair {
				pair[h] = frameworks.Rating{Likelihood: 1 + rng.IntN(5), Severity: 2 + rng.IntN(4)}
				if b, ok := m.Band(pair[h]); ok && b.Rank > worst.Rank {
					worst = b
				}
			}
			ratings = append(ratings, pair)
			roles = append(roles, store.RoleAssessment{OrganisationID: o.ID, RoleID: role.ID, Version: 1, Current: true,
				ModelKey: model.Key, ModelVersion: model.Version, ModelSHA256: model.SHA256, Headcount: head, ExposedHeadcount: head / 2,
				PeopleScreened: rng.IntN(head + 1), OverallBand: worst.Key, ReviewedOn: created.AddDate(0, -rng.IntN(12), 0),
				NextReviewOn: created.AddDate(0, rng.IntN(12)-2, 0), NextScreeningOn: created.AddDate(0, rng.IntN(12)-2, 0),
				SignedOffBy: "synthetic", CreatedBy: "synthetic", CreatedAt: created})
		}
		for i := range 2 {
			dogs = append(dogs, store.OK9Dog{OrganisationID: o.ID, CallName: fmt.Sprintf("Dog %d", i+1), Status: store.DogActive,
				AssessmentPassedOn: &passed, CreatedAt: created})
		}
		for y := year - 2; y <= year; y++ {
			returns = append(returns, store.PeerSupportReturn{OrganisationID: o.ID, Year: y, CoordinatorInPost: rng.IntN(3) > 0,
				PeerSupporters: rng.IntN(80), PeerChampions: rng.IntN(10), DemobDefusingTrained: rng.IntN(60), TRiMPractitioners: rng.IntN(20),
				Contacts: rng.IntN(400), UpdatedBy: "synthetic", UpdatedAt: created})
		}
	}
	if err := db.Omit("Hazards").CreateInBatches(&roles, batch).Error; err != nil {
		return err
	}
	var hazards []store.HazardRating
	for i, ra := range roles {
		for h, r := range ratings[i] {
			hazards = append(hazards, store.HazardRating{RoleAssessmentID: ra.ID, HazardID: m.Hazards[(i*2+h)%len(m.Hazards)].ID,
				InherentL: min(5, r.Likelihood+1), InherentS: r.Severity, ResidualL: r.Likelihood, ResidualS: r.Severity})
		}
	}
	if err := db.Omit("Controls").CreateInBatches(&hazards, batch).Error; err != nil {
		return err
	}
	if err := db.CreateInBatches(&dogs, batch).Error; err != nil {
		return err
	}
	var handlers []store.OK9Handler
	for _, d := range dogs {
		var trained *time.Time
		if rng.IntN(4) > 0 {
			trained = &passed
		}
		handlers = append(handlers, store.OK9Handler{OrganisationID: d.OrganisationID, DisplayName: "Handler of " + d.CallName,
			PeerSupporterTrainedOn: trained, DogIDs: []int64{d.ID}, CreatedAt: created})
	}
	if err := db.CreateInBatches(&handlers, batch).Error; err != nil {
		return err
	}
	return db.CreateInBatches(&returns, batch).Error
}
