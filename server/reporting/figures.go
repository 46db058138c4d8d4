package reporting

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Metric keys of the benchmark: the overall and per-area mean maturity, each
// standard's level, the provision indicators (store.Ind* keys) and two risk
// figures.
const (
	MetricOverall         = "overall"
	metricScreening       = "risk_screening_compliance"
	metricHighRiskPer1000 = "risk_high_risk_people_per_1000"
)

// AreaMetric and StandardMetric are the metric keys of an area's mean level
// and of a standard's level.
func AreaMetric(id string) string     { return "area:" + id }
func StandardMetric(id string) string { return "std:" + id }

// CycleFigures is everything the reports of one cycle are drawn from: every
// organisation's standing, the provision and risk records of the cycle's
// year and the group figures. It holds other organisations' figures, so
// only group statistics and the caller's own organisation may leave it,
// except for national admins.
type CycleFigures struct {
	Cycle     store.Cycle
	Framework *frameworks.Framework
	// Year is the calendar year the cycle opened in; provision and
	// workforce figures are that year's.
	Year int
	// AsAt is the day dogs and handlers were counted for the figures.
	AsAt      time.Time
	Orgs      []store.CycleOrg
	index     map[int64]int
	Risk      map[int64]*store.RiskSummary
	Provision map[int64]*store.ProvisionCounts
	// HighBands are the risk model's two highest bands ("high" and "very
	// high" in the built-in model).
	HighBands []frameworks.Band
	Result    *benchmark.Result
	keys      metricKeys
	// Earlier are the cycles that opened before this one, newest first: for
	// change since last cycle and for trends.
	Earlier []store.Cycle
	// Stamp is the figures stamp they were worked out at (see
	// store.FiguresStamp).
	Stamp int64
}

// Org returns one organisation's standing in the cycle.
func (f *CycleFigures) Org(id int64) (store.CycleOrg, bool) {
	i, ok := f.index[id]
	if !ok {
		return store.CycleOrg{}, false
	}
	return f.Orgs[i], true
}

// figuresCache keeps each cycle's figures with the change stamp they were
// worked out at; any change to the data (a returned assessment, a new
// peer support return) moves the stamp and the figures are worked out again.
type figuresCache struct {
	mu      sync.Mutex
	entries map[int64]cachedFigures
	// compute lets one request work the figures out while the others wait
	// for its result, instead of each reading the whole cycle at once.
	compute sync.Mutex
}

func (fc *figuresCache) get(cycleID, stamp int64) *CycleFigures {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if hit, ok := fc.entries[cycleID]; ok && hit.stamp == stamp {
		return hit.figures
	}
	return nil
}

func (fc *figuresCache) put(cycleID, stamp int64, f *CycleFigures) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.entries == nil {
		fc.entries = map[int64]cachedFigures{}
	}
	fc.entries[cycleID] = cachedFigures{stamp: stamp, figures: f}
}

type cachedFigures struct {
	stamp   int64
	figures *CycleFigures
}

// Figures returns the cycle's figures, from the cache when nothing
// has changed since they were worked out. The figures are shared between
// requests and must not be changed.
func (s *Service) Figures(ctx context.Context, cy store.Cycle) (*CycleFigures, error) {
	stamp, err := s.store.FiguresStamp(ctx)
	if err != nil {
		return nil, err
	}
	if f := s.figures.get(cy.ID, stamp); f != nil {
		return f, nil
	}
	s.figures.compute.Lock()
	defer s.figures.compute.Unlock()
	if f := s.figures.get(cy.ID, stamp); f != nil {
		return f, nil // worked out while this request waited
	}
	// Stored under the stamp read before the data: a change made meanwhile
	// moves the stamp past it, so it is never missed.
	f, err := s.computeFigures(ctx, cy)
	if err != nil {
		return nil, err
	}
	f.Stamp = stamp
	s.figures.put(cy.ID, stamp, f)
	return f, nil
}

// computeFigures reads the cycle's data in a fixed number of queries
// and computes every group figure in one pass.
func (s *Service) computeFigures(ctx context.Context, cy store.Cycle) (*CycleFigures, error) {
	fw := s.frameworks.Framework(cy.FrameworkKey, cy.FrameworkVersion)
	if fw == nil {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "The framework edition of cycle %s (%s %s) is not loaded", cy.Name, cy.FrameworkKey, cy.FrameworkVersion)
	}
	f := &CycleFigures{Cycle: cy, Framework: fw, Year: cy.OpensOn.Year(), AsAt: frameworks.Day(s.store.Now()), index: map[int64]int{}, keys: keysOf(fw)}
	var err error

	if f.Orgs, err = s.store.CycleOrgs(ctx, cy.ID); err != nil {
		return nil, err
	}
	cycles, err := s.store.Cycles(ctx) // newest first
	if err != nil {
		return nil, err
	}
	for _, c := range cycles {
		if c.OpensOn.Before(cy.OpensOn) {
			f.Earlier = append(f.Earlier, c)
		}
	}
	if f.Risk, err = s.store.RiskSummaries(ctx); err != nil {
		return nil, err
	}
	if f.Provision, err = s.store.ProvisionCountsFor(ctx, store.AllOrganisations(), f.Year); err != nil {
		return nil, err
	}
	if m := s.frameworks.CurrentRiskModel(); m != nil {
		f.HighBands = highestBands(m.RiskModel.Bands, 2)
	}
	ds := benchmark.Dataset{Metrics: f.metrics()}
	for i, o := range f.Orgs {
		f.index[o.ID] = i
		ds.Orgs = append(ds.Orgs, benchmark.Org{ID: o.ID, Name: o.Name, Sector: o.Sector, Nation: o.Nation,
			Region: o.Region, PeerGroup: o.PeerGroup, Values: f.values(o)})
	}
	f.Result = benchmark.Compute(ds, benchmark.Options{MinGroup: benchmark.DefaultMinGroup})
	return f, nil
}

// highestBands returns the n highest-ranked bands, highest first.
func highestBands(bands []frameworks.Band, n int) []frameworks.Band {
	sorted := append([]frameworks.Band(nil), bands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Rank > sorted[j].Rank })
	if len(sorted) > n {
		sorted = sorted[:n]
	}
	return sorted
}

// metrics lists the benchmark's metrics in report order.
func (f *CycleFigures) metrics() []benchmark.Metric {
	ms := []benchmark.Metric{{Key: MetricOverall, Label: "Overall (mean level)", Unit: "level", Decimals: 1}}
	for _, a := range f.Framework.Areas {
		ms = append(ms, benchmark.Metric{Key: AreaMetric(a.ID), Label: a.Title + " (mean level)", Unit: "level", Decimals: 1})
	}
	for _, st := range f.Framework.Standards() {
		ms = append(ms, benchmark.Metric{Key: StandardMetric(st.ID), Label: st.ID, Unit: "level", Decimals: 1})
	}
	for _, ind := range (store.ProvisionCounts{AsAt: f.AsAt}).Indicators(f.Year) {
		decimals := 1
		if ind.Unit == "%" {
			decimals = 0 // rates in whole per cent
		}
		// The label carries the period, so page, PDF and workbook all say
		// whether a figure is the year's or a count as at a day.
		ms = append(ms, benchmark.Metric{Key: ind.Key, Label: ind.Label + " (" + ind.Period + ")", Unit: ind.Unit, Decimals: decimals})
	}
	return append(ms,
		benchmark.Metric{Key: metricScreening, Label: "Screening in date, high and very high risk roles (" + store.AsAt(f.AsAt) + ")", Unit: "%", Decimals: 0},
		benchmark.Metric{Key: metricHighRiskPer1000, Label: "People in high and very high risk roles (" + store.AsAt(f.AsAt) + ")", Unit: "per 1,000 workforce", Decimals: 1})
}

// values works out one organisation's figures. Maturity figures come only
// from a submitted or validated assessment; provision and risk figures from
// the organisation's records whatever its assessment's state.
func (f *CycleFigures) values(o store.CycleOrg) map[string]float64 {
	var levels map[string]int
	if o.Counts() {
		levels = o.Levels
	}
	v := f.maturity(levels)
	f.addRecords(v, o.ID)
	return v
}

// maturity is the overall and per-area mean level and each standard's
// level, over the standards answered, with room for the other figures.
func (f *CycleFigures) maturity(levels map[string]int) map[string]float64 {
	v := make(map[string]float64, len(f.keys.std)+len(f.keys.area)+16)
	total, n := 0, 0
	for i, a := range f.Framework.Areas {
		sum, cnt := 0, 0
		for j, st := range a.Standards {
			if l, ok := levels[st.ID]; ok {
				v[f.keys.std[i][j]] = float64(l)
				sum, cnt = sum+l, cnt+1
			}
		}
		if cnt > 0 {
			v[f.keys.area[i]] = float64(sum) / float64(cnt)
		}
		total, n = total+sum, n+cnt
	}
	if n > 0 {
		v[MetricOverall] = float64(total) / float64(n)
	}
	return v
}

// metricKeys are the framework's area and standard metric keys, made once
// per cycle rather than once per organisation.
type metricKeys struct {
	area []string   // by area
	std  [][]string // by area, then standard
}

func keysOf(fw *frameworks.Framework) metricKeys {
	var k metricKeys
	for _, a := range fw.Areas {
		k.area = append(k.area, AreaMetric(a.ID))
		var std []string
		for _, st := range a.Standards {
			std = append(std, StandardMetric(st.ID))
		}
		k.std = append(k.std, std)
	}
	return k
}

// addRecords adds the provision and risk figures of an organisation.
func (f *CycleFigures) addRecords(v map[string]float64, orgID int64) {
	pc := f.Provision[orgID]
	if pc != nil {
		for _, ind := range pc.Indicators(f.Year) {
			if ind.Value != nil {
				v[ind.Key] = *ind.Value
			}
		}
	}
	sc := f.screening(orgID)
	if sc.Due > 0 {
		v[metricScreening] = sc.Value().V
	}
	if f.Risk[orgID] != nil && pc != nil && pc.Workforce != nil && *pc.Workforce > 0 {
		v[metricHighRiskPer1000] = 1000 * float64(sc.Due) / float64(*pc.Workforce)
	}
}

// screening is an organisation's screening compliance on its current
// register (see Screening).
func (f *CycleFigures) screening(orgID int64) Screening {
	sc := Screening{AsAt: f.AsAt}
	if sum := f.Risk[orgID]; sum != nil {
		for _, b := range f.HighBands {
			sc.Due += sum.PeopleByBand[b.Key]
			sc.Screened += sum.ScreenedByBand[b.Key]
		}
	}
	return sc
}

// metric returns a metric's definition.
func (f *CycleFigures) metric(key string) benchmark.Metric {
	for _, m := range f.Result.Metrics() {
		if m.Key == key {
			return m
		}
	}
	return benchmark.Metric{Key: key, Label: key}
}
