package businesscase

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// Inputs are the organisation's own figures the recommendations are drawn
// from. A figure that is not Known (missing or suppressed) switches off the
// rules that need it; Plan.Unchecked says which and why. Set each figure's
// Source so the appendix can trace it.
type Inputs struct {
	// Sector is the organisation's: "police", "fire", "ambulance" or
	// "other". It chooses the wording, the examples and which national
	// figures apply.
	Sector string
	// Workforce is the organisation's headcount (all officers and staff).
	Workforce figure.Value
	// HighRiskPeople and VeryHighRiskPeople count people in roles whose
	// current risk band is high or very high.
	HighRiskPeople, VeryHighRiskPeople figure.Value
	// HighRiskRoles names the roles in those bands on the register.
	HighRiskRoles []string
	// ScreenedInDate counts the people in those roles whose psychological
	// screening is in date.
	ScreenedInDate figure.Value
	// ScreeningAsAt is the day the register was counted for the figures
	// above.
	ScreeningAsAt time.Time
	// ScreeningTrend is screening compliance (%) as the register stood at
	// earlier days, oldest first, ending with the figure above.
	ScreeningTrend []TrendPoint

	// PeerSupporters counts trained, active peer supporters.
	PeerSupporters figure.Value
	// PeerSupportersPeerMedian is the peer group's median of peer
	// supporters per 1,000 staff.
	PeerSupportersPeerMedian figure.Value
	// CoordinatorInPost is true when a dedicated peer support coordinator is
	// in post.
	CoordinatorInPost bool

	// OK9Dogs and OK9Handlers count the organisation's wellbeing dogs and
	// their handlers; OK9HandlersPeerTrained counts the handlers trained as
	// peer supporters (or mental health first aiders), as the national
	// standard asks of every handler.
	OK9Dogs, OK9Handlers, OK9HandlersPeerTrained figure.Value
	// OK9DogsPeerMedian is the peer group's median of OK9 dogs per 1,000.
	OK9DogsPeerMedian figure.Value
	// Comparator names the group the "peer" medians come from in a column
	// heading: "Peer" (the default) or "Sector" when the organisation's own
	// peer group was too small to compare with.
	Comparator string

	// DemobilisingCover is the share (%) of frontline supervisors trained to
	// demobilise; DefusingCover the share (%) of teams with a trained
	// defuser available. Reported, not costed.
	DemobilisingCover, DefusingCover figure.Value
}

// TrendPoint is one figure of a trend; Label says when it was counted.
type TrendPoint struct {
	Label string
	Value figure.Value
}

// HighRisk is the number of people in high and very high risk roles.
func (in Inputs) HighRisk() figure.Value {
	if !in.HighRiskPeople.Ok() || !in.VeryHighRiskPeople.Ok() {
		return worst(in.HighRiskPeople, in.VeryHighRiskPeople)
	}
	return figure.Of(in.HighRiskPeople.V + in.VeryHighRiskPeople.V)
}

// ScreeningCompliance is the share (%) of people in high and very high
// risk roles whose screening is in date.
func (in Inputs) ScreeningCompliance() figure.Value {
	total := in.HighRisk()
	if !total.Ok() || !in.ScreenedInDate.Ok() {
		return worst(total, in.ScreenedInDate)
	}
	if total.V == 0 {
		return figure.MissingValue("no one in high or very high risk roles")
	}
	return figure.Of(100 * in.ScreenedInDate.V / total.V)
}

// Per1000 is count per 1,000 of the workforce.
func (in Inputs) Per1000(count figure.Value) figure.Value {
	if !count.Ok() || !in.Workforce.Ok() {
		return worst(count, in.Workforce)
	}
	if in.Workforce.V <= 0 {
		return figure.MissingValue("workforce figure missing")
	}
	return figure.Of(1000 * count.V / in.Workforce.V)
}

// worst returns the first value that is not Known, preferring suppressed,
// so a derived figure is suppressed whenever any part of it is.
func worst(vs ...figure.Value) figure.Value {
	for _, v := range vs {
		if v.State == figure.Suppressed {
			return figure.SuppressedValue(v.Note)
		}
	}
	for _, v := range vs {
		if !v.Ok() {
			return figure.MissingValue(v.Note)
		}
	}
	return figure.MissingValue("")
}

// Rule names, one per recommendation Generate can make.
const (
	RuleCoordinator = "coordinator"
	RulePeerSupport = "peer-supporters"
	RuleScreening   = "screening"
	RuleOK9Handlers = "ok9-handler-training"
)

// Recommendation is one costed measure.
type Recommendation struct {
	// Rule is the Generate rule that made it, or empty if written by hand.
	Rule string
	// Title is the measure in a few words; Rationale why it matters here.
	Title, Rationale string
	// Cost is the first-year cost in pounds; CostWorking shows the sum.
	Cost        float64
	CostWorking string
	// Return is the expected yearly return in pounds (0 if not costed);
	// ReturnWorking shows the sum.
	Return        float64
	ReturnWorking string
	// Benefit says in words what the organisation gets.
	Benefit string
	// Assumptions lists the keys of the assumptions the sums use.
	Assumptions []string
}

// Plan is what Generate recommends.
type Plan struct {
	Recommendations []Recommendation
	// Gaps states each gap found, in words.
	Gaps []string
	// Unchecked lists rules that could not be tested and why.
	Unchecked []string
	// DaysLostBasis says where the working days lost per person that the
	// returns use come from, or why there is no such figure.
	DaysLostBasis string
}

// Used lists the keys of the assumptions the recommendations' sums use, in
// first-use order.
func (p Plan) Used() []string {
	var keys []string
	for _, r := range p.Recommendations {
		for _, k := range r.Assumptions {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// Totals adds up cost and return over recommendations.
func Totals(recs []Recommendation) (cost, ret float64) {
	for _, r := range recs {
		cost += r.Cost
		ret += r.Return
	}
	return cost, ret
}

// ROI is (return - cost) / cost as a percentage; ok is false when there is
// no cost.
func ROI(cost, ret float64) (pct float64, ok bool) {
	if cost <= 0 {
		return 0, false
	}
	return 100 * (ret - cost) / cost, true
}

// daysLost is the working days lost to psychological ill-health per
// person that the returns rest on, and where it comes from.
type daysLost struct {
	ok bool
	// working shows the days lost over the workforce, for a return's sum;
	// keys are the assumptions it uses; basis says it in a sentence.
	working func(share float64) (days float64, text string)
	keys    []string
	basis   string
}

// lostDays takes the organisation's own figure when it has given one; a
// police force otherwise takes the national policing figure. Fire and
// ambulance services have no published national figure, so without their
// own there is none.
func lostDays(in Inputs, as Assumptions) daysLost {
	if own, ok := as.Get(KeyOwnDaysLost); ok {
		return daysLost{ok: true, keys: []string{KeyOwnDaysLost},
			working: func(share float64) (float64, string) {
				days := own.Value * share / 100
				return days, fmt.Sprintf("%s days lost to mental ill health × %s%% avoided = %s days", figure.Number(own.Value, 0), figure.Number(share, 1), figure.Number(days, 0))
			},
			basis: fmt.Sprintf("Working days lost come from your own figure: %s days a year lost to mental ill health (%s).", figure.Number(own.Value, 0), own.Source)}
	}
	days, ok1 := as.Get(KeyDaysLostPolicing)
	workforce, ok2 := as.Get(KeyPolicingWorkforce)
	if in.Sector != "police" || !ok1 || !ok2 || workforce.Value <= 0 || !in.Workforce.Ok() {
		why := "there is no published national figure for " + figure.SectorPlural(in.Sector)
		if in.Sector == "police" {
			why = "the national policing figure or the workforce figure is missing"
		}
		return daysLost{basis: "Returns on working time lost are not estimated: " + why + ". Give your organisation's own working days lost to mental ill health among the assumptions to estimate them."}
	}
	per := days.Value / workforce.Value
	return daysLost{ok: true, keys: []string{KeyDaysLostPolicing, KeyPolicingWorkforce},
		working: func(share float64) (float64, string) {
			d := in.Workforce.V * per * share / 100
			return d, fmt.Sprintf("%s staff × %s days lost per person × %s%% avoided = %s days",
				figure.Number(in.Workforce.V, 0), figure.Number(per, 2), figure.Number(share, 1), figure.Number(d, 0))
		},
		basis: fmt.Sprintf("Working days lost come from the national policing figure: %s days a year over a policing workforce of %s, %s days per person; your own figure, if you give one, replaces it.",
			figure.Number(days.Value, 0), figure.Number(workforce.Value, 0), figure.Number(per, 2))}
}

// Generate applies the rules to the inputs:
//
//   - no coordinator in post: fund one, at the coordinator cost; return is
//     the share of working days lost avoided (see lostDays);
//   - peer supporters per 1,000 below the peer median: train enough to reach
//     it, at training days x day cost; return is days avoided per supporter;
//   - screening compliance below 100% in high and very high risk roles:
//     screen the unscreened at the cost per person plus the support that
//     follows for those referred; return is the published productivity gain
//     per person;
//   - OK9 handlers without peer support training: train them, as for
//     peer supporters.
//
// It fails, naming them, if assumptions are missing.
func Generate(in Inputs, as Assumptions) (Plan, error) {
	var missing []string
	screenCost := as.value(KeyScreeningCost, &missing)
	followShare := as.value(KeyFollowUpShare, &missing)
	followCost := as.value(KeyFollowUpCost, &missing)
	screenGain := as.value(KeyScreeningGain, &missing)
	dayCost := as.value(KeyWorkingDayCost, &missing)
	coordCost := as.value(KeyCoordinatorCost, &missing)
	coordShare := as.value(KeyCoordinatorReduction, &missing)
	trainDays := as.value(KeyPeerTrainingDays, &missing)
	trainDayCost := as.value(KeyTrainingDayCost, &missing)
	perPeer := as.value(KeyDaysAvoidedPerPeer, &missing)
	if len(missing) > 0 {
		return Plan{}, missingError(missing)
	}
	lost := lostDays(in, as)
	p := Plan{DaysLostBasis: lost.basis}
	add := func(r Recommendation, gap string) {
		p.Recommendations = append(p.Recommendations, r)
		p.Gaps = append(p.Gaps, gap)
	}

	// Coordinator.
	if !in.CoordinatorInPost {
		r := Recommendation{Rule: RuleCoordinator, Title: "Appoint a full-time peer support coordinator",
			Rationale: "The national peer support model expects each organisation to have a dedicated coordinator to recruit, supervise and support its peer supporters; there is none in post.",
			Cost:      coordCost, CostWorking: "1 post × " + figure.Pounds(coordCost) + " a year",
			Benefit:     "A peer support network that is run, supervised and sustained, and one point of contact for trauma support and for the national team.",
			Assumptions: []string{KeyCoordinatorCost}}
		if lost.ok {
			days, working := lost.working(coordShare)
			r.Return = days * dayCost
			r.ReturnWorking = working + " × " + figure.Pounds(dayCost) + "; the share avoided is our estimate, not a published figure"
			r.Assumptions = append(r.Assumptions, lost.keys...)
			r.Assumptions = append(r.Assumptions, KeyCoordinatorReduction, KeyWorkingDayCost)
		} else {
			r.ReturnWorking = "not estimated: no figure for working days lost"
		}
		add(r, "No dedicated peer support coordinator is in post.")
	}

	// Peer supporters per 1,000 against the peer median.
	per := in.Per1000(in.PeerSupporters)
	switch {
	case !per.Ok() || !in.PeerSupportersPeerMedian.Ok():
		p.Unchecked = append(p.Unchecked, "Peer supporters against the "+in.ComparatorMedian()+": "+noteOr(worst(per, in.PeerSupportersPeerMedian), "figure missing"))
	case per.V < in.PeerSupportersPeerMedian.V:
		target := math.Ceil(in.PeerSupportersPeerMedian.V * in.Workforce.V / 1000)
		n := target - in.PeerSupporters.V
		if n > 0 {
			cost := n * trainDays * trainDayCost
			days := n * perPeer
			add(Recommendation{Rule: RulePeerSupport, Title: "Train " + figure.Count(n, "more peer supporter", "more peer supporters"),
				Rationale: fmt.Sprintf("We have %s peer supporters per 1,000 staff against a "+in.ComparatorMedian()+" of %s; %s more would bring us to the median.",
					figure.Number(per.V, 1), figure.Number(in.PeerSupportersPeerMedian.V, 1), figure.Number(n, 0)),
				Cost:          cost,
				CostWorking:   fmt.Sprintf("%s × %s training days × %s a day", figure.Count(n, "person", "people"), figure.Number(trainDays, 1), figure.Pounds(trainDayCost)),
				Return:        days * dayCost,
				ReturnWorking: fmt.Sprintf("%s × %s days avoided each = %s × %s", figure.Count(n, "supporter", "supporters"), figure.Number(perPeer, 1), figure.Count(days, "day", "days"), figure.Pounds(dayCost)),
				Benefit:       "Trained colleagues close to every team, able to spot distress early and offer demobilising, defusing and signposting.",
				Assumptions:   []string{KeyPeerTrainingDays, KeyTrainingDayCost, KeyDaysAvoidedPerPeer, KeyWorkingDayCost}},
				fmt.Sprintf("Peer supporters per 1,000 staff (%s) are below the "+in.ComparatorMedian()+" (%s).", figure.Number(per.V, 1), figure.Number(in.PeerSupportersPeerMedian.V, 1)))
		}
	}

	// Screening in high and very high risk roles.
	comp := in.ScreeningCompliance()
	switch {
	case !comp.Ok():
		p.Unchecked = append(p.Unchecked, "Screening compliance: "+noteOr(comp, "figure missing"))
	case comp.V < 100:
		n := in.HighRisk().V - in.ScreenedInDate.V
		perPerson := screenCost + followShare/100*followCost
		evidence := "The published evaluation of the police screening programme (McCrone et al., 2024) found a return on investment of 187%."
		if in.Sector != "police" {
			evidence = "The published evaluation (McCrone et al., 2024) is of the police programme, with a return on investment of 187%; it is the nearest evidence for your roles."
		}
		add(Recommendation{Rule: RuleScreening, Title: screenTitle(n),
			Rationale: fmt.Sprintf("%s of %s in high and very high risk roles (%s%%) %s in-date psychological screening.",
				figure.Number(in.ScreenedInDate.V, 0), figure.Count(in.HighRisk().V, "person", "people"), figure.Number(comp.V, 0), figure.Verb(in.ScreenedInDate.V, "has", "have")),
			Cost: n * perPerson,
			CostWorking: fmt.Sprintf("%s × (%s screening + %s%% referred on × %s for the assessment and support that follow)",
				figure.Count(n, "person", "people"), figure.Pounds(screenCost), figure.Number(followShare, 0), figure.Pounds(followCost)),
			Return:        n * screenGain,
			ReturnWorking: fmt.Sprintf("%s × %s productivity gain per person", figure.Count(n, "person", "people"), figure.Pounds(screenGain)),
			Benefit:       "Problems found and treated earlier in the roles most exposed to trauma. " + evidence,
			Assumptions:   []string{KeyScreeningCost, KeyFollowUpShare, KeyFollowUpCost, KeyScreeningGain}},
			fmt.Sprintf("Screening compliance in high and very high risk roles is %s%%, not 100%%.", figure.Number(comp.V, 0)))
	}

	// OK9 handlers without peer support training.
	switch {
	case !in.OK9Handlers.Ok() || !in.OK9HandlersPeerTrained.Ok():
		if in.OK9Handlers.State != figure.Known || in.OK9Handlers.V > 0 {
			p.Unchecked = append(p.Unchecked, "OK9 handler training: "+noteOr(worst(in.OK9Handlers, in.OK9HandlersPeerTrained), "figure missing"))
		}
	case in.OK9Handlers.V > in.OK9HandlersPeerTrained.V:
		n := in.OK9Handlers.V - in.OK9HandlersPeerTrained.V
		cost := n * trainDays * trainDayCost
		days := n * perPeer
		add(Recommendation{Rule: RuleOK9Handlers, Title: "Train " + figure.Count(n, "OK9 handler as a peer supporter", "OK9 handlers as peer supporters"),
			Rationale: fmt.Sprintf("The national OK9 standard asks that every handler is a trained peer supporter or mental health first aider; %s of %s %s not.",
				figure.Number(n, 0), figure.Count(in.OK9Handlers.V, "handler", "handlers"), figure.Verb(n, "is", "are")),
			Cost:          cost,
			CostWorking:   fmt.Sprintf("%s × %s training days × %s a day", figure.Count(n, "handler", "handlers"), figure.Number(trainDays, 1), figure.Pounds(trainDayCost)),
			Return:        days * dayCost,
			ReturnWorking: fmt.Sprintf("%s × %s days avoided each = %s × %s", figure.Count(n, "handler", "handlers"), figure.Number(perPeer, 1), figure.Count(days, "day", "days"), figure.Pounds(dayCost)),
			Benefit:       "Dog visits that can turn into a supportive conversation, and a scheme that meets the national standard for staying in the OK9 group.",
			Assumptions:   []string{KeyPeerTrainingDays, KeyTrainingDayCost, KeyDaysAvoidedPerPeer, KeyWorkingDayCost}},
			fmt.Sprintf("%s no peer support training.", figure.Count(n, "OK9 handler has", "OK9 handlers have")))
	}
	return p, nil
}

func noteOr(v figure.Value, fallback string) string {
	state := "no figure"
	if v.State == figure.Suppressed {
		state = "suppressed"
	}
	if v.Note != "" {
		return state + " (" + v.Note + ")"
	}
	return state + " (" + fallback + ")"
}

func screenTitle(n float64) string {
	if figure.Number(n, 0) == "1" {
		return "Screen the 1 person in a high-risk role who is not in date"
	}
	return "Screen the " + figure.Number(n, 0) + " people in high-risk roles who are not in date"
}

// comparatorWord is Comparator, "Peer" if empty.
func (in Inputs) comparatorWord() string { return cmp.Or(in.Comparator, "Peer") }

// ComparatorMedian names the median compared with in a sentence: "peer
// median", "sector median".
func (in Inputs) ComparatorMedian() string { return strings.ToLower(in.comparatorWord()) + " median" }
