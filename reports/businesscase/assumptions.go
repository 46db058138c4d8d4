// Package businesscase builds the short business case a wellbeing lead
// takes to the chief officer team: what to fund, what it costs and what it
// should return, with every figure traceable to an input or an assumption.
//
// Generate turns an organisation's figures (Inputs) and a set of
// Assumptions into costed recommendations; Render writes a Document as a
// PDF. Both are pure: no database, no clock.
package businesscase

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// Assumption keys used by Generate.
const (
	KeyScreeningCost        = "screening_cost_per_person"
	KeyScreeningGain        = "screening_gain_per_person"
	KeyFollowUpShare        = "screening_follow_up_share"
	KeyFollowUpCost         = "screening_follow_up_cost"
	KeyDaysLostPolicing     = "days_lost_policing_per_year"
	KeyPolicingWorkforce    = "policing_workforce"
	KeyWorkingDayCost       = "working_day_cost"
	KeyCoordinatorCost      = "coordinator_cost_per_year"
	KeyCoordinatorReduction = "coordinator_days_lost_reduction"
	KeyPeerTrainingDays     = "peer_support_training_days"
	KeyTrainingDayCost      = "training_day_cost"
	KeyDaysAvoidedPerPeer   = "days_avoided_per_peer_supporter"
)

// Keys of the figures only an organisation can give (see OwnFigures).
const (
	KeyOwnDaysLost          = "own_days_lost_mental_health"
	KeyIllHealthRetirements = "ill_health_retirements_mental_health"
)

// Assumption is one number the business case rests on.
type Assumption struct {
	// Key is how Generate looks the assumption up (see the Key constants).
	Key string
	// Name says what it is in words.
	Name  string
	Value float64
	// Unit, e.g. "GBP per person", "days a year", "%".
	Unit string
	// Min and Max bound the values that make sense, in Unit: a figure
	// outside them is a typing error, and huge ones overflow the sums
	// (1e308 pounds prints as "£+Inf").
	Min, Max float64
	// Source cites where the value comes from, or how we worked it out.
	Source string
	// OwnEstimate marks a value that is the toolkit team's estimate, not a
	// published figure: an organisation should replace it with its own.
	OwnEstimate bool
	// Sectors lists the sectors whose business case uses the assumption;
	// empty means every sector.
	Sectors []string
}

// For reports whether the assumption applies to a sector.
func (a Assumption) For(sector string) bool {
	return len(a.Sectors) == 0 || slices.Contains(a.Sectors, sector)
}

// Amount is the value as printed: in pounds ("£84.30", "£55,000") when
// the unit is money, otherwise the number, with the unit that remains
// ("per person screened", "days a year").
func (a Assumption) Amount() (value, unit string) {
	if rest, ok := strings.CutPrefix(a.Unit, "GBP"); ok {
		return figure.Pounds(a.Value), strings.TrimSpace(rest)
	}
	return trimNumber(a.Value), a.Unit
}

// Quantity is the value with its unit in words: "£84.30 per person
// screened", "2.61 days a year", "30%".
func (a Assumption) Quantity() string {
	v, u := a.Amount()
	switch {
	case u == "":
		return v
	case u == "%":
		return v + "%"
	}
	return v + " " + u
}

// InRange reports whether v is a value the assumption can take.
func (a Assumption) InRange(v float64) bool { return v >= a.Min && v <= a.Max } // NaN is neither

// Assumptions is a list of assumptions; later entries with the same key
// override earlier ones, so local figures can be appended to the defaults.
type Assumptions []Assumption

// Get returns the last assumption with the key.
func (as Assumptions) Get(key string) (Assumption, bool) {
	for i := len(as) - 1; i >= 0; i-- {
		if as[i].Key == key {
			return as[i], true
		}
	}
	return Assumption{}, false
}

// Effective is the list with overridden entries removed, in first-seen
// order: what the appendix prints.
func (as Assumptions) Effective() Assumptions {
	var out Assumptions
	index := map[string]int{}
	for _, a := range as {
		if i, ok := index[a.Key]; ok {
			out[i] = a
			continue
		}
		index[a.Key] = len(out)
		out = append(out, a)
	}
	return out
}

// value returns an assumption's value, or records that it is missing.
func (as Assumptions) value(key string, missing *[]string) float64 {
	a, ok := as.Get(key)
	if !ok {
		*missing = append(*missing, key)
	}
	return a.Value
}

// Sources cited in full in the business case.
const (
	McCrone2024  = "McCrone P, Tehrani N, Tehrani R, Horsley A, Hesketh I (2024). Economic evaluation of a psychological surveillance and support programme in the UK police force. International Journal of Emergency Services. Emerald. doi:10.1108/IJES-03-2024-0020"
	NPWSDaysLost = "National Police Wellbeing Service (Oscar Kilo): up to 600,000 working days lost in policing each year to psychological ill-health"
)

// DefaultAssumptions are the figures the toolkit starts from for a sector
// ("police", "fire", "ambulance" or "other"). Published figures cite their
// source; the rest are marked OwnEstimate and should be replaced with the
// organisation's own.
func DefaultAssumptions(sector string) Assumptions {
	var out Assumptions
	for _, a := range allDefaults() {
		if a.For(sector) {
			out = append(out, a)
		}
	}
	return out
}

func allDefaults() Assumptions {
	return Assumptions{
		{Key: KeyScreeningCost, Name: "Cost of screening one person in a high-risk role", Value: 84.29, Unit: "GBP per person screened", Min: 0, Max: 10000,
			Source: "McCrone et al. (2024): £84,287 to screen a modelled 1,000 police staff; divided by 1,000 by us"},
		{Key: KeyFollowUpShare, Name: "Share of people screened who need further assessment or support", Value: 15, Unit: "%", Min: 0, Max: 100,
			Source: "Our estimate; replace with the share your screening provider refers on", OwnEstimate: true},
		{Key: KeyFollowUpCost, Name: "Cost of the assessment and support that follow a referral", Value: 600, Unit: "GBP per person referred", Min: 0, Max: 100000,
			Source: "Our estimate of a clinical assessment and a short course of therapy; replace with your occupational health provider's price", OwnEstimate: true},
		{Key: KeyScreeningGain, Name: "Productivity gain from screening one person", Value: 241.67, Unit: "GBP per person screened", Min: 0, Max: 100000,
			Source: "McCrone et al. (2024): £241,672 of work productivity for a modelled 1,000 police staff; divided by 1,000 by us"},
		{Key: KeyDaysLostPolicing, Name: "Working days lost in policing each year to psychological ill-health", Value: 600000, Unit: "days a year", Min: 0, Max: 10000000,
			Source: NPWSDaysLost + "; an upper figure", Sectors: []string{"police"}},
		{Key: KeyPolicingWorkforce, Name: "Policing workforce the days lost are spread over", Value: 230000, Unit: "people", Min: 1, Max: 1000000,
			Source: "Our estimate: officers, staff and PCSOs in England and Wales, rounded; replace with the year's Home Office workforce statistics", OwnEstimate: true, Sectors: []string{"police"}},
		{Key: KeyWorkingDayCost, Name: "Cost of one working day lost", Value: 200, Unit: "GBP per day", Min: 0, Max: 5000,
			Source: "Our estimate: average pay plus on-costs for a working day, before backfill or overtime; replace with your finance team's figure", OwnEstimate: true},
		{Key: KeyCoordinatorCost, Name: "Cost of a full-time peer support coordinator", Value: 55000, Unit: "GBP a year", Min: 0, Max: 1000000,
			Source: "Our estimate: salary plus on-costs for a full-time post; replace with your grade's cost", OwnEstimate: true},
		{Key: KeyCoordinatorReduction, Name: "Share of psychological working days lost avoided with a coordinated peer support network", Value: 2, Unit: "%", Min: 0, Max: 100,
			Source: "Our estimate, deliberately cautious; no published figure found", OwnEstimate: true},
		{Key: KeyPeerTrainingDays, Name: "Training days to qualify one peer supporter", Value: 3, Unit: "days per person", Min: 0, Max: 365,
			Source: "Our estimate of course and supervision time; check with your trainers", OwnEstimate: true},
		{Key: KeyTrainingDayCost, Name: "Cost of one training day (abstraction and trainer time)", Value: 250, Unit: "GBP per person per day", Min: 0, Max: 5000,
			Source: "Our estimate; replace with your learning and development team's day rate", OwnEstimate: true},
		{Key: KeyDaysAvoidedPerPeer, Name: "Working days lost avoided each year per additional trained peer supporter", Value: 2, Unit: "days a year per supporter", Min: 0, Max: 365,
			Source: "Our estimate, deliberately cautious; no published figure found", OwnEstimate: true},
	}
}

// OwnFigures are the figures only the organisation can give, with no
// default: its working days lost to mental ill health, which the returns
// use in place of a national figure (fire and ambulance services have no
// published one), and its ill-health retirements, which the need reports.
func OwnFigures() Assumptions {
	return Assumptions{
		{Key: KeyOwnDaysLost, Name: "Working days your organisation lost to mental ill health in the last year", Unit: "days a year", Min: 0, Max: 10000000,
			Source: "Your own absence records: for ambulance trusts, NHS England's NHS Sickness Absence Rates (anxiety, stress, depression and other psychiatric illnesses); for fire and rescue services and police forces, your HR system"},
		{Key: KeyIllHealthRetirements, Name: "Ill-health retirements for mental ill health in the last year", Unit: "people", Min: 0, Max: 100000,
			Source: "Your own pensions or HR records"},
	}
}

// missingError names every assumption a plan needed but did not have.
type missingError []string

func (m missingError) Error() string {
	return fmt.Sprintf("business case: assumptions missing: %s", strings.Join(m, ", "))
}
