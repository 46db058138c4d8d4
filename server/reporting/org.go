package reporting

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/benchmarkpdf"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// OrgReport is one organisation's figures for one cycle, set against the
// groups: what the benchmark report, the gap analysis and the business case
// are drawn from.
type OrgReport struct {
	Org     store.Organisation
	Figures *CycleFigures
	// Status is the organisation's assessment status in the cycle ("" when
	// not started); Counted is true when it counts in the group figures.
	Status  string
	Counted bool
	Levels  map[string]int
	Targets map[string]int
	Actions []store.Action
	// Own holds the organisation's figures by metric key, from its own
	// assessment whatever its state and its own records.
	Own map[string]float64
	// Peer is the group the organisation is compared with (Comparator);
	// PeerReason says why, when it is not the organisation's own peer group.
	Peer       benchmark.GroupKey
	PeerReason string
	// Prev is the organisation's last submitted assessment of an earlier
	// cycle, mapped onto this cycle's edition; nil when there is none.
	Prev     *PreviousCycle
	Register []RegisterRow
	// Ask is the business case's ask in a sentence, for the summary.
	Ask      string
	Residual HeatGrid
	Roles    int
	Produced time.Time
}

// PreviousCycle is an earlier cycle's figures on this cycle's standards.
type PreviousCycle struct {
	Name   string
	Values map[string]float64
	// Comparable is false when no crosswalk joins the two editions; Approx
	// names the areas holding split or merged standards, and Notes says for
	// each such standard where it came from. New standards are in New.
	Comparable bool
	Approx     map[string]bool
	Notes      map[string]string
	New        map[string]bool
}

// OrgReport loads one organisation's own records for the cycle's
// figures. The caller has checked that it may see org.
func (s *Service) OrgReport(ctx context.Context, org store.Organisation, f *CycleFigures) (*OrgReport, error) {
	co, _ := f.Org(org.ID)
	r := &OrgReport{Org: org, Figures: f, Status: co.Status, Counted: co.Counts(), Levels: co.Levels, Targets: co.Targets,
		Produced: s.store.Now()}
	r.Peer, r.PeerReason = Comparator(f.Result, org)
	sc := store.Scope{OrgID: org.ID}
	var err error
	if co.AssessmentID != 0 {
		if !co.Counts() {
			if r.Levels, r.Targets, err = s.levels(ctx, sc, co.AssessmentID); err != nil {
				return nil, err
			}
		}
		if r.Actions, err = s.store.Actions(ctx, sc, co.AssessmentID); err != nil {
			return nil, err
		}
	}
	r.Own = f.maturity(r.Levels)
	f.addRecords(r.Own, org.ID)
	if r.Prev, err = s.previousCycle(ctx, org.ID, f); err != nil {
		return nil, err
	}
	if r.Register, err = s.RegisterRows(ctx, sc, org.ID); err != nil {
		return nil, err
	}
	if m := s.frameworks.CurrentRiskModel(); m != nil {
		list := make([]store.RoleAssessment, len(r.Register))
		for i, row := range r.Register {
			list[i] = row.RoleAssessment
		}
		r.Residual, _, r.Roles = RoleGrids(m.RiskModel, list)
	}
	as, _, err := s.Assumptions(ctx, org)
	if err != nil {
		return nil, err
	}
	doc, err := s.BusinessCase(ctx, r, as)
	if err != nil {
		return nil, err
	}
	r.Ask = doc.AskSentence()
	return r, nil
}

// Comparator is the group an organisation is compared with: the first of
// its peer group, sector, nation and all organisations whose figures rest on
// at least the minimum group size of submissions (overall maturity), so that
// everyone gets a comparator. The reason is empty for the peer group (or
// the sector of an organisation in no peer group), and otherwise says which
// group and why, for every report to print.
func Comparator(res *benchmark.Result, o store.Organisation) (benchmark.GroupKey, string) {
	own := benchmark.GroupKey{Dim: benchmark.DimPeer, Name: o.PeerGroup}
	if o.PeerGroup == "" {
		own = benchmark.GroupKey{Dim: benchmark.DimSector, Name: o.Sector}
	}
	submitted := func(g benchmark.GroupKey) int { return res.Stats(g, MetricOverall).N }
	if submitted(own) >= res.MinGroup() {
		return own, ""
	}
	var candidates []benchmark.GroupKey
	for _, g := range []benchmark.GroupKey{{Dim: benchmark.DimSector, Name: o.Sector}, {Dim: benchmark.DimNation, Name: o.Nation}} {
		if g.Name != "" && g != own {
			candidates = append(candidates, g)
		}
	}
	g := benchmark.National()
	for _, c := range candidates {
		if submitted(c) >= res.MinGroup() {
			g = c
			break
		}
	}
	what := "your peer group (" + own.Name + ", "
	if own.Dim == benchmark.DimSector {
		what = "your sector ("
	}
	return g, "Compared with " + comparatorName(g) + " (" + strconv.Itoa(submitted(g)) + "), because " + what + strconv.Itoa(submitted(own)) +
		") has fewer than " + strconv.Itoa(res.MinGroup()) + " submissions"
}

// comparatorName is a comparison group in words, e.g. "fire and rescue
// services" or "organisations in Wales".
func comparatorName(g benchmark.GroupKey) string {
	switch g.Dim {
	case benchmark.DimSector:
		return figure.SectorPlural(g.Name)
	case benchmark.DimNation:
		return "organisations in " + g.Name
	}
	return "all organisations"
}

// peerInWords names a comparison group after "the group compared with is": its own
// name for a peer group ("Police: large", not "Peer group: Police: large"),
// otherwise the group in words.
func peerInWords(g benchmark.GroupKey) string {
	if g.Dim == benchmark.DimPeer {
		return g.Name
	}
	return comparatorName(g)
}

// ComparatorWord names the comparison group in a column heading ("Peer
// median", "Sector median"), so a heading never calls the sector a peer
// group when the organisation's own group was too small to use.
func ComparatorWord(g benchmark.GroupKey) string {
	switch g.Dim {
	case benchmark.DimPeer:
		return "Peer"
	case benchmark.DimSector:
		return "Sector"
	case benchmark.DimNation:
		return "Nation"
	}
	return "Comparator"
}

// ComparatorWord is the report's comparison group in a column heading.
func (r *OrgReport) ComparatorWord() string { return ComparatorWord(r.Peer) }

// levels reads an assessment's levels and targets.
func (s *Service) levels(ctx context.Context, sc store.Scope, assessmentID int64) (levels, targets map[string]int, err error) {
	rs, err := s.store.Responses(ctx, sc, assessmentID)
	if err != nil {
		return nil, nil, err
	}
	levels, targets = map[string]int{}, map[string]int{}
	for _, r := range rs {
		if r.Level != nil {
			levels[r.StandardID] = *r.Level
		}
		if r.Target != nil {
			targets[r.StandardID] = *r.Target
		}
	}
	return levels, targets, nil
}

// previousCycle finds the organisation's submitted or validated assessment
// of the latest earlier cycle and maps it onto this cycle's edition.
func (s *Service) previousCycle(ctx context.Context, orgID int64, f *CycleFigures) (*PreviousCycle, error) {
	if len(f.Earlier) == 0 {
		return nil, nil
	}
	prev, fw := f.Earlier[0], f.Framework
	all, err := s.store.ListAssessments(ctx, store.Scope{OrgID: orgID})
	if err != nil {
		return nil, err
	}
	for _, a := range all {
		if a.CycleID != prev.ID || (a.Status != store.StatusSubmitted && a.Status != store.StatusValidated) {
			continue
		}
		out := &PreviousCycle{Name: prev.Name, Comparable: true, Approx: map[string]bool{}, Notes: map[string]string{}, New: map[string]bool{}}
		carried, err := s.CarryForward(ctx, a, fw)
		if err != nil {
			out.Comparable = false
			return out, nil
		}
		levels := map[string]int{}
		for _, a := range fw.Areas {
			for _, st := range a.Standards {
				cf, ok := carried[st.ID]
				if !ok {
					out.New[st.ID] = true
					continue
				}
				if cf.Relation == frameworks.RelSplit || cf.Relation == frameworks.RelMerged {
					out.Approx[a.ID] = true
					out.Notes[st.ID] = "approximate: " + cf.Relation + " from " + strings.Join(cf.From, " and ")
				}
				if cf.Level != nil {
					levels[st.ID] = *cf.Level
				}
			}
		}
		out.Values = f.maturity(levels)
		return out, nil
	}
	return nil, nil
}

// own is the organisation's figure for a metric.
func (r *OrgReport) own(key, missing string) figure.Value {
	if v, ok := r.Own[key]; ok {
		return figure.Of(v)
	}
	return figure.MissingValue(missing)
}

// stats are the figures of a group for a metric.
func (r *OrgReport) stats(g benchmark.GroupKey, key string) benchmark.Stats {
	return r.Figures.Result.Stats(g, key)
}

// band places the organisation's figure among a group.
func (r *OrgReport) band(g benchmark.GroupKey, key string) figure.Band {
	st := r.stats(g, key)
	return figure.BandOf(r.own(key, ""), st.P20, st.Median, st.P80)
}

func groupOf(st benchmark.Stats) benchmarkpdf.Group {
	return benchmarkpdf.Group{Median: st.Median, Q1: st.Q1, Q3: st.Q3, N: st.N}
}

// groupLabel names a group with how many organisations its maturity
// figures rest on.
func (r *OrgReport) groupLabel(g benchmark.GroupKey) string {
	name := g.Label()
	if g.Dim == benchmark.DimPeer {
		name = g.Name
	}
	return name + " (" + figure.Number(float64(r.stats(g, MetricOverall).N), 0) + " submitted)"
}

// comparatorLabel is the comparison group as reports print it: its name and
// size, and why it is not the peer group when it is not.
func (r *OrgReport) comparatorLabel() string {
	if r.PeerReason == "" {
		return r.groupLabel(r.Peer)
	}
	return r.PeerReason + "."
}

// notAnswered is the reason an own maturity figure is missing.
func (r *OrgReport) notAnswered() string {
	if r.Status == "" {
		return "no self-assessment started this cycle"
	}
	return "not answered"
}

func (r *OrgReport) result(id, title, key string) benchmarkpdf.Result {
	nat := benchmark.National()
	return benchmarkpdf.Result{ID: id, Title: title, Value: r.own(key, r.notAnswered()),
		National: groupOf(r.stats(nat, key)), Peer: groupOf(r.stats(r.Peer, key)),
		NationalBand: r.band(nat, key), PeerBand: r.band(r.Peer, key)}
}

// provisionKeys are the provision and risk metrics every report shows.
func provisionKeys() []string {
	return []string{store.IndActiveDogsPer1000, store.IndTrainedHandlersPer1000, store.IndHandlersPeerTrained,
		store.IndDeploymentsPerDog, store.IndPeerSupportersPer1000, store.IndDemobDefusingPer1000,
		store.IndVanChecksPer1000, store.IndWalkTheTalkPer1000, store.IndTrainersDeliveringShare, store.IndDemobPlacesPer1000,
		store.IndSupportersSupervisedShare, store.IndTRiMAssessmentsPer1000, store.IndTRiMPlanningShare, store.IndTRiMReviewShare,
		store.IndDefusingsPer1000, store.IndReferralsPer1000, store.IndTRiMTrainedPer1000, metricScreening, metricHighRiskPer1000}
}

// ownNote says why an own provision or risk figure is missing, and is
// empty beside a figure: each note is shown only when its condition holds.
func (r *OrgReport) ownNote(key string) string {
	pc := r.Figures.Provision[r.Org.ID]
	if pc != nil {
		for _, ind := range pc.Indicators(r.Figures.Year) {
			if ind.Key == key {
				// Beside a figure, a note says only what it covers (a
				// year not fully returned).
				return ind.Note
			}
		}
	}
	if _, ok := r.Own[key]; ok {
		return ""
	}
	due := r.Figures.screening(r.Org.ID).Due
	registered := r.Figures.Risk[r.Org.ID] != nil
	switch {
	case (key == metricScreening || key == metricHighRiskPer1000) && !registered:
		return "no records: no role risk register"
	case key == metricScreening && due == 0:
		return "not applicable: no one in high or very high risk roles on the register"
	case key == metricHighRiskPer1000:
		return "no workforce figure for " + strconv.Itoa(r.Figures.Year)
	}
	return ""
}

// metric returns a metric's definition.
func (r *OrgReport) metric(key string) benchmark.Metric { return r.Figures.metric(key) }

// BenchmarkReport is the organisation benchmark report, the same for the
// HTML page and the PDF.
func (s *Service) BenchmarkReport(r *OrgReport) benchmarkpdf.Report {
	f := r.Figures
	rep := benchmarkpdf.Report{Organisation: r.Org.Name, Cycle: f.Cycle.Name,
		FrameworkEdition: s.frameworks.EditionTitle(f.Cycle.FrameworkKey, f.Cycle.FrameworkVersion), Produced: r.Produced,
		Notices:       s.Notices(f.Cycle),
		NationalGroup: r.groupLabel(benchmark.National()), PeerGroup: r.comparatorLabel(), Comparator: r.ComparatorWord(),
		Overall: r.result("", "Overall", MetricOverall)}
	for _, l := range f.Framework.Scale {
		rep.Scale = append(rep.Scale, benchmarkpdf.Level{Value: l.Level, Label: l.Label})
	}
	for _, a := range f.Framework.Areas {
		rep.Areas = append(rep.Areas, r.result(a.ID, a.Title, AreaMetric(a.ID)))
		for _, st := range a.Standards {
			key := StandardMetric(st.ID)
			rep.Standards = append(rep.Standards, benchmarkpdf.StandardRow{ID: st.ID, Statement: st.Statement, Area: a.Title,
				Level: r.own(key, r.notAnswered()), Target: target(r.Targets, st.ID),
				NationalMedian: r.stats(benchmark.National(), key).Median, PeerMedian: r.stats(r.Peer, key).Median,
				Band: r.band(benchmark.National(), key)})
		}
	}
	if r.Prev != nil {
		rep.PreviousCycle = r.Prev.Name
		approx := "approximate: some standards were split or merged between editions"
		overall := r.change("Overall", MetricOverall)
		if overall.Note == "" && len(r.Prev.Approx) > 0 {
			overall.Note = approx
		}
		rep.Changes = append(rep.Changes, overall)
		for _, a := range f.Framework.Areas {
			row := r.change(a.Title, AreaMetric(a.ID))
			if row.Note == "" && r.Prev.Approx[a.ID] {
				row.Note = approx
			}
			rep.Changes = append(rep.Changes, row)
		}
		for _, st := range f.Framework.Standards() {
			row := r.change(st.ID+" "+st.Statement, StandardMetric(st.ID))
			switch {
			case row.Note != "":
			case r.Prev.New[st.ID]:
				row.NotComparable, row.Note = true, "new in this edition"
			default:
				row.Note = r.Prev.Notes[st.ID]
			}
			rep.Changes = append(rep.Changes, row)
		}
	}
	for _, key := range provisionKeys() {
		m := r.metric(key)
		st := r.stats(r.Peer, key)
		rep.Provision = append(rep.Provision, benchmarkpdf.Indicator{Label: m.Label, Unit: m.Unit, Decimals: m.Decimals,
			Value: r.own(key, r.ownNote(key)), GroupMedian: st.Median, Band: r.band(r.Peer, key), Note: r.ownNote(key)})
	}
	if m := s.frameworks.CurrentRiskModel(); m != nil && r.Roles > 0 {
		rep.HeatMap = heatMapOf(m.RiskModel, r.Residual, r.Roles)
		for _, g := range s.orgGroupRows(r.Register, f.AsAt) {
			rep.TraumaGroups = append(rep.TraumaGroups, benchmarkpdf.GroupRow(g))
		}
	}
	rep.Method = r.method()
	rep.Suppressed = r.suppressed()
	rep.Findings = r.findings(rep)
	return rep
}

func target(targets map[string]int, id string) figure.Value {
	if t, ok := targets[id]; ok {
		return figure.Of(float64(t))
	}
	return figure.MissingValue("no target set")
}

// change sets a figure beside the last cycle's; callers add notes on how
// the editions map.
func (r *OrgReport) change(label, key string) benchmarkpdf.ChangeRow {
	row := benchmarkpdf.ChangeRow{Label: label, Current: r.own(key, r.notAnswered()), NotComparable: !r.Prev.Comparable}
	if v, ok := r.Prev.Values[key]; ok {
		row.Previous = figure.Of(v)
	} else {
		row.Previous = figure.MissingValue("not answered")
	}
	if !r.Prev.Comparable {
		row.Note = "no crosswalk joins the two editions"
	}
	return row
}

// heatMapOf turns the residual grid into the report's heat map, lowest
// likelihood first.
func heatMapOf(m *frameworks.RiskModel, g HeatGrid, roles int) *benchmarkpdf.HeatMap {
	hm := &benchmarkpdf.HeatMap{Basis: "Residual risk after controls: each role in the cell of its riskiest hazard, " + figure.Count(float64(roles), "role assessed", "roles assessed")}
	for _, l := range m.Likelihood {
		hm.Likelihood = append(hm.Likelihood, strconv.Itoa(l.Level)+" "+l.Label)
	}
	for _, sv := range m.Severity {
		hm.Severity = append(hm.Severity, strconv.Itoa(sv.Level)+" "+sv.Label)
	}
	for i := len(g.Rows) - 1; i >= 0; i-- {
		var row []benchmarkpdf.HeatCell
		for _, c := range g.Rows[i] {
			row = append(row, benchmarkpdf.HeatCell{Count: c.Roles, Band: c.Band.Label, Colour: c.Band.Colour})
		}
		hm.Cells = append(hm.Cells, row)
	}
	return hm
}

// method explains how the report's figures were worked out.
func (r *OrgReport) method() string {
	f := r.Figures
	own := "Your figures come from your self-assessment for " + f.Cycle.Name
	switch {
	case r.Status == "":
		own += ", which has not been started, so there are no maturity figures for you yet."
	case !r.Counted:
		own += ", which is " + r.Status + ": it is shown to you but does not count in any group figure until it is submitted."
	default:
		own += " (" + r.Status + ")."
	}
	return strings.Join([]string{
		own,
		"Group figures count only submitted or validated self-assessments of the cycle. Maturity is the mean level over the standards answered, on the framework's scale; area and overall figures are means of standard levels. The national group is every organisation; the group compared with is " + peerInWords(r.Peer) + "." + r.peerReasonSentence(),
		"Deployments, peer support and van figures are for the " + store.CalendarYear(f.Year) + "; OK9 dogs and handlers, and the role risk register, are counted " + store.AsAt(f.AsAt) + ". Rates per 1,000 use the year's workforce (officers or operational staff plus other staff). A figure with no records behind it for its period says \"no records\" and is neither banded nor counted in any group figure. Screening in date counts the people in high and very high risk roles on the role risk register screened within the interval the risk model sets.",
		"Bands place your figure among the group: below the 20th percentile, 20th to 50th, 50th to 80th, or above the 80th. " + f.Result.Rule(),
	}, "\n\n")
}

// peerReasonSentence is PeerReason as a sentence to follow another, or
// nothing.
func (r *OrgReport) peerReasonSentence() string {
	if r.PeerReason == "" {
		return ""
	}
	return " " + r.PeerReason + "."
}

// suppressed lists the suppressed figures of the groups this report uses.
func (r *OrgReport) suppressed() []string {
	var out []string
	for _, line := range r.Figures.Result.Suppressions() {
		if strings.HasPrefix(line, benchmark.National().Label()) || strings.HasPrefix(line, r.Peer.Label()) {
			out = append(out, line)
		}
	}
	return out
}
