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
// residual rating from its controls (unless set by hand with a reason), the
// role's band (its riskiest hazard's) and the review and screening dates
// from the band's intervals.
func Finish(m *frameworks.RiskModel, ra *store.RoleAssessment, now time.Time) {
	var residuals []frameworks.Rating
	for i := range ra.Hazards {
		h := &ra.Hazards[i]
		if h.OverrideRationale == "" {
			var applied []frameworks.AppliedControl
			for _, ct := range h.Controls {
				applied = append(applied, frameworks.AppliedControl{LikelihoodReduction: ct.LikelihoodReduction, SeverityReduction: ct.SeverityReduction, Status: ct.Status})
			}
			r := frameworks.Residual(frameworks.Rating{Likelihood: h.InherentL, Severity: h.InherentS}, applied)
			h.ResidualL, h.ResidualS = r.Likelihood, r.Severity
		}
		residuals = append(residuals, frameworks.Rating{Likelihood: h.ResidualL, Severity: h.ResidualS})
	}
	band, _ := m.Worst(residuals)
	ra.OverallBand, ra.ReviewedOn, ra.NextReviewOn, ra.NextScreeningOn = band.Key, now, band.NextReview(now), band.NextScreening(now)
}
