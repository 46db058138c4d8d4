package reporting

import (
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// ScreeningRule says in words what screening compliance is, wherever it is
// shown.
const ScreeningRule = "Screening compliance is the share of the people in roles banded high or very high on the role risk register who were screened within their interval, counted as the register stood on the day named."

// Screening is screening compliance as the register stood on a day: the
// one definition the register, the benchmark, the business case and its
// trend all use, so that one fact is one figure everywhere.
type Screening struct {
	AsAt time.Time
	// Due counts the people in roles banded high or very high; Screened
	// those of them screened within their interval.
	Due, Screened int
}

// Value is compliance as a percentage, unrounded (each output rounds it to
// whole per cent), or missing when no one is due.
func (s Screening) Value() figure.Value {
	if s.Due == 0 {
		return figure.MissingValue("no one in high or very high risk roles on the register " + store.AsAt(s.AsAt))
	}
	return figure.Of(100 * float64(s.Screened) / float64(s.Due))
}

// Text is compliance as every page shows it: whole per cent, or "no figure".
func (s Screening) Text() string {
	v := s.Value()
	if !v.Ok() {
		return "no figure"
	}
	return v.Format(0) + "%"
}

// screeningAt works out screening compliance from role assessments as the
// register stood at the end of day at: each role counts with its latest
// version reviewed by then, and only if that version's band is one of high.
func screeningAt(versions []store.RoleAssessment, high map[string]bool, at time.Time) Screening {
	at = frameworks.Day(at)
	end := at.AddDate(0, 0, 1)
	latest := map[string]store.RoleAssessment{}
	for _, v := range versions {
		if v.ReviewedOn.Before(end) {
			if old, ok := latest[v.RoleID]; !ok || !v.ReviewedOn.Before(old.ReviewedOn) {
				latest[v.RoleID] = v
			}
		}
	}
	s := Screening{AsAt: at}
	for _, v := range latest {
		if high[v.OverallBand] {
			s.Due += v.Headcount
			s.Screened += v.PeopleScreened
		}
	}
	return s
}

// highBandKeys are the keys of the current risk model's two highest bands
// ("high" and "very high").
func (s *Service) highBandKeys() map[string]bool {
	keys := map[string]bool{}
	if m := s.frameworks.CurrentRiskModel(); m != nil {
		for _, b := range highestBands(m.RiskModel.Bands, 2) {
			keys[b.Key] = true
		}
	}
	return keys
}

// ScreeningNow is an organisation's screening compliance as its current
// register stands today.
func (s *Service) ScreeningNow(rows []RegisterRow) Screening {
	versions := make([]store.RoleAssessment, len(rows))
	for i, r := range rows {
		versions[i] = r.RoleAssessment
	}
	return screeningAt(versions, s.highBandKeys(), s.store.Now())
}
