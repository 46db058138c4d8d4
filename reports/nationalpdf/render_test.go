package nationalpdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
)

var update = flag.Bool("update", false, "rewrite the golden digest in testdata")

var areas = []string{"Overall", "Leadership", "Absence Management", "Creating the Environment", "Mental Health", "Personal Resilience", "Protecting the Workforce", "Occupational Health"}

const welshRegion = "Gogledd Cymru – ŵ ŷ"

// Hidden numbers carried by suppressed values in the sample: none of them,
// rounded or not, may appear in the text.
var hidden = []string{"3.67", "3.7", "3.46", "3.5", "3.88", "3.9", "7.77", "7.8"}

// maturity is a row of plausible maturity figures for group g, kept
// between 1.0 and 2.9 so they never match a hidden number.
func maturity(g, n int) GroupRow {
	r := GroupRow{N: n}
	for i := range areas {
		m := 1.4 + 0.1*float64((g+i)%6)
		r.Medians = append(r.Medians, figure.Of(m))
		r.Q1 = append(r.Q1, figure.Of(m-0.4))
		r.Q3 = append(r.Q3, figure.Of(m+0.5))
	}
	return r
}

func withName(r GroupRow, name string) GroupRow { r.Group = name; return r }

func suppressedRow(name string, n int) GroupRow {
	r := GroupRow{Group: name, N: n}
	for range areas {
		r.Medians = append(r.Medians, figure.SuppressedValue("fewer than 5 organisations"))
		r.Q1 = append(r.Q1, figure.SuppressedValue(""))
		r.Q3 = append(r.Q3, figure.SuppressedValue(""))
	}
	return r
}

func sample() Summary {
	s := Summary{
		Cycle: "2025/26", Edition: "Blue Light Wellbeing Framework, third edition (2024)",
		Produced: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC),
		Submission: []SubmissionRow{
			{Sector: "Police", Organisations: 48, Submitted: 45, InProgress: 2, NotStarted: 1},
			{Sector: "Fire and rescue", Organisations: 49, Submitted: 40, InProgress: 6, NotStarted: 3},
			{Sector: "Ambulance", Organisations: 13, Submitted: 12, InProgress: 1, NotStarted: 0},
			{Sector: "Other", Organisations: 4, Submitted: 2, InProgress: 1, NotStarted: 1},
		},
		Method:          "An area's level is the mean of its standards' levels; medians and quartiles are over submitted and validated assessments.\n\nGroups follow the organisation's record: sector, nation, region and peer group.",
		SuppressionRule: "A figure resting on fewer than 5 organisations is suppressed, and so is any figure from which a suppressed one could be worked out (secondary suppression).",
		Suppressed: []string{
			"By sector, Other: every figure (2 organisations)",
			"By sector, Ambulance, Occupational Health: secondary suppression",
			"Provision by sector, Ambulance, OK9 dogs per 1,000 staff: fewer than 5 organisations with a scheme",
		},
	}
	national := withName(maturity(0, 99), "All organisations")
	amb := withName(maturity(2, 12), "Ambulance")
	amb.Medians[7] = figure.Value{V: 3.67, State: figure.Suppressed, Note: "secondary suppression"}
	amb.Q1[7] = figure.Value{V: 3.46, State: figure.Suppressed}
	amb.Q3[7] = figure.Value{V: 3.88, State: figure.Suppressed}
	fire := withName(maturity(1, 40), "Fire and rescue")
	fire.Q3[2] = figure.SuppressedValue("secondary suppression")
	s.Groups = []GroupTable{
		{Title: "National", Note: "Median of each organisation's mean maturity level, on the 0 to 4 scale.", Metrics: areas, Chart: true, Rows: []GroupRow{national}},
		{Title: "By sector", Metrics: areas, Chart: true, Rows: []GroupRow{withName(maturity(3, 45), "Police"), fire, amb, suppressedRow("Other", 2)}},
		{Title: "By nation", Metrics: areas, Rows: []GroupRow{withName(maturity(4, 80), "England"), withName(maturity(5, 11), "Wales"), withName(maturity(0, 5), "Scotland"), suppressedRow("Northern Ireland", 3)}},
		{Title: "By region", Metrics: areas, Rows: []GroupRow{withName(maturity(1, 9), "North East"), withName(maturity(2, 7), welshRegion), withName(maturity(3, 14), "London")}},
		{Title: "By peer group", Metrics: areas, Rows: []GroupRow{withName(maturity(4, 12), "Large police forces"), withName(maturity(5, 20), "Fire and rescue, medium")}},
	}
	ind := []string{"OK9 dogs per 1,000 staff", "Peer supporters per 1,000 staff", "Screening compliance, high and very high risk roles (%)", "People in high and very high risk roles per 1,000 staff"}
	prov := func(g string, n int, ok9, peer, screen, risk figure.Value) GroupRow {
		return GroupRow{Group: g, N: n, Medians: []figure.Value{ok9, peer, screen, risk}}
	}
	s.Provision = []GroupTable{{Title: "Provision and risk by sector", Metrics: ind, Decimals: []int{2, 1, 1, 1}, Rows: []GroupRow{
		prov("Police", 45, figure.Of(0.62), figure.Of(11.4), figure.Of(88.1), figure.Of(61.2)),
		prov("Fire and rescue", 40, figure.Of(0.18), figure.Of(6.1), figure.Of(71.4), figure.Of(24.6)),
		prov("Ambulance", 12, figure.Value{V: 7.77, State: figure.Suppressed}, figure.Of(9.4), figure.MissingValue("no returns"), figure.Of(40.1)),
	}}}
	return s
}

func render(t testing.TB, s Summary) []byte {
	t.Helper()
	b, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var space = regexp.MustCompile(`\s+`)

func TestRenderReadsBack(t *testing.T) {
	b := render(t, sample())
	text := pdftest.Text(t, b)
	squash := space.ReplaceAllString(text, " ")
	for _, want := range []string{
		Title, "2025/26", "2 April 2026", "Blue Light Wellbeing Framework, third edition (2024)", "names no organisation",
		"Who took part", "Fire and rescue 49 40 6 3 82%", "All sectors 114 99 10 5 87%",
		"Medians by area", "All organisations (n=99)", "Police (n=45)", "Ambulance (n=12)", "Other (n=2)", "range suppressed",
		"Medians by group", "By nation", "Northern Ireland 3 suppressed suppressed suppressed suppressed", "By region", "London 14", "By peer group",
		"Provision and risk indicators", "Provision and risk by sector", "OK9 dogs per 1,000 staff", "Police 45 0.62 11.4 88.1 61.2", "no figure",
		"How the figures were computed", "medians and quartiles are over submitted and validated assessments",
		"Disclosure control", "A figure resting on fewer than 5 organisations is suppressed, and so is any figure from which a suppressed one could be worked out (secondary suppression).",
		"What was suppressed", "By sector, Ambulance, Occupational Health: secondary suppression",
	} {
		if !strings.Contains(squash, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// Every page is numbered out of the total.
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	for i := range pages {
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(pages[i], want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	info := pdftest.Info(t, b)
	if want := Title + ": 2025/26"; info["Title"] != want {
		t.Errorf("Title = %q, want %q", info["Title"], want)
	}
	if info["Pages"] != fmt.Sprint(len(pages)) || len(pages) < 5 {
		t.Errorf("Pages = %q, text has %d pages", info["Pages"], len(pages))
	}
	if !bytes.Contains(b, []byte("/Lang (en-GB)")) {
		t.Error("document language not set")
	}
}

// chartOf is the text of one group's chart: from its heading to the next
// heading or the end of the page.
func chartOf(t *testing.T, text, heading string) string {
	t.Helper()
	i := strings.Index(text, heading)
	if i < 0 {
		t.Fatalf("no chart %q", heading)
	}
	rest := text[i+len(heading):]
	end := len(rest)
	for _, stop := range []string{"(n=", "\f"} {
		if j := strings.Index(rest, stop); j >= 0 && j < end {
			end = j
		}
	}
	return rest[:end]
}

func TestSuppressedIsAWordNeverANumber(t *testing.T) {
	text := pdftest.Text(t, render(t, sample()))
	for _, h := range hidden {
		if regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(h) + `($|[^0-9])`).MatchString(text) {
			t.Errorf("hidden figure %s appears in the text", h)
		}
	}
	// The Ambulance chart shows Occupational Health as a labelled gap.
	amb := chartOf(t, text, "Ambulance (n=12)")
	var line string
	for _, l := range strings.Split(amb, "\n") {
		if strings.Contains(l, "Occupational Health") {
			line = l
		}
	}
	if !strings.Contains(line, "suppressed") {
		t.Errorf("Ambulance chart row for Occupational Health %q, want it marked suppressed\n%s", line, amb)
	}
	// A group with every figure suppressed has no bar values at all.
	other := chartOf(t, text, "Other (n=2)")
	if n := strings.Count(other, "suppressed"); n != len(areas) {
		t.Errorf("Other chart has %d suppressed labels, want %d:\n%s", n, len(areas), other)
	}
	for _, a := range areas {
		for _, l := range strings.Split(other, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), a) && (!strings.Contains(l, "suppressed") || regexp.MustCompile(`\d`).MatchString(l)) {
				t.Errorf("Other chart row %q, want only the word suppressed", l)
			}
		}
	}
	// In the provision table the withheld OK9 figure is the word.
	if !strings.Contains(space.ReplaceAllString(text, " "), "Ambulance 12 suppressed 9.4 no figure 40.1") {
		t.Error("provision row for Ambulance does not print \"suppressed\" and \"no figure\" as words")
	}
}

func TestWelshLetters(t *testing.T) {
	s := sample()
	s.Lang = "cy"
	b := render(t, s)
	if !strings.Contains(pdftest.Text(t, b), welshRegion) {
		t.Errorf("region %q did not survive", welshRegion)
	}
	if !bytes.Contains(b, []byte("/Lang (cy)")) {
		t.Error("language not passed on")
	}
}

func TestWideTableSplits(t *testing.T) {
	s := sample()
	var metrics []string
	row := GroupRow{Group: "All organisations", N: 99}
	for i := range 11 {
		metrics = append(metrics, fmt.Sprintf("Standard %02d", i+1))
		row.Medians = append(row.Medians, figure.Of(float64(i)/10+1))
	}
	s.Groups = []GroupTable{{Title: "Standards", Metrics: metrics, Rows: []GroupRow{row}}}
	text := space.ReplaceAllString(pdftest.Text(t, render(t, s)), " ")
	for _, want := range []string{"Standards, part 1 of 2", "Standards, part 2 of 2", "All organisations 99 1.0 1.1 1.2 1.3 1.4 1.5", "All organisations 99 1.6 1.7 1.8 1.9 2.0"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Summary)
		want string
	}{
		{"medians not aligned", func(s *Summary) { s.Groups[3].Rows[1].Medians = s.Groups[3].Rows[1].Medians[:7] }, `table "By region" row 2 ("Gogledd Cymru – ŵ ŷ"): 7 medians for 8 metrics`},
		{"quartiles not aligned", func(s *Summary) { s.Groups[0].Rows[0].Q3 = nil; s.Groups[0].Rows[0].Q1 = s.Groups[0].Rows[0].Q1[:2] }, `Q1 and Q3 need 8 values each (or none), got 2 and 0`},
		{"provision", func(s *Summary) { s.Provision[0].Rows[0].Medians = nil }, `table "Provision and risk by sector" row 1 ("Police"): 0 medians for 4 metrics`},
		{"submission sums", func(s *Summary) { s.Submission[1].NotStarted = 4 }, `submission row 2 ("Fire and rescue"): 40 submitted + 6 in progress + 4 not started = 50, not 49 organisations`},
	}
	for _, c := range cases {
		s := sample()
		c.edit(&s)
		b, err := Render(s)
		if err == nil || !strings.Contains(err.Error(), c.want) || b != nil {
			t.Errorf("%s: got %v, want an error containing %q and no PDF", c.name, err, c.want)
		}
	}
}

func TestAxis(t *testing.T) {
	for _, c := range []struct{ top, hi, step float64 }{{3.9, 4, 1}, {2.4, 2.5, 0.5}, {96, 100, 20}, {4, 4, 1}, {0, 1, 0.2}, {0.62, 0.8, 0.2}, {0.45, 0.5, 0.1}} {
		tab := GroupTable{Rows: []GroupRow{{Medians: []figure.Value{figure.Of(c.top), figure.SuppressedValue("")}}}}
		tab.Rows[0].Medians[1].V = 1000 // hidden: must not stretch the scale
		if lo, hi, step := axis([]GroupTable{tab}); lo != 0 || hi != c.hi || step != c.step {
			t.Errorf("axis(%v) = %v..%v step %v, want 0..%v step %v", c.top, lo, hi, step, c.hi, c.step)
		}
	}
}

func TestEmptySummary(t *testing.T) {
	text := pdftest.Text(t, render(t, Summary{Produced: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}))
	for _, want := range []string{Title, "No submission figures were given.", "Nothing in this summary was suppressed."} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

// TestGolden renders the sample twice and checks the bytes are equal and
// match the digest kept in testdata (rewrite it with
// go test ./reports/nationalpdf -run TestGolden -update after a deliberate
// change to the layout).
func TestGolden(t *testing.T) {
	a, b := render(t, sample()), render(t, sample())
	if !bytes.Equal(a, b) {
		t.Fatal("same input gave different bytes")
	}
	sum := sha256.Sum256(a)
	got := hex.EncodeToString(sum[:])
	path := filepath.Join("testdata", "sample.sha256")
	if *update {
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update)", err)
	}
	if strings.TrimSpace(string(want)) != got {
		t.Errorf("output digest %s, golden %s: the layout changed; check the PDF and run with -update if intended", got, strings.TrimSpace(string(want)))
	}
}

func BenchmarkRender(b *testing.B) {
	s := sample()
	size := 0
	for b.Loop() {
		out, err := Render(s)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}

// TestSectorNamesCapitalised: a sector stored in lower case ("fire") starts
// its row, chart heading and table row with a capital.
func TestSectorNamesCapitalised(t *testing.T) {
	s := sample()
	s.Submission[1].Sector = "fire"
	s.Groups[1].Rows[0].Group = "police"
	text := pdftest.Text(t, render(t, s))
	for _, want := range []string{"Fire ", "Police (n="} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if regexp.MustCompile(`(?m)^\s*(fire|police)\b`).MatchString(text) {
		t.Error("a sector starts a line in lower case")
	}
}
