package input

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCycleRules(t *testing.T) {
	checkRules(t, Cycle{Name: "2026/27", Edition: "blwf/2024", OpensOn: ptr("2026-04-01"), ClosesOn: ptr("2027-03-31"), Editions: []string{"blwf/2017", "blwf/2024"}}, []rule[Cycle]{
		{"no name", func(in *Cycle) { in.Name = " " }, []string{"name"}},
		{"no edition", func(in *Cycle) { in.Edition = "" }, []string{"edition"}},
		{"an edition not loaded", func(in *Cycle) { in.Edition = "blwf/2030" }, []string{"edition"}},
		{"no opening date", func(in *Cycle) { in.OpensOn = ptr("") }, []string{"opens_on"}},
		{"not a date", func(in *Cycle) { in.OpensOn = ptr("1 April") }, []string{"opens_on"}},
		{"no closing date", func(in *Cycle) { in.ClosesOn = nil }, []string{"closes_on"}},
		{"no such day", func(in *Cycle) { in.ClosesOn = ptr("2027-02-29") }, []string{"closes_on"}},
	})
	c := Cycle{Name: " 2026/27 ", Edition: "blwf/2024", OpensOn: ptr("2026-04-01"), ClosesOn: ptr("2027-03-31")}.Record()
	if c.Name != "2026/27" || c.FrameworkKey != "blwf" || c.FrameworkVersion != "2024" || !c.OpensOn.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) ||
		!c.ClosesOn.Equal(time.Date(2027, 3, 31, 23, 59, 59, 0, time.UTC)) {
		t.Errorf("recorded %+v: a cycle closes at the end of its last day", c)
	}
}

func TestCycleChangeRules(t *testing.T) {
	checkRules(t, CycleChange{ClosesOn: ptr("2027-04-30"), Status: "open"}, []rule[CycleChange]{
		{"not a date", func(in *CycleChange) { in.ClosesOn = ptr("next month") }, []string{"closes_on"}},
	})
	if got := (CycleChange{ClosesOn: ptr("")}).Closes(); !got.IsZero() {
		t.Errorf("a blank date changes the closing time to %v", got)
	}
}

func TestOrganisationRules(t *testing.T) {
	checkRules(t, Organisation{Name: "Avon and Somerset Police", Slug: "avon-somerset", Sector: "police", Nation: "England"}, []rule[Organisation]{
		{"no name", func(in *Organisation) { in.Name = "" }, []string{"name"}},
		{"no short name", func(in *Organisation) { in.Slug = " " }, []string{"slug"}},
		{"unknown sector", func(in *Organisation) { in.Sector = "coastguard" }, []string{"sector"}},
	})
}

func TestWorkforceRules(t *testing.T) {
	checkRules(t, Workforce{Year: ptr(2026), Officers: ptr(3000), Staff: ptr(0), Volunteers: ptr(MaxCount)}, []rule[Workforce]{
		{"no year", func(in *Workforce) { in.Year = nil }, []string{"year"}},
		{"year not a number", func(in *Workforce) { in.Year = ptr(-1) }, []string{"year"}},
		{"year out of range", func(in *Workforce) { in.Year = ptr(1999) }, []string{"year"}},
		{"no officers", func(in *Workforce) { in.Officers = nil }, []string{"officers"}},
		{"too many staff", func(in *Workforce) { in.Staff = ptr(MaxCount + 1) }, []string{"staff"}},
		{"negative volunteers", func(in *Workforce) { in.Volunteers = ptr(-1) }, []string{"volunteers"}},
	})
	if ps := (Workforce{Year: ptr(2_000_000)}).Validate(); ps[0].Message != "Year must be a whole number from 0 to 1,000,000" {
		t.Errorf("a year of two million: %+v", ps[0])
	}
}

func TestAuditFilterRules(t *testing.T) {
	checkRules(t, AuditFilter{From: ptr("2026-01-01"), To: ptr("2026-01-31"), Entity: "user", Person: 4}, []rule[AuditFilter]{
		{"bad from", func(in *AuditFilter) { in.From = ptr("yesterday") }, []string{"from"}},
		{"bad to", func(in *AuditFilter) { in.To = ptr("2026-01-32") }, []string{"to"}},
	})
	f := AuditFilter{From: ptr("yesterday"), To: ptr("2026-01-31"), Entity: "payroll", Person: 4}.Filter()
	if !f.From.IsZero() || !f.To.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) || f.EntityType != "" || f.ActorUserID != 4 {
		t.Errorf("filter %+v: a bad date and an unknown kind are left out, the last day is whole", f)
	}
}

func TestAssumptionsRules(t *testing.T) {
	valid := Assumptions{
		{Key: "cost", Name: "Cost of a day off", Default: 150, Min: 0, Max: 5000, Unit: "GBP per day", Value: "150"},
		{Key: "days", Name: "Days lost", Default: 9.5, Min: 1, Max: 1e6, Unit: "days a year", Value: "12,000", Source: "HR system"},
	}
	checkRules(t, valid, []rule[Assumptions]{
		{"blank", func(in *Assumptions) { *in = withFigure(*in, 0, Assumption{Value: ""}) }, []string{"value-cost"}},
		{"not a number", func(in *Assumptions) { *in = withFigure(*in, 0, Assumption{Value: "lots"}) }, []string{"value-cost"}},
		{"negative", func(in *Assumptions) { *in = withFigure(*in, 0, Assumption{Value: "-1"}) }, []string{"value-cost"}},
		{"not a number at all", func(in *Assumptions) { *in = withFigure(*in, 0, Assumption{Value: "NaN"}) }, []string{"value-cost"}},
		{"infinite", func(in *Assumptions) { *in = withFigure(*in, 0, Assumption{Value: "+Inf"}) }, []string{"value-cost"}},
		{"above its range", func(in *Assumptions) { *in = withFigure(*in, 0, Assumption{Value: "1e308", Source: "typo"}) }, []string{"value-cost"}},
		{"below its range", func(in *Assumptions) { *in = withFigure(*in, 1, Assumption{Value: "0.5", Source: "HR"}) }, []string{"value-days"}},
		{"changed without a source", func(in *Assumptions) { *in = withFigure(*in, 1, Assumption{Value: "10", Source: " "}) }, []string{"source-days"}},
		{"source too long", func(in *Assumptions) {
			*in = withFigure(*in, 1, Assumption{Value: "10", Source: strings.Repeat("s", 501)})
		}, []string{"source-days"}},
	})
	ps := withFigure(valid, 0, Assumption{Value: "5001", Source: "typo"}).Validate()
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "Cost of a day off: enter a figure from £0 to £5,000 per day") {
		t.Errorf("out of range problem = %+v", ps)
	}
	got := valid.Overrides()
	if len(got) != 1 || got[0].Key != "days" || got[0].Value != 12000 || got[0].Source != "HR system" {
		t.Errorf("overrides %+v: only a figure other than the default, or with a source", got)
	}
	if v, ok := (Assumption{Value: strconv.FormatFloat(math.MaxFloat64, 'f', -1, 64)}).figure(); !ok || v != math.MaxFloat64 {
		t.Errorf("the largest figure: %v %v", v, ok)
	}
}

// withFigure is a copy of list with item i's figure and source changed.
func withFigure(list Assumptions, i int, a Assumption) Assumptions {
	out := append(Assumptions(nil), list...)
	out[i].Value, out[i].Source = a.Value, a.Source
	return out
}
