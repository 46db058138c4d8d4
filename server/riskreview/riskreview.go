// Package riskreview holds the rules of a role risk review that follow from
// the risk model and need no web request: what a review's ratings make of
// the role's band and dates, how an organisation's own roles are named and
// presented as roles of the model, and what changed between two versions.
package riskreview

import (
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Finish works out what follows from a review's ratings: each hazard's
// residual rating from its controls, held at the hazard's floor (unless set
// by hand with a reason), the role's band (its riskiest hazard's), the
// review date from the band, and the screening dates: each cohort's due
// date, and the role's next screening as the soonest of them. Periodic
// screening falls due at the sooner of the role's cadence and the band's
// interval after the last screening, so controls never lengthen it.
func Finish(m *frameworks.RiskModel, role frameworks.Role, ra *store.RoleAssessment, now time.Time) {
	var residuals []frameworks.Rating
	for i := range ra.Hazards {
		h := &ra.Hazards[i]
		if h.OverrideRationale == "" {
			var applied []frameworks.AppliedControl
			for _, ct := range h.Controls {
				applied = append(applied, frameworks.AppliedControl{LikelihoodReduction: ct.LikelihoodReduction, SeverityReduction: ct.SeverityReduction, Status: ct.Status})
			}
			r := m.ResidualFor(h.HazardID, frameworks.Rating{Likelihood: h.InherentL, Severity: h.InherentS}, applied)
			h.ResidualL, h.ResidualS = r.Likelihood, r.Severity
		}
		residuals = append(residuals, frameworks.Rating{Likelihood: h.ResidualL, Severity: h.ResidualS})
	}
	band, _ := m.Worst(residuals)
	ra.OverallBand, ra.ReviewedOn, ra.NextReviewOn = band.Key, now, band.NextReview(now)
	ra.NextScreeningOn = ScreeningDates(role, band, ra.Cohorts, now)
}

// ScreeningDates sets each cohort's due date and returns the role's next
// screening date: the soonest cohort due date, or the periodic date from
// now when no cohort sets one.
//
// Initial and referral screening fall due now while anyone due has not
// been screened (initial screening comes before deployment); periodic
// screening falls due a cadence after the last screening, or now when
// there has been none.
func ScreeningDates(role frameworks.Role, band frameworks.Band, cohorts []store.ScreeningCohort, now time.Time) time.Time {
	var next time.Time
	sooner := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	periodic := false
	for i := range cohorts {
		co := &cohorts[i]
		co.DueOn = nil
		switch co.Cohort {
		case frameworks.CohortPeriodic:
			periodic = true
			due := now
			if last := co.LastScreenedOn; last != nil {
				if last.After(now) { // a screening still to come is not one that happened
					last = &now
				}
				due = frameworks.PeriodicDue(role, band, *last)
			}
			co.DueOn = &due
		default:
			if co.Screened < co.PeopleDue {
				due := now
				co.DueOn = &due
			}
		}
		if co.DueOn != nil {
			sooner(*co.DueOn)
		}
	}
	if !periodic {
		sooner(frameworks.PeriodicDue(role, band, now))
	}
	return next
}
