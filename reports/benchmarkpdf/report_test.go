package benchmarkpdf

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

var areaTitles = []string{"Leadership", "Absence Management", "Creating the Environment", "Mental Health", "Personal Resilience", "Protecting the Workforce", "Occupational Health"}

// sample is a full report: a Welsh force, seven areas, 57 standards, some
// figures suppressed or missing.
func sample() Report {
	r := Report{
		Organisation:     "Heddlu Dyfed-Powys",
		Cycle:            "2025/26",
		PreviousCycle:    "2024/25",
		FrameworkEdition: "Blue Light Wellbeing Framework, third edition (2024)",
		Produced:         time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC),
		NationalGroup:    "Police forces that submitted in 2025/26 (n=41)",
		PeerGroup:        "Police forces with 1,500 to 3,000 staff (n=11)",
		Scale:            []Level{{0, "Not in place"}, {1, "Developing"}, {2, "Established"}, {3, "Embedded"}, {4, "Exemplary"}},
		Overall: Result{Title: "Overall", Value: figure.Of(2.3),
			National:     Group{Median: figure.Of(2.1), Q1: figure.Of(1.7), Q3: figure.Of(2.6), N: 41},
			Peer:         Group{Median: figure.Of(2.2), Q1: figure.Of(1.9), Q3: figure.Of(2.5), N: 11},
			NationalBand: figure.Band50To80, PeerBand: figure.Band50To80},
		Method:     "Each area's level is the mean of its standards' levels. Medians and quartiles are taken over the organisations in each group that submitted a validated assessment.\n\nBands compare our level with the group's 20th, 50th and 80th percentiles.",
		Suppressed: []string{"Peer median and range for Occupational Health: fewer than 5 organisations answered", "Peer supporters per 1,000 staff: the peer median would reveal a suppressed figure (secondary suppression)"},
	}
	n := 0
	for i, title := range areaTitles {
		a := Result{ID: fmt.Sprintf("A%d", i+1), Title: title, Value: figure.Of(1 + float64(i)*0.4),
			National:     Group{Median: figure.Of(2), Q1: figure.Of(1.5), Q3: figure.Of(2.75), N: 41},
			Peer:         Group{Median: figure.Of(2.25), Q1: figure.Of(1.75), Q3: figure.Of(3), N: 11},
			NationalBand: figure.Band(1 + i%4), PeerBand: figure.Band(1 + (i+1)%4)}
		if title == "Occupational Health" {
			a.Peer = Group{Median: figure.SuppressedValue("fewer than 5"), Q1: figure.SuppressedValue(""), Q3: figure.SuppressedValue(""), N: 4}
			a.PeerBand = figure.BandNone
		}
		r.Areas = append(r.Areas, a)
		r.Changes = append(r.Changes, ChangeRow{Label: title, Previous: figure.Of(1 + float64(i)*0.3), Current: a.Value})
		for j := 0; j < 8 || (i == 6 && j < 9); j++ {
			n++
			r.Standards = append(r.Standards, StandardRow{ID: fmt.Sprintf("%s-%02d", strings.ToUpper(title[:4]), j+1), Area: title,
				Statement: fmt.Sprintf("Statement %d about %s, shortened to fit one line", n, strings.ToLower(title)),
				Level:     figure.Of(float64(n % 5)), Target: figure.Of(float64(min(4, n%5+1))),
				NationalMedian: figure.Of(2), PeerMedian: figure.Of(2.5), Band: figure.Band(1 + n%4)})
		}
	}
	r.Standards[56].PeerMedian = figure.SuppressedValue("fewer than 5")
	r.Changes[6] = ChangeRow{Label: "Occupational Health", Previous: figure.Of(1.5), Current: figure.Of(3.4), NotComparable: true, Note: "area redefined in the 2024 edition"}
	r.Provision = []Indicator{
		{Label: "OK9 dogs per 1,000 staff", Value: figure.Of(1.23), GroupMedian: figure.Of(0.8), Unit: "per 1,000 staff", Decimals: 2, Band: figure.BandAbove80},
		{Label: "Peer supporters per 1,000 staff", Value: figure.Of(14.2), GroupMedian: figure.SuppressedValue("secondary suppression"), Unit: "per 1,000 staff", Decimals: 1},
		{Label: "OK9 handlers per 1,000 staff", Value: figure.MissingValue("workforce figure missing"), GroupMedian: figure.Of(1.1), Unit: "per 1,000 staff", Decimals: 2},
		{Label: "Screening compliance, high and very high risk roles", Value: figure.Of(87.5), GroupMedian: figure.Of(92), Unit: "%", Decimals: 1, Band: figure.Band20To50},
	}
	bands := [][]string{
		{"low", "low", "low", "medium", "medium"},
		{"low", "low", "medium", "medium", "high"},
		{"low", "medium", "medium", "high", "high"},
		{"low", "medium", "high", "high", "very high"},
		{"medium", "high", "high", "very high", "very high"},
	}
	colour := map[string]string{"low": "#00703c", "medium": "#ffdd00", "high": "#f47738", "very high": "#d4351c"}
	h := &HeatMap{Likelihood: []string{"1 Rare", "2 Unlikely", "3 Possible", "4 Likely", "5 Almost certain"},
		Severity: []string{"1 Minimal", "2 Minor", "3 Moderate", "4 Major", "5 Severe"}, Basis: "Residual risk after controls: 23 roles assessed."}
	for l := range 5 {
		var row []HeatCell
		for s := range 5 {
			row = append(row, HeatCell{Count: (l*5 + s) % 3, Band: bands[l][s], Colour: colour[bands[l][s]]})
		}
		h.Cells = append(h.Cells, row)
	}
	h.Cells[4][4].Count = 7
	r.HeatMap = h
	return r
}

func render(t testing.TB, r Report) []byte {
	t.Helper()
	b, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRenderReadsBack(t *testing.T) {
	b := render(t, sample())
	text := pdftest.Text(t, b)
	squash := regexp.MustCompile(`\s+`).ReplaceAllString(text, " ")
	for _, want := range []string{
		Title, "Heddlu Dyfed-Powys", "2025/26", "14 March 2026",
		"Blue Light Wellbeing Framework, third edition (2024)",
		"Maturity by area", "50th to 80th percentile", "below 20th percentile", "above 80th percentile",
		"Areas compared with the peer group", "Every standard", "LEAD-01", "OCCU-09", "Statement 57 about occupational health",
		"Change since last cycle", "not comparable", "area redefined in the 2024 edition", "+0.4",
		"OK9 dogs per 1,000 staff", "1.23", "workforce figure missing", "secondary suppression",
		"High-risk roles: risk heat map", "very high", "Severity of harm", "very high: 10 roles",
		"How these figures were computed", "What was suppressed", "fewer than 5 organisations answered",
	} {
		if !strings.Contains(squash, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// Every page is numbered out of the total.
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	for i := range pages {
		want := fmt.Sprintf("Page %d of %d", i+1, len(pages))
		if !strings.Contains(pages[i], want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	if len(pages) < 6 {
		t.Errorf("only %d pages", len(pages))
	}
	// Suppressed figures print as the word, never as a number: the summary
	// row for Occupational Health has no peer median.
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "Occupational Health") && strings.Contains(line, "no band") && !strings.Contains(line, "suppressed") {
			t.Errorf("suppressed peer median not shown as suppressed: %q", line)
		}
	}
	info := pdftest.Info(t, b)
	if want := Title + ": Heddlu Dyfed-Powys, 2025/26"; info["Title"] != want {
		t.Errorf("Title = %q, want %q", info["Title"], want)
	}
	if info["Author"] != "National Police Wellbeing Service" {
		t.Errorf("Author = %q", info["Author"])
	}
	if !bytes.Contains(b, []byte("/Lang (en-GB)")) {
		t.Error("document language not set")
	}
}

func TestWelshLetters(t *testing.T) {
	r := sample()
	r.Organisation = "Gwasanaeth Ambiwlans Cymru – ŵ ŷ Ŵ Ŷ"
	r.Lang = "cy"
	text := pdftest.Text(t, render(t, r))
	if !strings.Contains(text, "Gwasanaeth Ambiwlans Cymru – ŵ ŷ Ŵ Ŷ") {
		t.Error("Welsh name did not survive")
	}
}

func TestSuppressedNeverANumber(t *testing.T) {
	r := sample()
	// A suppressed value that still carries a number must not print it.
	r.Provision = []Indicator{{Label: "Secret figure", Value: figure.Value{V: 98765, State: figure.Suppressed}, GroupMedian: figure.Of(1), Decimals: 0}}
	text := pdftest.Text(t, render(t, r))
	if strings.Contains(text, "98765") || strings.Contains(text, "98,765") {
		t.Error("suppressed number leaked")
	}
}

// TestGolden renders the same report twice and checks the bytes are equal
// and match the digest kept in testdata (rewrite it with -update after a
// deliberate change to the layout).
func TestGolden(t *testing.T) {
	a, b := render(t, sample()), render(t, sample())
	if !bytes.Equal(a, b) {
		t.Fatal("same input gave different bytes")
	}
	sum := sha256.Sum256(a)
	got := hex.EncodeToString(sum[:])
	path := filepath.Join("testdata", "sample.sha256")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
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

func TestChange(t *testing.T) {
	cases := []struct {
		c    ChangeRow
		want string
	}{
		{ChangeRow{Previous: figure.Of(1), Current: figure.Of(1.5)}, "+0.5"},
		{ChangeRow{Previous: figure.Of(2), Current: figure.Of(1.5)}, "-0.5"},
		{ChangeRow{Previous: figure.Of(2), Current: figure.Of(2.01)}, "no change"},
		// The change is that of the figures as printed: 1.7 to 1.8 is +0.1
		// however close the figures were, and 1.8 to 1.8 is no change.
		{ChangeRow{Previous: figure.Of(1.74), Current: figure.Of(1.76)}, "+0.1"},
		{ChangeRow{Previous: figure.Of(1.76), Current: figure.Of(1.84)}, "no change"},
		{ChangeRow{Previous: figure.Of(1.65), Current: figure.Of(1.6)}, "no change"}, // 1.65 prints 1.6
		{ChangeRow{Previous: figure.Of(2), Current: figure.Of(3), NotComparable: true}, "not comparable"},
		{ChangeRow{Previous: figure.SuppressedValue(""), Current: figure.Of(3)}, "suppressed"},
		{ChangeRow{Previous: figure.MissingValue(""), Current: figure.Of(3)}, "no figure"},
	}
	for _, c := range cases {
		if got := Change(c.c, 1); got != c.want {
			t.Errorf("Change(%+v) = %q, want %q", c.c, got, c.want)
		}
	}
}

func BenchmarkRender57Standards(b *testing.B) {
	r := sample()
	if len(r.Standards) != 57 {
		b.Fatalf("%d standards", len(r.Standards))
	}
	size := 0
	for b.Loop() {
		out, err := Render(r)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
