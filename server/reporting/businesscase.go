package reporting

import (
	"context"
	"strconv"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/reports/businesscase"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Assumptions is the toolkit's default assumptions for the organisation's
// sector followed by the organisation's own figures, which override them
// key by key or give a figure only it can (businesscase.OwnFigures).
func (s *Service) Assumptions(ctx context.Context, org store.Organisation) (businesscase.Assumptions, []store.AssumptionOverride, error) {
	own, err := s.store.AssumptionOverrides(ctx, store.Scope{OrgID: org.ID}, org.ID)
	if err != nil {
		return nil, nil, err
	}
	as := businesscase.DefaultAssumptions(org.Sector)
	known := append(append(businesscase.Assumptions(nil), as...), businesscase.OwnFigures()...)
	for _, o := range own {
		def, ok := known.Get(o.Key)
		if !ok || !def.InRange(o.Value) {
			continue // an assumption the toolkit no longer uses, or a figure saved before it had a range
		}
		def.Value, def.Source, def.OwnEstimate = o.Value, o.Source+" (set by "+o.UpdatedBy+", "+o.UpdatedAt.Format("2 January 2006")+")", false
		as = append(as, def)
	}
	return as, own, nil
}

// businessCaseInputs are the organisation's figures the business case
// draws on, each with its source.
func (s *Service) businessCaseInputs(ctx context.Context, r *OrgReport) (businesscase.Inputs, error) {
	f := r.Figures
	year := strconv.Itoa(f.Year)
	pc := f.Provision[r.Org.ID]
	if pc == nil {
		pc = &store.ProvisionCounts{}
	}
	in := businesscase.Inputs{Comparator: r.ComparatorWord(),
		Sector:                 r.Org.Sector,
		Workforce:              figure.MissingValue("no workforce figure for " + year),
		OK9Dogs:                figure.Of(float64(pc.ActiveDogs)).WithSource("OK9 scheme: active dogs " + store.AsAt(pc.AsAt)),
		OK9Handlers:            figure.Of(float64(pc.Handlers)).WithSource("OK9 scheme: handlers " + store.AsAt(pc.AsAt)),
		OK9HandlersPeerTrained: figure.Of(float64(pc.TrainedHandlers)).WithSource("OK9 scheme: handlers trained as peer supporters or mental health first aiders, " + store.AsAt(pc.AsAt)),
		OK9DogsPeerMedian:      r.stats(r.Peer, store.IndActiveDogsPer1000).Median.WithSource(r.Peer.Label() + ", " + f.Cycle.Name),
		PeerSupporters:         figure.MissingValue("no peer support return for " + year),
		PeerSupportersPeerMedian: r.stats(r.Peer, store.IndPeerSupportersPer1000).Median.
			WithSource(r.Peer.Label() + ", peer support returns " + year),
	}
	if !pc.Scheme && pc.ActiveDogs == 0 && pc.Handlers == 0 {
		// No scheme: dogs per 1,000 is "no records", not a 0 to set against
		// the peers; the handler counts stay a true 0, needing no training.
		in.OK9Dogs = figure.MissingValue("no records: no OK9 scheme")
	}
	if pc.Workforce != nil {
		in.Workforce = figure.Of(float64(*pc.Workforce)).WithSource("Workforce figures " + year + " (officers or operational staff plus other staff)")
	}
	demob := figure.MissingValue("not recorded: the peer support return counts people trained, not the share of supervisors or teams covered")
	in.DemobilisingCover, in.DefusingCover = demob, demob
	if ret := pc.Return; ret != nil {
		src := "Peer support return " + year
		in.PeerSupporters = figure.Of(float64(ret.PeerSupporters)).WithSource(src)
		in.CoordinatorInPost = ret.CoordinatorInPost
	}
	risk := f.Risk[r.Org.ID]
	if risk == nil || len(f.HighBands) < 2 {
		none := figure.MissingValue("no role risk register")
		in.HighRiskPeople, in.VeryHighRiskPeople, in.ScreenedInDate = none, none, none
	} else {
		src := "Role risk register " + store.AsAt(f.AsAt) + ": " + figure.Count(float64(risk.Roles), "current role assessment", "current role assessments")
		veryHigh, high := f.HighBands[0].Key, f.HighBands[1].Key
		in.VeryHighRiskPeople = figure.Of(float64(risk.PeopleByBand[veryHigh])).WithSource(src)
		in.HighRiskPeople = figure.Of(float64(risk.PeopleByBand[high])).WithSource(src)
		in.ScreenedInDate = figure.Of(float64(f.screening(r.Org.ID).Screened)).WithSource(src + ", screened within the interval")
	}
	in.ScreeningAsAt = f.AsAt
	in.HighRiskRoles = s.highRiskRoles(r.Register)
	trend, err := s.screeningTrend(ctx, r)
	if err != nil {
		return in, err
	}
	in.ScreeningTrend = trend
	return in, nil
}

// highRiskRoles names the roles banded high or very high on the
// organisation's current register, in register order.
func (s *Service) highRiskRoles(rows []RegisterRow) []string {
	high := s.highBandKeys()
	var names []string
	for _, r := range rows {
		if high[r.OverallBand] {
			names = append(names, r.RoleName)
		}
	}
	return names
}

// screeningTrend is screening compliance (see Screening) as the register
// stood when each of the report's cycle and the two before it closed,
// oldest first, then today's figure if no cycle closed today: the last
// point is always the figure the rest of the reports show.
func (s *Service) screeningTrend(ctx context.Context, r *OrgReport) ([]businesscase.TrendPoint, error) {
	cycles := append([]store.Cycle{r.Figures.Cycle}, r.Figures.Earlier...) // newest first
	if len(cycles) > 3 {
		cycles = cycles[:3]
	}
	versions, err := s.store.RoleVersions(ctx, store.Scope{OrgID: r.Org.ID}, r.Org.ID)
	if err != nil {
		return nil, err
	}
	high := s.highBandKeys()
	today := r.Figures.AsAt
	var points []businesscase.TrendPoint
	for i := len(cycles) - 1; i >= 0; i-- {
		cy := cycles[i]
		if !cy.ClosesOn.Before(today) {
			break // still open: today's figure below stands for it
		}
		sc := screeningAt(versions, high, cy.ClosesOn)
		points = append(points, businesscase.TrendPoint{Label: cy.Name + ", register at the cycle's close (" + sc.AsAt.Format("2 January 2006") + ")", Value: sc.Value()})
	}
	now := screeningAt(versions, high, today)
	points = append(points, businesscase.TrendPoint{Label: "Now (" + store.AsAt(today) + ")", Value: now.Value()})
	return points, nil
}

// BusinessCase is the chief officers' business case document, on the
// assumptions given (see Assumptions).
func (s *Service) BusinessCase(ctx context.Context, r *OrgReport, as businesscase.Assumptions) (businesscase.Document, error) {
	in, err := s.businessCaseInputs(ctx, r)
	if err != nil {
		return businesscase.Document{}, err
	}
	doc, err := businesscase.NewDocument(r.Org.Name, r.Figures.Cycle.Name, r.Produced, in, as)
	if err != nil {
		return doc, err
	}
	doc.PeerGroup, doc.Notices = r.comparatorLabel(), s.Notices(r.Figures.Cycle)
	doc.Sources = append(doc.Sources,
		businesscase.Source{Figure: "Overall maturity", Value: r.own(MetricOverall, r.notAnswered()).Format(1), Source: "Self-assessment " + r.Figures.Cycle.Name + " (" + StatusWord(r.Status) + ")"},
		businesscase.Source{Figure: r.ComparatorWord() + " median overall maturity", Value: r.stats(r.Peer, MetricOverall).Median.Format(1), Source: r.groupLabel(r.Peer)},
		// The peer medians above are under disclosure control: say the rule.
		businesscase.Source{Figure: "Disclosure rule for group figures", Value: "", Source: strings.Join(strings.Fields(r.Figures.Result.Rule()), " ")},
	)
	return doc, nil
}

// StatusWord names an assessment's status for people: "not started" when
// there is none.
func StatusWord(status string) string {
	if status == "" {
		return "not started"
	}
	return status
}
