package frameworks

import "time"

// Rating is a likelihood x severity pair on a risk model's scales.
type Rating struct {
	Likelihood int `json:"likelihood"`
	Severity   int `json:"severity"`
}

// Control statuses. A control in place gives its full reduction, one partly
// in place half of it (rounded down), a planned one none yet.
const (
	ControlInPlace = "in place"
	ControlPartly  = "partly in place"
	ControlPlanned = "planned"
)

// ControlStatuses lists the statuses in the order people move through them.
var ControlStatuses = []string{ControlPlanned, ControlPartly, ControlInPlace}

// AppliedControl is a control put against a hazard, with the reductions it
// gives (from the catalogue, or set locally) and how far it is in place.
type AppliedControl struct {
	LikelihoodReduction, SeverityReduction int
	Status                                 string
}

func (c AppliedControl) effective() (l, s int) {
	switch c.Status {
	case ControlInPlace:
		return c.LikelihoodReduction, c.SeverityReduction
	case ControlPartly:
		return c.LikelihoodReduction / 2, c.SeverityReduction / 2
	}
	return 0, 0
}

// Residual is the rating left once the controls work: the inherent rating
// less the controls' reductions, never below the lowest level.
func Residual(inherent Rating, controls []AppliedControl) Rating {
	r := inherent
	for _, c := range controls {
		l, s := c.effective()
		r.Likelihood -= l
		r.Severity -= s
	}
	return Rating{Likelihood: max(r.Likelihood, 1), Severity: max(r.Severity, 1)}
}

// Band returns the band of a rating from the model's grid.
func (m *RiskModel) Band(r Rating) (Band, bool) {
	for _, row := range m.Grid {
		if row.Likelihood != r.Likelihood || r.Severity < 1 || r.Severity > len(row.Bands) {
			continue
		}
		for _, b := range m.Bands {
			if b.Key == row.Bands[r.Severity-1] {
				return b, true
			}
		}
	}
	return Band{}, false
}

// Worst returns the highest-ranked band among ratings: a role is as risky
// as its riskiest hazard.
func (m *RiskModel) Worst(ratings []Rating) (Band, bool) {
	var worst Band
	found := false
	for _, r := range ratings {
		if b, ok := m.Band(r); ok && (!found || b.Rank > worst.Rank) {
			worst, found = b, true
		}
	}
	return worst, found
}

// NextReview is when a role in this band must be reviewed again.
func (b Band) NextReview(from time.Time) time.Time {
	return from.AddDate(0, 0, b.ReviewIntervalDays)
}

// NextScreening is when people in a role in this band must be screened again.
func (b Band) NextScreening(from time.Time) time.Time {
	return from.AddDate(0, 0, b.ScreeningIntervalDays)
}

// PeriodicDue is when a role's periodic screening falls due after the
// screening on from: the sooner of the role's own cadence (set by the role,
// never by the band, so controls cannot lengthen it) and the band's
// interval. A role outside a screening programme has only the band's.
func PeriodicDue(role Role, band Band, from time.Time) time.Time {
	due := band.NextScreening(from)
	if band.ScreeningIntervalDays == 0 {
		due = time.Time{}
	}
	months := 0
	switch {
	case role.Screening != nil && role.Screening.PeriodicMonths > 0:
		months = role.Screening.PeriodicMonths
	case role.ScreeningProgramme: // a format 1 role: at least yearly
		months = MaxPeriodicMonths
	}
	if months > 0 {
		if r := from.AddDate(0, months, 0); due.IsZero() || r.Before(due) {
			due = r
		}
	}
	return due
}

// RoleCohorts are the screening cohorts a role records: those its
// programme declares, or referral screening alone for a role outside one.
func RoleCohorts(role Role) []string {
	if role.Screening != nil && len(role.Screening.Cohorts) > 0 {
		return role.Screening.Cohorts
	}
	return []string{CohortReferral}
}

// Reduction is what a control does to a hazard: the levels it takes off
// likelihood and severity, and whether it acts on that hazard at all. A
// control of an edition that names no hazards (2026.1) acts on every
// hazard with its one pair of reductions.
func (c Control) Reduction(hazardID string) (l, s int, ok bool) {
	if len(c.Mitigates) == 0 {
		return c.LikelihoodReduction, c.SeverityReduction, true
	}
	for _, m := range c.Mitigates {
		if m.Hazard != hazardID {
			continue
		}
		ok = true
		switch m.Axis {
		case AxisLikelihood:
			l += m.Amount
		case AxisSeverity:
			s += m.Amount
		}
	}
	return l, s, ok
}

// ControlsFor lists the role's recommended controls that act on a hazard,
// in the role's order: the only ones the form offers against it.
func (m *RiskModel) ControlsFor(role Role, hazardID string) []Control {
	var out []Control
	for _, id := range role.RecommendedControls {
		if c, ok := m.Control(id); ok {
			if _, _, acts := c.Reduction(hazardID); acts {
				out = append(out, c)
			}
		}
	}
	return out
}

// ResidualFor is Residual held at the hazard's floor: no control takes a
// hazard below the exposure the role cannot avoid (and never above the
// inherent rating).
func (m *RiskModel) ResidualFor(hazardID string, inherent Rating, controls []AppliedControl) Rating {
	r := Residual(inherent, controls)
	if h, ok := m.Hazard(hazardID); ok && h.Floor != nil {
		r.Likelihood = max(r.Likelihood, min(h.Floor.Likelihood, inherent.Likelihood))
		r.Severity = max(r.Severity, min(h.Floor.Severity, inherent.Severity))
	}
	return r
}

// InSector says whether a role or hazard listing these sectors applies to
// an organisation of the sector.
func InSector(sectors []string, sector string) bool {
	for _, s := range sectors {
		if s == sector || s == SectorAny {
			return true
		}
	}
	return false
}

// Hazard returns a hazard of the catalogue by id.
func (m *RiskModel) Hazard(id string) (Hazard, bool) {
	for _, h := range m.Hazards {
		if h.ID == id {
			return h, true
		}
	}
	return Hazard{}, false
}

// Control returns a control of the catalogue by id.
func (m *RiskModel) Control(id string) (Control, bool) {
	for _, c := range m.Controls {
		if c.ID == id {
			return c, true
		}
	}
	return Control{}, false
}

// Role returns a role of the catalogue by id.
func (m *RiskModel) Role(id string) (Role, bool) {
	for _, r := range m.Roles {
		if r.ID == id {
			return r, true
		}
	}
	return Role{}, false
}
