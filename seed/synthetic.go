package seed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

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
	return nil
}
