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
