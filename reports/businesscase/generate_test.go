package businesscase

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// full is an organisation with every gap: no coordinator, few peer
// supporters, screening behind, untrained OK9 handlers.
func full() Inputs {
	return Inputs{
		Sector:         "police",
		Workforce:      figure.Of(2000).WithSource("Workforce return, March 2026"),
		HighRiskPeople: figure.Of(150), VeryHighRiskPeople: figure.Of(50),
		ScreenedInDate:           figure.Of(160),
		PeerSupporters:           figure.Of(20),
		PeerSupportersPeerMedian: figure.Of(15),
		OK9Dogs:                  figure.Of(2), OK9Handlers: figure.Of(3), OK9HandlersPeerTrained: figure.Of(1),
		OK9DogsPeerMedian: figure.Of(0.8),
		DemobilisingCover: figure.Of(40), DefusingCover: figure.Of(60),
	}
}

func rules(p Plan) []string {
	var out []string
	for _, r := range p.Recommendations {
		out = append(out, r.Rule)
	}
	return out
}

func has(p Plan, rule string) (Recommendation, bool) {
	for _, r := range p.Recommendations {
		if r.Rule == rule {
			return r, true
		}
	}
	return Recommendation{}, false
}

func TestGenerateRules(t *testing.T) {
	cases := []struct {
		name      string
		change    func(*Inputs)
		rule      string
		fires     bool
		unchecked string // a substring expected in Plan.Unchecked
	}{
		{"coordinator missing", func(*Inputs) {}, RuleCoordinator, true, ""},
		{"coordinator in post", func(in *Inputs) { in.CoordinatorInPost = true }, RuleCoordinator, false, ""},
		{"peer supporters below median", func(*Inputs) {}, RulePeerSupport, true, ""},
		{"peer supporters at median", func(in *Inputs) { in.PeerSupporters = figure.Of(30) }, RulePeerSupport, false, ""},
		{"peer supporters above median", func(in *Inputs) { in.PeerSupporters = figure.Of(45) }, RulePeerSupport, false, ""},
		{"peer median suppressed", func(in *Inputs) { in.PeerSupportersPeerMedian = figure.SuppressedValue("fewer than 5") }, RulePeerSupport, false, "suppressed (fewer than 5)"},
		{"workforce missing", func(in *Inputs) { in.Workforce = figure.MissingValue("workforce figure missing") }, RulePeerSupport, false, "workforce figure missing"},
		{"screening behind", func(*Inputs) {}, RuleScreening, true, ""},
		{"screening complete", func(in *Inputs) { in.ScreenedInDate = figure.Of(200) }, RuleScreening, false, ""},
		{"no high-risk roles", func(in *Inputs) { in.HighRiskPeople, in.VeryHighRiskPeople = figure.Of(0), figure.Of(0) }, RuleScreening, false, "no one in high or very high risk roles"},
		{"screening count missing", func(in *Inputs) { in.ScreenedInDate = figure.MissingValue("no screening return") }, RuleScreening, false, "no screening return"},
		{"handlers untrained", func(*Inputs) {}, RuleOK9Handlers, true, ""},
		{"handlers all trained", func(in *Inputs) { in.OK9HandlersPeerTrained = figure.Of(3) }, RuleOK9Handlers, false, ""},
		{"no OK9 scheme", func(in *Inputs) { in.OK9Handlers, in.OK9HandlersPeerTrained = figure.Of(0), figure.Of(0) }, RuleOK9Handlers, false, ""},
		{"handler training unknown", func(in *Inputs) { in.OK9HandlersPeerTrained = figure.MissingValue("not returned") }, RuleOK9Handlers, false, "not returned"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := full()
			c.change(&in)
			p, err := Generate(in, DefaultAssumptions("police"))
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := has(p, c.rule); ok != c.fires {
				t.Errorf("rule %s fired = %v, want %v (rules: %v)", c.rule, ok, c.fires, rules(p))
			}
			if len(p.Gaps) != len(p.Recommendations) {
				t.Errorf("%d gaps for %d recommendations", len(p.Gaps), len(p.Recommendations))
			}
			if c.unchecked != "" && !strings.Contains(strings.Join(p.Unchecked, "\n"), c.unchecked) {
				t.Errorf("unchecked %q lacks %q", p.Unchecked, c.unchecked)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

func TestGenerateSums(t *testing.T) {
	as := DefaultAssumptions("police")
	p, err := Generate(full(), as)
	if err != nil {
		t.Fatal(err)
	}
	// Coordinator: 2,000 staff x (600,000 / 230,000) days x 2% x £200.
	r, _ := has(p, RuleCoordinator)
	if !near(r.Cost, 55000) || !near(r.Return, 2000*600000.0/230000*0.02*200) {
		t.Errorf("coordinator cost %v return %v", r.Cost, r.Return)
	}
	// Peer supporters: median 15 per 1,000 of 2,000 = 30; have 20; train 10
	// at 3 days x £250, each avoiding 2 days at £200.
	r, _ = has(p, RulePeerSupport)
	if !near(r.Cost, 10*3*250) || !near(r.Return, 10*2*200) || !strings.Contains(r.Title, "Train 10 more") {
		t.Errorf("peer support %+v", r)
	}
	// Screening: 200 in high-risk roles, 160 in date: screen 40 at £84.29,
	// with 15% referred on at £600 each, gaining £241.67 each.
	r, _ = has(p, RuleScreening)
	if !near(r.Cost, 40*(84.29+0.15*600)) || !near(r.Return, 40*241.67) {
		t.Errorf("screening cost %v return %v", r.Cost, r.Return)
	}
	// OK9: 2 untrained handlers.
	r, _ = has(p, RuleOK9Handlers)
	if !near(r.Cost, 2*3*250) || !near(r.Return, 2*2*200) {
		t.Errorf("ok9 cost %v return %v", r.Cost, r.Return)
	}
	cost, ret := Totals(p.Recommendations)
	if !near(cost, 55000+7500+40*(84.29+0.15*600)+1500) {
		t.Errorf("total cost %v", cost)
	}
	if roi, ok := ROI(cost, ret); !ok || !near(roi, 100*(ret-cost)/cost) {
		t.Errorf("ROI %v", roi)
	}
	if _, ok := ROI(0, ret); ok {
		t.Error("ROI with no cost")
	}
	// Every assumption a recommendation uses exists, so the appendix can
	// trace it.
	for _, r := range p.Recommendations {
		for _, k := range r.Assumptions {
			if _, ok := as.Get(k); !ok {
				t.Errorf("%s uses unknown assumption %s", r.Rule, k)
			}
		}
	}
}

// The per-person screening figures reproduce the return on investment
// McCrone et al. (2024) published, 187%.
func TestDefaultsReproducePublishedROI(t *testing.T) {
	as := DefaultAssumptions("police")
	cost, _ := as.Get(KeyScreeningCost)
	gain, _ := as.Get(KeyScreeningGain)
	roi, _ := ROI(cost.Value, gain.Value)
	if math.Round(roi) != 187 || !strings.Contains(gain.Source, "McCrone et al. (2024)") {
		t.Errorf("ROI from defaults %.1f%%, published 187%%", roi)
	}
	for _, a := range as {
		if a.Source == "" {
			t.Errorf("%s has no source", a.Key)
		}
		if a.OwnEstimate != strings.HasPrefix(a.Source, "Our estimate") {
			t.Errorf("%s: own-estimate flag and source disagree", a.Key)
		}
	}
}

func TestGenerateMissingAssumption(t *testing.T) {
	var as Assumptions
	for _, a := range DefaultAssumptions("police") {
		if a.Key != KeyWorkingDayCost && a.Key != KeyScreeningCost {
			as = append(as, a)
		}
	}
	_, err := Generate(full(), as)
	if err == nil || !strings.Contains(err.Error(), KeyWorkingDayCost) || !strings.Contains(err.Error(), KeyScreeningCost) {
		t.Errorf("error %v should name both missing assumptions", err)
	}
}

func TestOverride(t *testing.T) {
	as := append(DefaultAssumptions("police"), Assumption{Key: KeyCoordinatorCost, Name: "Coordinator (our grade)", Value: 48000, Unit: "GBP a year", Source: "Finance, 2026 pay scales"})
	p, err := Generate(full(), as)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := has(p, RuleCoordinator); r.Cost != 48000 {
		t.Errorf("override ignored: %v", r.Cost)
	}
	eff := as.Effective()
	if len(eff) != len(DefaultAssumptions("police")) {
		t.Errorf("effective list has %d entries", len(eff))
	}
}

// TestCaseFitsTheSector: a fire or ambulance service's case carries no
// policing figure; without its own working days lost there is no return on
// working time, and the case says why; with its own figure the returns use
// it, for a police force too, in place of the national policing figure.
func TestCaseFitsTheSector(t *testing.T) {
	own := Assumption{Key: KeyOwnDaysLost, Name: "Days lost", Value: 5000, Unit: "days a year", Min: 0, Max: 1e7, Source: "HR system, 2025"}
	for _, sector := range []string{"fire", "ambulance"} {
		as := DefaultAssumptions(sector)
		for _, key := range []string{KeyDaysLostPolicing, KeyPolicingWorkforce} {
			if _, ok := as.Get(key); ok {
				t.Errorf("%s: defaults include %s", sector, key)
			}
		}
		in := full()
		in.Sector = sector
		p, err := Generate(in, as)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := has(p, RuleCoordinator)
		if r.Return != 0 || !strings.Contains(r.ReturnWorking, "not estimated") || !strings.Contains(p.DaysLostBasis, figure.SectorPlural(sector)) {
			t.Errorf("%s without its own figure: return %v (%s); basis %q", sector, r.Return, r.ReturnWorking, p.DaysLostBasis)
		}
		p, err = Generate(in, append(as, own))
		if err != nil {
			t.Fatal(err)
		}
		r, _ = has(p, RuleCoordinator)
		if !near(r.Return, 5000*0.02*200) || !slices.Contains(p.Used(), KeyOwnDaysLost) || !strings.Contains(p.DaysLostBasis, "your own figure") {
			t.Errorf("%s with its own figure: return %v, used %v, basis %q", sector, r.Return, p.Used(), p.DaysLostBasis)
		}
	}
	p, err := Generate(full(), append(DefaultAssumptions("police"), own))
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := has(p, RuleCoordinator); !near(r.Return, 5000*0.02*200) || slices.Contains(p.Used(), KeyDaysLostPolicing) {
		t.Errorf("a force's own figure does not replace the national one: return %v, used %v", r.Return, p.Used())
	}
}

// TestUsedListsOnlyWhatTheSumsUse: the appendix keys are exactly those of
// the recommendations made.
func TestUsedListsOnlyWhatTheSumsUse(t *testing.T) {
	in := full()
	in.CoordinatorInPost = true
	in.ScreenedInDate = figure.Of(200)
	p, err := Generate(in, DefaultAssumptions("police"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{KeyDaysLostPolicing, KeyCoordinatorCost, KeyScreeningCost, KeyFollowUpCost} {
		if slices.Contains(p.Used(), key) {
			t.Errorf("used %v includes %s, which no recommendation made uses", p.Used(), key)
		}
	}
	if !slices.Contains(p.Used(), KeyTrainingDayCost) {
		t.Errorf("used %v lacks the training day cost", p.Used())
	}
}

// TestAskExplainsAReturnBelowCost: a return below the cost is explained in
// words and points to the legal duty; a case with no estimable return says
// why.
func TestAskExplainsAReturnBelowCost(t *testing.T) {
	in := full()
	doc, err := NewDocument("Test Fire", "2025/26", time.Now(), in, DefaultAssumptions("police"))
	if err != nil {
		t.Fatal(err)
	}
	cost, ret := Totals(doc.Recommendations)
	if ret >= cost {
		t.Fatalf("the test needs a return below cost: %v against %v", ret, cost)
	}
	if text := doc.AskText(); !strings.Contains(text, "less than the first-year cost") || !strings.Contains(text, "legal duty") || regexp.MustCompile(`[-−]\d`).MatchString(text) {
		t.Errorf("ask = %q", text)
	}
	in.Sector = "fire"
	in.PeerSupporters, in.OK9HandlersPeerTrained, in.ScreenedInDate = figure.Of(45), figure.Of(3), figure.Of(200)
	doc, err = NewDocument("Test Fire", "2025/26", time.Now(), in, DefaultAssumptions("fire"))
	if err != nil {
		t.Fatal(err)
	}
	if text := doc.AskText(); !strings.Contains(text, "chief fire officer") || !strings.Contains(text, "cannot put a money value") || !strings.Contains(text, "fire and rescue services") {
		t.Errorf("ask with no return = %q", text)
	}
}
